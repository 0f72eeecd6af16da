#!/bin/sh
# The post as the blog engines read it. Two days are published with each
# preset from the demo's feeds (file://) and a feed whose items carry Hugo
# shortcodes, Liquid tags, an e-mail address, bare links and a link with
# template code in it; Debian's hugo and jekyll build a minimal site
# around them, with a secret in the site's configuration, in several time
# zones; gray-matter (Gatsby's front-matter reader, from npm) reads the
# hoodie posts back. Each engine's part is skipped, with a notice, when the
# engine is absent. Ends with "N passed, N failed".
suite=engines
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
test_seconds=60
suite_needs_python3

build=${AIDIGEST_BUILD:-build}
zones="UTC Asia/Seoul America/Los_Angeles Pacific/Kiritimati"
secret=SITE-SECRET-5d1e
# what a shortcode or an include that ran would have put into the page
ran=TEMPLATE-CODE-RAN

# The hostile feed: an item of the demo day (2026-11-20, KST) and the only
# item of the next day, which so makes that post's title.
cat >"$tmp/hostile.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link><description>x</description>
<item><title>LLM model {{% param "secret" %}} {{&lt; x &gt;}} {% include x.html %}</title>
<link>https://hostile.example/a/{{site.secret}}/{% include x.html %}/100%</link>
<pubDate>Thu, 20 Nov 2026 04:00:00 GMT</pubDate>
<description>A new LLM model {{% param "secret" %}} {{% nonexistent %}} {{&lt; x &gt;}} and {% include x.html %} {{ site.secret }}; mail press@hostile.example or user.name+ai@mail.hostile.example, see www.hostile.example.</description></item>
<item><title>Agents {{% param "secret" %}} {{ site.secret }} {% include x.html %} press@hostile.example</title>
<link>https://hostile.example/b</link>
<pubDate>Fri, 21 Nov 2026 03:00:00 GMT</pubDate>
<description>An agent benchmark {{% nonexistent %}} {{&lt; x &gt;}} {%raw%}{{site.secret}}{%endraw%} by press@hostile.example (contact: ops@hostile.example).</description></item>
</channel></rss>
EOF
sed "s#@DEMO@#$(pwd)/tests/fixtures/demo#g" tests/fixtures/demo/feeds.txt.in >"$tmp/feeds.txt"
echo "blog hostile file://$tmp/hostile.xml weight=3" >>"$tmp/feeds.txt"

# publish PRESET: the two days with PRESET into $tmp/PRESET (the site's
# folder); their paths into $tmp/PRESET.posts
publish() {
	printf '[digest]\ntimezone = +09:00\npreset = %s\n[panel]\ntop = 8\n' "$1" >"$tmp/$1.conf"
	: >"$tmp/$1.posts"
	for day in 2026-11-20 2026-11-21; do
		expect_aidigest 0 "$1: run $day" "$1" "$1" -- --out "$tmp/$1" run --date "$day"
		cat "$tmp/out" >>"$tmp/$1.posts"
	done
	expect_lines "$tmp/$1.posts" 2 "$1: two posts published"
}

