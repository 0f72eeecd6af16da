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

# check_page WHAT POST PAGE SITE: the page an engine built from POST
# (absent: not filed under the post's day) shows the post's links and no
# other, its day, the feed's template code as text, and nothing that
# template code or the site's secret would have put there (in SITE, the
# whole built site)
check_page() {
	if python3 - "$2" "$3" "$4" "$secret" "$ran" >"$tmp/py.out" 2>&1 <<'EOF'; then ok; else bad "$1: $(tail -n 4 "$tmp/py.out")"; fi
import html.parser, os, re, sys
post_path, page_path, site, secret, ran = sys.argv[1:]
day = re.search(r"(\d{4}-\d\d-\d\d)-ai-news", post_path).group(1)
assert os.path.isfile(page_path), "not filed under %s: %s" % (day, page_path)
post = open(post_path, encoding="utf-8").read()
body = post.split("\n---\n", 1)[1]
links = set(re.findall(r"\]\(([^)\s]+)\)", body))
assert links, "no link in the post"

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.text, self.times, self.in_time = [], [], {}, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("href", "src", "action", "formaction"):
            if k in a:
                self.hrefs.append(a[k])
        if tag == "time":
            self.in_time = a.get("class")
    def handle_endtag(self, tag):
        self.in_time = None
    def handle_data(self, data):
        self.text.append(data)
        if self.in_time:
            self.times[self.in_time] = self.times.get(self.in_time, "") + data

raw = open(page_path, encoding="utf-8").read()
p = Page()
p.feed(raw)
text = "".join(p.text)
extra = [h for h in p.hrefs if h not in links]
missing = [l for l in links if l not in p.hrefs]
assert not extra, "links the post did not make: %r" % extra
assert not missing, "links of the post not in the page: %r" % missing
assert "mailto:" not in raw, "a mailto: link"
assert p.times.get("date") == day, "the page's date: %r, want %s" % (p.times.get("date"), day)
shown = {"2026-11-20": ["{{% param", "{{< x >}}", "{% include x.html %}", "press@hostile.example"],
         "2026-11-21": ["{{% param", "{{ site.secret }}", "{% include x.html %}", "ops@hostile.example"]}[day]
for s in shown:
    assert s in text, "the feed's text %r is not shown as written" % s
for root, dirs, files in os.walk(site):
    for f in files:
        data = open(os.path.join(root, f), "rb").read()
        for bad in (secret, ran):
            assert bad.encode() not in data, "%r in %s" % (bad, os.path.join(root, f))
EOF
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

# check_site ENGINE DEST WHAT: the pages of both days
check_site() {
	while read -r post; do
		check_page "$3: $(basename "$post")" "$post" "$(page_of "$1" "$post" "$2")" "$2"
	done <"$tmp/$1.posts"
}

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
	for zone in $zones; do
		printf 'title: engines\nsecret: %s\ntimezone: %s\nfuture: true\n' "$secret" "$zone" >"$site/_config.yml"
		dest=$tmp/jekyll-$(echo "$zone" | tr / -)
		expect_exit 0 "jekyll builds the site ($zone)" -- jekyll build --quiet --disable-disk-cache \
			--source "$site" --destination "$dest"
		check_site jekyll "$dest" "jekyll ($zone)"
	done
else
	echo "$suite: jekyll skipped (jekyll absent: make deps installs it)"
fi

# 3. hoodie: Gatsby reads the front-matter with gray-matter (js-yaml)
node_dir=$build/engines-node
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "$suite: hoodie skipped (node or npm absent: make deps installs them)"
elif [ ! -d "$node_dir/node_modules/gray-matter" ] &&
	! timeout 120 npm install --prefix "$node_dir" --no-save --no-package-lock \
		--no-audit --no-fund --fetch-retries=1 gray-matter >"$tmp/npm.log" 2>&1; then
	echo "$suite: hoodie skipped (npm could not install gray-matter: $(tail -n 1 "$tmp/npm.log"))"
else
	publish hoodie
	while read -r post; do
		# gray-matter's reading, as JSON (dates as ISO strings)
		node -e '
const matter = require(process.argv[1]);
const d = matter.read(process.argv[2]).data;
const show = (v) => v instanceof Date ? {date: v.toISOString()} : v;
const out = {};
for (const k of Object.keys(d)) out[k] = show(d[k]);
console.log(JSON.stringify(out));' "$(pwd)/$node_dir/node_modules/gray-matter" "$post" >"$tmp/gm.json" 2>"$tmp/gm.err" ||
			echo '{}' >"$tmp/gm.json"
		if python3 - "$post" "$tmp/gm.json" >"$tmp/py.out" 2>&1 <<'EOF'; then ok; else bad "hoodie: gray-matter reads $(basename "$post"): $(tail -n 3 "$tmp/py.out") $(head -c 300 "$tmp/gm.err")"; fi
import json, re, sys
post_path, gm_path = sys.argv[1:]
day = re.search(r"(\d{4}-\d\d-\d\d)-ai-news", post_path).group(1)
fm = open(post_path, encoding="utf-8").read()[4:].split("\n---\n", 1)[0]

def scalar(v):
    # the project's YAML: "double-quoted" (JSON's escapes and \xHH) or plain
    if v.startswith('"'):
        return json.loads(re.sub(r"\\x([0-9A-Fa-f]{2})", r"\\u00\1", v))
    return v

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
got = json.load(open(gm_path))
for k in ("title", "description"):
    assert got.get(k) == want[k], "%s: %r, want %r" % (k, got.get(k), want[k])
assert got.get("date") == {"date": day + "T00:00:00.000Z"}, "date: %r, want %s" % (got.get("date"), day)
assert got.get("update") == {"date": want["update"] + "T00:00:00.000Z"}, "update: %r" % got.get("update")
assert want["update"] >= day
assert got.get("tags") == want["tags"] and got["tags"], "tags: %r, want %r" % (got.get("tags"), want["tags"])
if day == "2026-11-21":
    assert '{{% param "secret" %}} {{ site.secret }}' in got["title"], got["title"]
EOF
	done <"$tmp/hoodie.posts"
fi

suite_end
