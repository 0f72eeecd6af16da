#!/bin/sh
# The editor's page (`preview --html`) in a browser, and the reading
# figures of the post: the demo day (tests/fixtures/demo) served by the
# loopback feed server, three LLM judges and a writer that invents figures
# (tests/llm_server.py), so the page has scores, verdicts and problems.
# Headless Chromium (Debian's chromium; make deps-test installs it) makes
# a screenshot and the DOM it builds, and logs the page's requests; the
# browser checks are skipped, and say so, without it. Ends with "N
# passed, N failed".
suite=page
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
test_seconds=120
suite_needs_python3

day=2026-11-20
mkdir -p "$tmp/feeds"
cp tests/fixtures/demo/*.xml tests/fixtures/demo/*.json tests/fixtures/demo/*.atom "$tmp/feeds/"
# a story whose title and text try to reach the page as markup
cat >"$tmp/feeds/inject.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Injector &lt;b&gt;lab&lt;/b&gt;</title><link>https://inject.example/</link><description>x</description>
<item><title>LLM model release: a "quote" &lt;img src=https://evil.example/t.png&gt; x &lt; y &amp;&amp; z &gt; w</title>
<link>https://inject.example/post</link><pubDate>Thu, 20 Nov 2026 04:00:00 GMT</pubDate>
<description>A new LLM model with open weights. &lt;style&gt;@import url(https://evil.example/x.css)&lt;/style&gt; ![x](https://evil.example/i.png)</description></item>
</channel></rss>
EOF
start_server feeds tests/http_server.py AIDIGEST_FEEDS_DIR="$tmp/feeds"
start_server llm tests/llm_server.py
wait_servers feeds llm
feeds="$(server_url feeds)/feed"
llm="$(server_url llm)/v1"
export AIDIGEST_TEST_LLM_KEY=test-key

sed -e "s#file://@DEMO@#$feeds#" tests/fixtures/demo/feeds.txt.in >"$tmp/feeds.txt"
echo "blog injector $feeds/inject.xml weight=5" >>"$tmp/feeds.txt"
{
	cat tests/fixtures/demo/aidigest.conf
	n=0
	for spec in openai:fair-noise1 anthropic:position-noise1 openai:fair-vmiss openai:writer-planted; do
		n=$((n + 1))
		case $n in
		1) section=judge.fairness-gpt ;;
		2) section=judge.position-claude ;;
		3) section=judge.lenient-gpt ;;
		*) section=writer ;;
		esac
		printf '[%s]\nprovider = %s\nbase_url = %s\nmodel = %s\napi_key_env = AIDIGEST_TEST_LLM_KEY\n' \
			"$section" "${spec%%:*}" "$llm" "${spec#*:}"
	done
} >"$tmp/page.conf"
judges="fairness-gpt position-claude lenient-gpt"

# 1. the day, published; its markdown and its page
expect_aidigest 0 "run the demo day" page page -- --out "$tmp/blog" run --date "$day"
post=$(cat "$tmp/out")
store_links page page "$day"
if [ -f "$post" ]; then check_post "$post" "the demo day's post"; else bad "no post: '$post'"; fi
expect_aidigest 0 "rank --format json" page page -- rank --date "$day" --format json
cp "$tmp/out" "$tmp/rank.json"
cp "$tmp/rank.json" "$tmp/page.json"
expect_aidigest 0 "preview" page page -- preview --date "$day"
cp "$tmp/out" "$tmp/preview.md"
expect_aidigest 0 "preview --html" page page -- preview --date "$day" --html
cp "$tmp/out" "$tmp/page.html"

# 2. the reading figures: the sources and items of the day's window as
# the store has them, in the published post and in preview
if python3 - "$post" "$tmp/items.json" "$tmp/rank.json" "$tmp/preview.md" "$day" "$tmp/page.html" 2>"$tmp/py.err" <<'EOF'; then ok; else bad "the reading figures: $(tail -n 3 "$tmp/py.err")"; fi
import datetime, json, re, sys
post = open(sys.argv[1], encoding="utf-8").read()
items = json.load(open(sys.argv[2]))
rank = json.load(open(sys.argv[3]))
preview = open(sys.argv[4], encoding="utf-8").read()
kst = datetime.timezone(datetime.timedelta(hours=9))
start = datetime.datetime.fromisoformat(sys.argv[5]).replace(tzinfo=kst)
end = start + datetime.timedelta(days=1)
inside = []
for s in items["stories"]:
    for i in s["items"]:
        t = datetime.datetime.fromisoformat(i["time"].replace("Z", "+00:00"))
        if start <= t < end:
            inside.append(i)
sources = len({i["source"] for i in inside})
selected = len(re.findall(r"^- \*\*", post, re.M))
m = re.search(r"^\*오늘은 (\d+)개 소스의 글 (\d+)건과 이야기 (\d+)개를 읽고 (\d+)개를 골랐습니다\.", post, re.M)
assert m, "no reading sentence in the post"
got = tuple(int(g) for g in m.groups())
want = (sources, len(inside), len(rank["stories"]), selected)
assert got == want, "the post says %r, the store %r" % (got, want)
assert sources >= 10 and len(inside) >= 15, want
# the time saved: the model's input (render/post.c) is the words of the
# window's items' titles and texts, at 238 words a minute
words = sum(len([w for w in re.split(r"[ \t\n\v\f\r]+", i.get(k) or "") if w])
            for i in inside for k in ("title", "summary"))
page = open(sys.argv[6], encoding="utf-8").read()
shown = re.search(r"<dt>words read</dt><dd>(\d+)</dd><dt>time to read them</dt><dd>(\d+) min</dd>"
                  r"<dt>reading time saved</dt><dd>(\d+) min</dd>", page)
assert shown, "no figures on the page"
assert int(shown.group(1)) == words, (shown.group(1), words)
assert int(shown.group(2)) == (words + 119) // 238, shown.group(2)
saved = int(shown.group(3))
told = re.search(r"원문을 모두 읽는 데 드는 약 ([0-9시간분 ]+) 가운데 ([0-9시간분 ]+)을 아꼈습니다", post)
assert bool(told) == (saved > 0), (saved, told and told.group(0))
assert m.group(0) in preview, "preview does not show the figures"
# the sentence comes after the intro, before Today's Preview
body = post.split("\n---\n", 1)[1]
assert body.index(m.group(0)) < body.index("## Today's Preview")
assert body.strip().split("\n\n")[0] != m.group(0), "the intro is first"
EOF

# 3. the page as written, then as Chromium builds it: page_check FILE
# checks an HTML file against the post's markdown, rank's JSON, the
# judges and the day: the post's title in <h1> and <title>, its date,
# every link of the post and no other link out, no script, no element or
# style that loads anything, each judge by name in the scores and the
# judges' table, Kendall's W, every candidate with its pick command
cat >"$tmp/page_check.py" <<'PY'
import json, re, sys
from html.parser import HTMLParser

VOID = ("br", "meta", "img", "input", "link", "hr", "source", "embed")


class Page(HTMLParser):
    """The texts by element id (else tag), links, tags and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.hrefs, self.tags = [], {}, [], []
        self.judges, self.times, self.styles, self.codes = [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "time":
            self.times.append(a.get("datetime"))
        self.styles.append(a.get("style") or "")
        if tag not in VOID:
            classes = (a.get("class") or "").split()
            self.stack.append(a.get("id") or ("judge" if "judge" in classes else tag))

    def handle_endtag(self, tag):
        if self.stack and tag not in VOID:
            self.stack.pop()

    def handle_data(self, data):
        for key in set(self.stack):
            self.text[key] = self.text.get(key, "") + data
        top = self.stack[-1] if self.stack else None
        if top == "judge":
            self.judges.append(data.strip())
        elif top == "style":
            self.styles.append(data)
        elif top == "code":
            self.codes.append(data)


path, md_path, rank_path, judges, day = sys.argv[1:6]
page = Page()
page.feed(open(path, encoding="utf-8").read())
md = open(md_path, encoding="utf-8").read()
rank = json.load(open(rank_path))
fm, body = md[4:].split("\n---\n", 1)
title = json.loads(re.search(r"^title: (.*)$", fm, re.M).group(1))
assert page.text.get("h1", "").strip() == title, (page.text.get("h1"), title)
assert page.text.get("title", "").strip() == title, page.text.get("title")
assert "&quot;" not in page.text["title"]
assert day in page.times, page.times
links = re.findall(r"\]\(([^)\s]+)\)", body)
assert links, "the post has links"
missing = [l for l in links if l not in page.hrefs]
assert not missing, ("links of the post not on the page", missing)
others = [h for h in page.hrefs if h not in links and not h.startswith("#")]
assert not others, ("links not of the post", others)
for tag, a in page.tags:
    assert tag not in ("script", "link", "img", "iframe", "object", "embed", "video",
                       "audio", "source", "base", "form", "svg"), tag
    assert not [k for k in a if k in ("src", "srcset", "poster", "data", "action")], (tag, a)
    assert not [k for k in a if k.startswith("on")], ("a script attribute", tag, a)
for st in page.styles:
    assert "url(" not in st and "@import" not in st, st[:200]
assert any("word-break:keep-all" in st and "Noto Color Emoji" in st for st in page.styles)
for j in judges.split():
    assert page.judges.count(j) >= 2, (j, page.judges)
w = rank["agreement"]["kendall_w"]
assert page.text.get("kendall-w", "").strip() == "%.3f" % w, (page.text.get("kendall-w"), w)
codes = " ".join(page.codes)
for s in rank["stories"]:
    assert "s-%d" % s["id"] in page.text, ("no row for", s["id"])
    verb = "drop" if s["selected"] else "pin"
    assert "aidigest pick --date %s --%s %d" % (day, verb, s["id"]) in codes, (verb, s["id"])
PY
page_check() {
	if python3 "$tmp/page_check.py" "$1" "$tmp/preview.md" "$tmp/rank.json" "$judges" "$day" \
		2>"$tmp/py.err"; then ok; else bad "$2: $(tail -n 3 "$tmp/py.err")"; fi
}
page_check "$tmp/page.html" "the page as written"
expect_grep "$tmp/page.html" "&quot;quote&quot; x &lt; y &amp;&amp; z &gt; w<br>" "a feed's title escaped"
expect_grep "$tmp/page.html" 'class="tag o-rewritten"' "the texts verification had rewritten"
expect_grep "$tmp/page.html" "원문에 없는 수치" "the judges' problems"

# the colours and the spread: each judge's score standardized over the
# candidates it scored (population sd), green at or above its mean, red
# below; a row whose scores spread over 1.5 sd or more is marked split.
# The heuristic panel of the same day disagrees, so it has split rows.
expect_exit 0 "preview --html with the heuristic panel" -- "$bin" -c tests/fixtures/demo/aidigest.conf \
	--db "$tmp/page.db" preview --date "$day" --html
cp "$tmp/out" "$tmp/heuristic.html"
expect_exit 0 "rank with the heuristic panel" -- "$bin" -c tests/fixtures/demo/aidigest.conf \
	--db "$tmp/page.db" rank --date "$day" --format json
cp "$tmp/out" "$tmp/heuristic.json"
cat >"$tmp/spread_check.py" <<'PY'
import json, math, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
rank = json.load(open(sys.argv[2]))
names = [j["name"] for j in rank["judges"] if j["status"] == "ok"]
z = {}
for n in names:
    v = {s["id"]: s["judges"][n] for s in rank["stories"] if s["judges"].get(n) is not None}
    mean = sum(v.values()) / len(v)
    sd = math.sqrt(sum((x - mean) ** 2 for x in v.values()) / len(v))
    for i, x in v.items():
        z[(n, i)] = (x - mean) / sd if sd > 0 else 0.0
split = 0
for s in rank["stories"]:
    row = re.search(r'<tr id="s-%d" class="([a-z ]+)">(.*?)</tr>' % s["id"], page)
    assert row, s["id"]
    zs = [z[(n, s["id"])] for n in names if (n, s["id"]) in z]
    want = max(zs) - min(zs)
    got = float(re.search(r'<td class="n spread">([0-9.]+)', row.group(2)).group(1))
    assert abs(got - want) < 0.006, (s["id"], got, want)
    assert ("split" in row.group(1).split()) == (want >= 1.5), (s["id"], want, row.group(1))
    split += want >= 1.5
    cells = re.findall(r'style="background:hsl\((\d+),[^"]*" title="z ([-+][0-9.]+)"', row.group(2))
    assert len(cells) == len(zs), (s["id"], cells)
    for hue, zv in cells:
        assert (hue == "140") == (float(zv) >= 0), (s["id"], hue, zv)
print(split)
PY
for panel in page heuristic; do
	if python3 "$tmp/spread_check.py" "$tmp/$panel.html" "$tmp/$panel.json" >"$tmp/split.txt" 2>"$tmp/py.err"; then
		ok
	else bad "the $panel page's colours and spread: $(tail -n 3 "$tmp/py.err")"; fi
done
if [ "$(cat "$tmp/split.txt")" -gt 0 ]; then ok; else bad "no split row on the heuristic panel's page"; fi

# the editor's picks on the page: the dropped story says so and offers
# --pin, the pinned one says so and offers --drop
ids=$(python3 -c 'import json, sys
ss = json.load(open(sys.argv[1]))["stories"]
print([s for s in ss if s["selected"]][0]["id"], [s for s in ss if not s["selected"]][-1]["id"])' "$tmp/rank.json")
drop_id=${ids% *}
pin_id=${ids#* }
expect_aidigest 0 "pick" page page -- pick --date "$day" --drop "$drop_id" --pin "$pin_id"
expect_aidigest 0 "preview --html after the picks" page page -- preview --date "$day" --html
expect_grep "$tmp/out" "<tr id=\"s-$drop_id\" class=\"out.*dropped by the editor.*--pin $drop_id</code>" "the dropped story's row"
expect_grep "$tmp/out" "<tr id=\"s-$pin_id\" class=\"sel.*pinned by the editor.*--drop $pin_id</code>" "the pinned story's row"
expect_aidigest 0 "pick --clear" page page -- pick --date "$day" --clear

# 4. in Chromium: a screenshot, the DOM it builds, the requests it makes
browser=""
for b in chromium chromium-browser; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$b
		break
	fi
done
if [ -z "$browser" ]; then
	echo "page: the browser checks skipped (chromium absent: make deps-test installs it)"
	suite_end
fi

# chrome FILE ARGS...: headless Chromium on FILE with ARGS and a fresh
# profile, its background networking off; its stderr in $tmp/chrome.err
chrome() {
	page_file=$1
	shift
	rm -rf "$tmp/profile"
	timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-default-apps --user-data-dir="$tmp/profile" \
		"$@" "file://$page_file" 2>"$tmp/chrome.err"
}

chrome "$tmp/page.html" --window-size=1400,3000 --screenshot="$tmp/page.png" >/dev/null
if python3 - "$tmp/page.png" 2>"$tmp/py.err" <<'PY'; then ok; else bad "the screenshot: $(tail -n 2 "$tmp/py.err")"; fi
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
size = struct.unpack(">II", data[16:24])
assert size == (1400, 3000), size
assert len(data) > 50000, "%d bytes: an empty page?" % len(data)
PY
# AIDIGEST_PAGE_SHOT=FILE keeps the screenshot, to look at
if [ -n "${AIDIGEST_PAGE_SHOT:-}" ]; then cp "$tmp/page.png" "$AIDIGEST_PAGE_SHOT"; fi

chrome "$tmp/page.html" --dump-dom >"$tmp/dom.html"
page_check "$tmp/dom.html" "the DOM Chromium built"

# the requests: Chromium's net log holds every URL request, the page's
# under the file's network isolation key; the page asks for nothing but
# its own file. A page that loads an image from the loopback server shows
# that the log sees such a request.
printf '<!DOCTYPE html><p>x</p><img src="%s/feed/probe.png">\n' "$(server_url feeds)" >"$tmp/probe.html"
chrome "$tmp/probe.html" --log-net-log="$tmp/probe.netlog" --dump-dom >/dev/null
chrome "$tmp/page.html" --log-net-log="$tmp/page.netlog" --dump-dom >/dev/null
if python3 - "$tmp/probe.netlog" "$tmp/page.netlog" "$(server_url feeds)" 2>"$tmp/py.err" <<'PY'; then ok; else bad "the page's requests: $(tail -n 3 "$tmp/py.err")"; fi
import json, sys


def page_requests(path):
    """The URLs a page asked for (the browser's own, its updater's, are
    under another key)."""
    log = json.load(open(path, encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [e["params"]["url"] for e in log["events"]
            if e["type"] == start and "file://" in e.get("params", {}).get("network_isolation_key", "")]


probe, page = page_requests(sys.argv[1]), page_requests(sys.argv[2])
assert any(u.startswith(sys.argv[3]) for u in probe), "the net log missed the probe: %r" % probe
net = [u for u in page if not u.startswith("file:")]
assert not net, "the page requested %r" % net[:5]
PY

suite_end
