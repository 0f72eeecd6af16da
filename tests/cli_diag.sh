#!/bin/sh
# The panel measured (issue 14), end to end against the fake LLM server
# (tests/llm_server.py): a judge that copies another is named as one vote
# with it, a judge that rewards long texts and one that rewards the top of
# its batch are found, robust pooling outvotes a judge that answers at
# random where zmean does not, and judges that agree little on the Korean
# verification are warned of. Ends with "N passed, N failed".
suite=diag
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
test_seconds=120
suite_needs_python3
start_server llm tests/llm_server.py
wait_servers llm
llm="$(server_url llm)/v1"
export AIDIGEST_TEST_LLM_KEY=test-key

# A day of 80 stories whose true quality ([q=N], for the fake judges) has
# nothing to do with their length (80 to 1,100 characters); the truth goes
# to $tmp/truth.json by title.
python3 - "$tmp" <<'PY'
import json, random, sys
tmp = sys.argv[1]
rnd = random.Random(14)
words = ("amber basil cedar delta ember fjord garnet harbor indigo juniper "
         "kestrel lagoon marble nectar onyx prairie quartz raven saffron "
         "tundra umber violet willow xenon yarrow zephyr").split()
truth = {}
items = []
for i in range(80):
    a, b, c = rnd.sample(words, 3)
    title = "%s %s %s report %d" % (a.title(), b, c, i + 1)
    q = rnd.randint(1, 10)
    length = rnd.randint(80, 1100)
    filler = " ".join(rnd.choice(words) for _ in range(400))
    text = ("[q=%d] " % q + filler)[:length]
    truth[title] = q
    items.append("<item><title>%s</title><link>https://diag.example.org/%d"
                 "</link><guid>diag-%d</guid><pubDate>Mon, 10 Mar 2025 "
                 "%02d:%02d:00 GMT</pubDate><description>%s</description>"
                 "</item>" % (title, i + 1, i + 1, i // 60, i % 60, text))
open(tmp + "/day.xml", "w").write(
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
    "<title>Diagnostics day</title><link>https://diag.example.org/</link>"
    + "".join(items) + "</channel></rss>")
json.dump(truth, open(tmp + "/truth.json", "w"))
PY
echo "blog diag file://$tmp/day.xml" >"$tmp/feeds.txt"

# conf NAME POOLING SEED NAME:MODEL...: OpenAI-style judges
conf() {
	out=$tmp/$1.conf
	pooling=$2
	seed=$3
	shift 3
	{
		echo "[digest]"
		echo "timezone = +09:00"
		for j in "$@"; do
			printf '[judge.%s]\nprovider = openai\nbase_url = %s\n' "${j%%:*}" "$llm"
			printf 'model = %s\napi_key_env = AIDIGEST_TEST_LLM_KEY\ntimeout = 5\n' "${j#*:}"
		done
		printf '[panel]\nbatch = 20\ncandidates = 80\ntop = 10\n'
		printf 'seed = %s\n' "$seed"
		[ "$pooling" = default ] || echo "pooling = $pooling"
	} >"$out"
}

timeout 60 "$bin" -q --feeds "$tmp/feeds.txt" --db "$tmp/day.db" fetch >/dev/null 2>&1 ||
	bad "fetch of the day failed"

# rank CONF: rank --format json of the day into $tmp/out
rank() {
	expect_exit 0 "rank ($1)" -- "$bin" -q -c "$tmp/$1.conf" --db "$tmp/day.db" \
		rank --date 2025-03-10 --format json
}

# 1. beta copies alpha, gamma loves long texts, delta the top of its batch
conf four default 3 alpha:fair-a-noise1 beta:copy-fair-a-noise1 \
	gamma:length-lover-noise1 delta:position-noise1
rank four
expect_json "the copy is named as one vote with its original" '
ag = r["agreement"]
assert ag["redundant"] == [["alpha", "beta"]], ag
assert ag["diagnosed"] == 4, ag
assert 2.0 <= ag["effective_judges"] < 3.5, ag
assert any("alpha and beta vote as one" in w for w in ag["warnings"]), ag
'
expect_json "the long-text judge and the top-of-batch judge are found, no other" '
b = {j["name"]: j["bias"] for j in r["judges"]}
assert b["gamma"]["length_notable"] and b["gamma"]["length"] > 0.3, b["gamma"]
assert b["delta"]["position_notable"] and b["delta"]["position"] < -0.3, b["delta"]
assert not b["alpha"]["length_notable"] and not b["alpha"]["position_notable"], b["alpha"]
assert not b["gamma"]["position_notable"], b["gamma"]
assert not b["delta"]["length_notable"], b["delta"]
w = r["agreement"]["warnings"]
assert any(x.startswith("gamma favours long texts") for x in w), w
assert any(x.startswith("delta favours the stories shown early") for x in w), w
assert len(w) == 3, w
'
# the same from the cache: the place a judge saw a story in is kept
rank four
expect_json "a cached ranking keeps the biases" '
assert all(j["cached"] == 80 and j["requests"] == 0 for j in r["judges"]), r["judges"]
b = {j["name"]: j["bias"] for j in r["judges"]}
assert b["delta"]["position_notable"] and b["gamma"]["length_notable"], b
'
expect_exit 0 "rank's table" -- "$bin" -q -c "$tmp/four.conf" --db "$tmp/day.db" \
	rank --date 2025-03-10
expect_grep "$tmp/out" "^warning: alpha and beta vote as one" "the table's footer names the pair"
expect_grep "$tmp/out" "^warning: gamma favours long texts" "the table's footer names the long-text judge"
expect_grep "$tmp/out" "the 4 LLM judges count as [23]\.[0-9] independent" "the table's footer counts the independent judges"

# 2. the heuristic judges are not diagnosed
conf none default 3
rank none
expect_json "no LLM judges: nothing diagnosed" '
assert r["agreement"]["effective_judges"] is None and r["agreement"]["redundant"] == []
assert all(j["bias"] is None for j in r["judges"]), r["judges"]
'

# 3. one judge of three answers at random: robust beats zmean against the
# truth on every seed
for seed in 1 2 3; do
	conf "z$seed" zmean "$seed" "one$seed:fair-one-noise2" "two$seed:fair-two-noise2" "broken$seed:random"
	conf "r$seed" robust "$seed" "one$seed:fair-one-noise2" "two$seed:fair-two-noise2" "broken$seed:random"
	rank "z$seed"
	cp "$tmp/out" "$tmp/z$seed.json"
	rank "r$seed"
	cp "$tmp/out" "$tmp/r$seed.json"
	if python3 - "$tmp" "$seed" <<'PY'; then ok; else bad "seed $seed: robust did not beat zmean"; fi
import json, sys
tmp, seed = sys.argv[1], sys.argv[2]
truth = json.load(open(tmp + "/truth.json"))
def tau(path):
    ss = json.load(open(path))["stories"]
    x = [s["score"] for s in ss]
    y = [truth[s["title"]] for s in ss]
    c = d = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            p = (x[i] - x[j]) * (y[i] - y[j])
            c += p > 0
            d += p < 0
    return (c - d) / (len(x) * (len(x) - 1) / 2)
tz = tau("%s/z%s.json" % (tmp, seed))
tr = tau("%s/r%s.json" % (tmp, seed))
print("seed %s: tau against the truth: zmean %.3f, robust %.3f" % (seed, tz, tr))
sys.exit(0 if tr > tz else 1)
PY
done
conf dflt default 1 one1:fair-one-noise2 two1:fair-two-noise2 broken1:random
rank dflt
cp "$tmp/out" "$tmp/dflt.json"
if cmp -s "$tmp/dflt.json" "$tmp/r1.json"; then ok; else bad "the default pooling ranks other than robust"; fi

# 4. the editor's page and preview's messages say the same
expect_exit 0 "preview --html" -- "$bin" -q -c "$tmp/four.conf" --db "$tmp/day.db" \
	preview --date 2025-03-10 --html
expect_grep "$tmp/out" 'id="effective-judges">[23]\.[0-9]<' "the page counts the independent judges"
expect_grep "$tmp/out" '<li class="warning">⚠ alpha and beta vote as one' "the page warns of the pair"
expect_grep "$tmp/out" '<li class="warning">⚠ delta favours the stories shown early' "the page warns of the top-of-batch judge"
expect_grep "$tmp/err" "preview: warning: gamma favours long texts" "preview's messages warn of the long-text judge"

# 5. judges that disagree on the Korean texts: one checks, one passes all
conf vk default 3 alpha:fair-a-noise1 beta:fair-b-noise1-vmiss
printf '[writer]\nprovider = openai\nbase_url = %s\nmodel = writer-planted\napi_key_env = AIDIGEST_TEST_LLM_KEY\n' "$llm" >>"$tmp/vk.conf"
expect_exit 0 "verify with a judge that passes everything" -- "$bin" -q -c "$tmp/vk.conf" --db "$tmp/day.db" \
	verify --date 2025-03-10 --format json
expect_json "the verification's agreement is low, and said so" '
assert r["fleiss_kappa"] is not None and r["fleiss_kappa"] < 0.4, r["fleiss_kappa"]
assert r["kappa_low"] is True
'
expect_exit 0 "verify's table" -- "$bin" -q -c "$tmp/vk.conf" --db "$tmp/day.db" \
	verify --date 2025-03-10
expect_grep "$tmp/out" "^warning: the judges agree little on the Korean texts (Fleiss' kappa" "verify warns of the low agreement"

suite_end