# escaped_post DIR ENGINE: a post of 2026-11-22 in DIR whose text only
# escape_markdown wrote (aidigest render), with the bare links and
# addresses the writer would have removed and the template code; its path
# is added to $tmp/ENGINE.posts
escaped_post() {
	cat >"$tmp/escaped.mustache" <<'EOF'
---
layout: post
title: "escape_markdown in the engines"
date: 2026-11-22
lastmod: 2026-11-22
last_modified_at: 2026-11-22
---

{{text}}

- {{text}} [the one link](https://allowed.example/one)

> **{{text}}**: {{text}}
EOF
	cat >"$tmp/escaped.json" <<'EOF'
{"text": "see https://evil.example/a http://evil.example ftp://ftp.evil.example www.evil.example WWW.Evil.example (www.paren.example) *www.star.example* _www.under.example_ ~www.tilde.example~ [www.bracket.example] \"www.quote.example\" 뉴스www.korean.example mail press@hostile.example, mailto:press@hostile.example, xmpp:press@hostile.example/x, 문의press@hostile.example로 <https://angle.example> {{% param \"secret\" %}} {{% nonexistent %}} {{< x >}} {% include x.html %} {{ site.secret }}"}
EOF
	expect_exit 0 "render the escaped post" -- "$bin" render --escape markdown "$tmp/escaped.mustache" "$tmp/escaped.json"
	cp "$tmp/out" "$1/2026-11-22-ai-news.md"
	echo "$1/2026-11-22-ai-news.md" >>"$tmp/$2.posts"
}

# page_of ENGINE POST DEST: where ENGINE files POST in DEST (its day from
# the post's name, YYYY-MM-DD-ai-news.md)
page_of() {
	day=$(basename "$2" | cut -c1-10)
	ymd=$(echo "$day" | tr - /)
	case $1 in
	hugo) echo "$3/$ymd/$day-ai-news/index.html" ;;
	jekyll) echo "$3/$ymd/ai-news.html" ;;
	esac
}

# check_site ENGINE DEST WHAT: the pages ENGINE built into DEST from both
# days' posts, checked by the next check_pages
check_site() {
	while read -r post; do
		printf '%s: %s\t%s\t%s\t%s\n' "$3" "$(basename "$post")" "$post" \
			"$(page_of "$1" "$post" "$2")" "$2" >>"$tmp/pages.tsv"
	done <"$tmp/$1.posts"
}

# check_pages: each page of $tmp/pages.tsv (WHAT, POST, PAGE, SITE) is
# there (else it is not filed under its post's day), shows the post's
# links and no other, its dates and the feed's template code as text, and
# nothing that template code or the secret would have put into SITE (the
# whole built site). One check a page, all in one python3 (slow to start).
check_pages() {
	python3 - "$tmp/pages.tsv" "$secret" "$ran" >"$tmp/pages.out" 2>&1 <<'EOF'
import html.parser, os, re, sys

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.text, self.times, self.in_time = [], [], {}, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.hrefs += [a[k] for k in ("href", "src", "action", "formaction") if k in a]
        if tag == "time":
            self.in_time = a.get("class")
    def handle_endtag(self, tag):
        self.in_time = None
    def handle_data(self, data):
        self.text.append(data)
        if self.in_time:
            self.times[self.in_time] = self.times.get(self.in_time, "") + data

# what each day's feed text must show as written
shown = {"2026-11-20": ["{{% param", "{{< x >}}", "{% include x.html %}", "press@hostile.example"],
         "2026-11-21": ["{{% param", "{{ site.secret }}", "{% include x.html %}", "ops@hostile.example"],
         "2026-11-22": ["{{% param", "{{ site.secret }}", "{% include x.html %}", "press@hostile.example",
                        "https://evil.example/a", "www.evil.example", "(www.paren.example)", "<https://angle.example>"]}

def check(post_path, page_path, site, secret, ran):
    day = re.search(r"(\d{4}-\d\d-\d\d)-ai-news", post_path).group(1)
    assert os.path.isfile(page_path), "not filed under %s: no %s" % (day, page_path)
    fm, body = open(post_path, encoding="utf-8").read()[4:].split("\n---\n", 1)
    update = re.search(r"^(?:update|lastmod|last_modified_at): (\S+)$", fm, re.M).group(1)
    links = set(re.findall(r"\]\(([^)\s]+)\)", body))
    assert links, "no link in the post"
    raw = open(page_path, encoding="utf-8").read()
    p = Page()
    p.feed(raw)
    text = "".join(p.text)
    extra = [h for h in p.hrefs if h not in links]
    missing = [l for l in links if l not in p.hrefs]
    assert not extra, "links the post did not make: %r" % extra
    assert not missing, "links of the post not in the page: %r" % missing
    assert not [h for h in p.hrefs if h.lower().startswith("mailto:")], "a mailto: link"
    assert p.times.get("date") == day, "the page's date: %r, want %s" % (p.times.get("date"), day)
    assert p.times.get("lastmod") == update, "the page's update: %r, want %s" % (p.times.get("lastmod"), update)
    for s in shown[day]:
        assert s in text, "the feed's text %r is not shown as written" % s
    for root, dirs, files in os.walk(site):
        for f in files:
            data = open(os.path.join(root, f), "rb").read()
            for bad in (secret, ran):
                assert bad.encode() not in data, "%r in %s" % (bad, os.path.join(root, f))

for line in open(sys.argv[1], encoding="utf-8"):
    what, post, page, site = line.rstrip("\n").split("\t")
    try:
        check(post, page, site, *sys.argv[2:])
        print("ok")
    except Exception as e:
        print("%s: %s: %s" % (what, type(e).__name__, e))
EOF
	[ -s "$tmp/pages.out" ] || echo "python3 printed nothing" >"$tmp/pages.out"
	while read -r line; do
		if [ "$line" = ok ]; then ok; else bad "$line"; fi
	done <"$tmp/pages.out"
	: >"$tmp/pages.tsv"
}

# The sites build posts dated after the clock too (buildFuture, future:
# true): the days are fixed, the test must not depend on today.

# 1. hugo: shortcodes run before Markdown, goldmark links bare addresses
if command -v hugo >/dev/null 2>&1; then
	site=$tmp/hugo
	mkdir -p "$site/layouts/_default" "$site/layouts/shortcodes"
	cat >"$site/layouts/_default/single.html" <<'EOF'
<!DOCTYPE html>
<html><head><title>{{ .Title }}</title></head><body>
<h1>{{ .Title }}</h1><p>{{ .Description }}</p>
<time class="date">{{ .Date.Format "2006-01-02" }}</time> <time class="lastmod">{{ .Lastmod.Format "2006-01-02" }}</time>
<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>
{{ .Content }}
</body></html>
EOF
	echo "$ran" >"$site/layouts/shortcodes/x.html"
	publish hugo
	escaped_post "$site/content/posts" hugo
	for zone in $zones; do
		cat >"$site/config.toml" <<EOF
baseURL = "https://blog.example/"
title = "engines"
timeZone = "$zone"
buildFuture = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home", "section"]
[params]
secret = "$secret"
[permalinks]
posts = "/:year/:month/:day/:filename/"
EOF
		dest=$tmp/hugo-$(echo "$zone" | tr / -)
		expect_exit 0 "hugo builds the site ($zone)" -- hugo --quiet --source "$site" \
			--destination "$dest" --cacheDir "$tmp/hugo-cache"
		check_site hugo "$dest" "hugo ($zone)"
	done
	check_pages
else
	echo "$suite: hugo skipped (hugo absent: make deps installs it)"
fi

# 2. jekyll: Liquid runs before kramdown; the date files the post
if command -v jekyll >/dev/null 2>&1; then
	site=$tmp/jekyll
	mkdir -p "$site/_layouts" "$site/_includes"
	cat >"$site/_layouts/post.html" <<'EOF'
<!DOCTYPE html>
<html><head><title>{{ page.title | escape }}</title></head><body>
<h1>{{ page.title | escape }}</h1>
<time class="date">{{ page.date | date: "%Y-%m-%d" }}</time> <time class="lastmod">{{ page.last_modified_at | date: "%Y-%m-%d" }}</time>
<ul>{% for t in page.tags %}<li>{{ t | escape }}</li>{% endfor %}</ul>
{{ content }}
</body></html>
EOF
	echo "$ran" >"$site/_includes/x.html"
	publish jekyll
	escaped_post "$site/_posts" jekyll
	for zone in $zones; do
		printf 'title: engines\nsecret: %s\ntimezone: %s\nfuture: true\n' "$secret" "$zone" >"$site/_config.yml"
		dest=$tmp/jekyll-$(echo "$zone" | tr / -)
		expect_exit 0 "jekyll builds the site ($zone)" -- jekyll build --quiet --disable-disk-cache \
			--source "$site" --destination "$dest"
		check_site jekyll "$dest" "jekyll ($zone)"
	done
	check_pages
else
	echo "$suite: jekyll skipped (jekyll absent: make deps installs it)"
fi

# 3. hoodie: Gatsby reads the front-matter with gray-matter (js-yaml),
# installed once into the build folder (git ignores it)
mkdir -p "$build"
node_dir=$(cd "$build" && pwd)/engines-node
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "$suite: hoodie skipped (node or npm absent: make deps installs them)"
elif [ ! -d "$node_dir/node_modules/gray-matter" ] &&
	! timeout 120 npm install --prefix "$node_dir" --no-save --no-package-lock \
		--no-audit --no-fund --fetch-retries=0 --fetch-timeout=20000 gray-matter >"$tmp/npm.log" 2>&1; then
	echo "$suite: hoodie skipped (npm could not install gray-matter: $(grep -m 1 -i "error" "$tmp/npm.log"))"
else
	publish hoodie
	# gray-matter's reading of each post: a JSON line, a date as {"date": ISO}
	node -e '
const fs = require("fs");
const matter = require(process.argv[1]);
for (const post of fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean)) {
	const d = matter.read(post).data, out = {};
	for (const k of Object.keys(d))
		out[k] = d[k] instanceof Date ? {date: d[k].toISOString()} : d[k];
	console.log(JSON.stringify(out));
}' "$node_dir/node_modules/gray-matter" "$tmp/hoodie.posts" >"$tmp/gm.jsonl" 2>"$tmp/gm.err"
	# each post's reading against the front-matter as written: one line a post
	python3 - "$tmp/hoodie.posts" "$tmp/gm.jsonl" >"$tmp/gm.out" 2>&1 <<'EOF'
import json, re, sys

def scalar(v):
    # the project's YAML: "double-quoted" (JSON's escapes and \xHH) or plain
    if v.startswith('"'):
        return json.loads(re.sub(r"\\x([0-9A-Fa-f]{2})", r"\\u00\1", v))
    return v

def check(post_path, got):
    day = re.search(r"(\d{4}-\d\d-\d\d)-ai-news", post_path).group(1)
    fm = open(post_path, encoding="utf-8").read()[4:].split("\n---\n", 1)[0]
    want, key = {}, None
    for line in fm.splitlines():
        if line.startswith("  - "):
            want[key].append(scalar(line[4:]))
        elif line.endswith(":"):
            key = line[:-1]
            want[key] = []
        else:
            key, v = line.split(": ", 1)
            want[key] = scalar(v)
    for k in ("title", "description"):
        assert got.get(k) == want[k], "%s: %r, want %r" % (k, got.get(k), want[k])
    assert got.get("date") == {"date": day + "T00:00:00.000Z"}, "date: %r, want %s" % (got.get("date"), day)
    assert got.get("update") == {"date": want["update"] + "T00:00:00.000Z"}, "update: %r" % got.get("update")
    assert want["update"] >= day, "update %s before the date" % want["update"]
    assert got.get("tags") and got["tags"] == want["tags"], "tags: %r, want %r" % (got.get("tags"), want["tags"])
    if day == "2026-11-21":
        assert '{{% param "secret" %}} {{ site.secret }}' in got["title"], "title: %r" % got["title"]

posts = open(sys.argv[1]).read().split()
readings = [json.loads(l) for l in open(sys.argv[2])]
for i, post in enumerate(posts):
    try:
        check(post, readings[i] if i < len(readings) else {})
        print("ok")
    except Exception as e:
        print("gray-matter reads %s: %s: %s" % (post.split("/")[-2], type(e).__name__, e))
EOF
	[ -s "$tmp/gm.out" ] || echo "python3 printed nothing" >"$tmp/gm.out"
	while read -r line; do
		if [ "$line" = ok ]; then ok; else bad "hoodie: $line $(head -c 300 "$tmp/gm.err")"; fi
	done <"$tmp/gm.out"
fi

suite_end
