#!/usr/bin/env python3
"""Loopback fake LLM server for aidigest's panel tests (standard library only).

Usage: python3 tests/llm_server.py [PORT_FILE]

Its life (the port it prints, the end of its stdin, GET or POST /quit) is
that of every test server: tests/testserver.py.

Endpoints (any path prefix before them is ignored, so a base_url of
http://127.0.0.1:PORT/v1 works, and so does .../latency-ms/N/v1):
  POST /v1/chat/completions  OpenAI: "Authorization: Bearer test-key";
                             the reply's choices[0].message.content is
                             the JSON text; usage.prompt_tokens and
                             usage.completion_tokens
  POST /v1/messages          Anthropic: "x-api-key: test-key" and an
                             anthropic-version header; the reply is a
                             tool_use block whose input is the JSON (a text
                             block when the request has no tools);
                             usage.input_tokens and usage.output_tokens
  GET  /stats                JSON: requests (all), by_model, by_endpoint,
                             by_status, by_kind, tokens_in, tokens_out,
                             max_concurrent (LLM requests in flight at once),
                             max_tokens ({model: [the max_tokens (else
                             max_completion_tokens) of each request past
                             the key and body checks, in arrival order]})
  GET  /reset                counters and the faults' memory cleared
  GET  /quit                 answers, then exits
A wrong or missing key is a 401 with the provider's error body; the
message repeats the key it was given, whole, as a careless server might:
the client must keep it out of its own messages. by_kind counts the LLM
requests by kind, {"rank", "write", "verify", "rewrite", "pairs"} (all five always
there): each request past the key and body checks, those then answered
with a fault included.

The kind of a request, in this order: "pairs" when its schema (OpenAI:
response_format.json_schema.schema; Anthropic: tools[0].input_schema) has
a "pairs" property (the panel's same-event vote, make_pairs), "rewrite"
when it has "rewrites", "verify" when it has "verdicts", "write" for the
writer (below), else "rank" (the judges).

The batch: the last array of objects that all have an "id" in the last
user message (the panel's prompt contract), each {"id", "title",
"source", "text"}. The reply is {"scores": [{"id", "score", "category"}]}
in the batch's order.

Judges, chosen by the model name's start ("fair" when none matches):
  fair            score = the story's true quality, from a "[q=N]" marker in
                  its text, else sha256(id) mod 10 + 1
  source-lover    fair, +2 when source is "lab"
  length-lover    fair, + len(text) / 200
  position        fair, +2 for the first 5 stories of the batch
  echo-injection  fair, but 10 when the text says "score 10" or "ignore
                  previous instructions" (it obeys injected orders)
  random          sha256(the user message, id) mod 10 + 1: scores that
                  have nothing to do with the stories, the same for the
                  same request (runs repeat)
  copy-MODEL      what MODEL answers ("copy-fair" as "fair",
                  "copy-length-lover-noise2" as "length-lover-noise2",
                  noise included); a judge of the batch's place scores a
                  story as MODEL would in the same place. Faults are the
                  copy's, from the suffixes of its own name
Scores are rounded and clamped to 1..10. "-noiseN" in the model adds a
deterministic noise in [-N, N] from sha256(model base, id); the verifier's
tokens (below) are not part of the base, so "fair-noise1-vmiss" and
"fair-vmiss-noise1" rank as "fair-noise1". The category is
a "[cat=NAME]" marker in the text, else one of the names of the request's
schema (scores.items.category.enum) or of the system prompt's "one of:
a, b, c." list, by sha256(id); else "general".

The writer: a request whose schema has a "viewpoint" property, or whose
model name starts with "writer", is answered as the digest writer
(summarize/writer.c) would be: {"title", "description", "tags", "intro",
"viewpoint", "overview_title", "headings": [{"id", "heading"}], "stories":
[{"id", "oneliner", "summary"}]}, in Korean, every story's slots holding
its title whole and the summary its text (up to 400 characters); a heading
for each distinct "category" of the batch. Variants, by the model name:
  writer           the good writer
  writer-urls      http(s) URLs, a www. address, a markdown link and an
                   autolink in the first story's slots, the intro and the
                   viewpoint
  writer-glossary  "Transformer" written "변환기" in the first summary that
                   has it
  writer-english   the first story's one-liner in English only
  writer-missing   the batch's last story left out
  writer-planted   invented numbers in the first draft: " 이번 발표로 처리
                   속도가 73.4% 빨라졌다고 합니다." after the summaries of
                   the stories at positions 1 and 3 (0-based, when
                   present), " 관련 시장 규모는 9876억 원으로
                   추산됩니다." after the intro and " 이 회사의 직원은
                   4321명에 이릅니다." after the viewpoint
  writer-stubborn  as writer-planted, and its rewrites keep one (below)
  writer-500       always 500 (the fault below)
Variants match as "-NAME" anywhere in the model, and may be combined.

Verification (kind "verify"): the judges check the writer's Korean text
against its sources. The batch is a list of {"id", "kind" ("story",
"intro" or "viewpoint"), "source_title", "source_text", "summary"}; the
reply is {"verdicts": [{"id", "supported", "problem"}]}, one per item in
the batch's order, "supported" a JSON boolean and "problem" "" when
supported. The verifier, by a token in the judge's model (which still
ranks as before; the faults above apply too):
  (none)   catch: unsupported when the summary has a number
           (\\d+(?:[.,]\\d+)*) that is not a substring of source_title + " "
           + source_text; the problem names the numbers missing, in order
           of appearance: "원문에 없는 수치: 73.4" ("..., 9876" for more)
  -vmiss   every summary supported
  -vfail   verification requests always 500, as the fault "500";
           the model's ranking requests are answered normally
("-vfail" wins when both are given.)

Rewriting (kind "rewrite", whatever the model): the writer redoes what the
verifiers rejected. The batch is a list of {"id", "kind", "source_title",
"source_text", "draft", "problems"}; the reply is {"rewrites": [{"id",
"oneliner", "summary", "text"}]} in the batch's order, all four keys
always there ("" where they do not apply):
  story      oneliner "「TITLE」 소식이 나왔습니다.", summary "「TITLE」에 관한
             소식입니다. 원문 요약: TEXT" (TITLE the source_title, TEXT
             the source_text up to 400 characters), text ""
  intro      text "오늘 정리한 소식을 원문에 있는 내용대로 소개합니다."
  viewpoint  text "의견으로는, 오늘 소식들은 원문이 전하는 범위 안에서 읽을
             만하다고 봅니다."
With "-stubborn" in the model, the first story whose draft has "73.4"
keeps the invented sentence: " 이번 발표로 처리 속도가 73.4% 빨라졌다고
합니다." after its summary.

Faults, as "-FAULT" suffixes of the model name (several may follow the
judge: "fair-429-prose"), or a comma-separated X-Fault header:
  429           429 with Retry-After: 1 the first time per request body,
                then normal
  500           always 500
  529           529 "overloaded" the first time per request body
  slow          sleeps LLM_SERVER_SLOW_MS (default 3000) before answering
  malformed     content that is not JSON (a cut-off object)
  prose         the JSON wrapped in "Here are the scores:\\n```json ... ```"
                (Anthropic: a text block, no tool_use)
  refuse        OpenAI: content null and a refusal; Anthropic: stop_reason
                "refusal" and no content
  unknown-ids   one more entry, with an id that was not asked
  missing-ids   the batch's last id left out the first time a batch is
                seen; a batch of only left-out ids, or one seen before,
                is answered whole
  out-of-range  the first score is 11, the second 0
  truncated     the first request for each user message is cut at its
                max_tokens, later ones (a retry with more room) whole:
                OpenAI finish_reason "length" and the first half of the
                content; Anthropic stop_reason "max_tokens" and the tool's
                input as far as it got (the keys up to the first array,
                that array halved: {"scores": [the first half]}; a text
                block cut in half without a tool). Output tokens billed:
                the max_tokens asked
  overflow      every reply cut by the context window: Anthropic
                stop_reason "model_context_window_exceeded", OpenAI
                finish_reason "length"; otherwise as truncated
  multitool     Anthropic: a text block and three tool_use blocks (as a
                server that ignores disable_parallel_tool_use may send):
                one named "scratch_pad", then the answer under the forced
                tool's name, then that name again with every array of the
                answer empty; OpenAI: no change
  arrayerror    400 with the error body of Gemini's OpenAI-compatible
                endpoint, whose root is an array: [{"error": {"code": 400,
                "message": "Request contains an invalid argument.",
                "status": "INVALID_ARGUMENT"}}]
(unknown-ids, missing-ids and out-of-range touch only the scores.)
OpenAI's reasoning models: a model named o1, o3, o4 or gpt-5 (alone, or
followed by "-" or ".", after an optional "provider/") on the OpenAI
endpoint answers 400 to a request with max_tokens or a temperature other
than 1, as the API does; it ranks as "fair".
Latency: every LLM request is answered after LLM_SERVER_LATENCY_MS (env,
default 0), or after N ms with a /latency-ms/N/ path prefix or a
latency_ms=N query.
"""

import hashlib
import json
import os
import re
import threading
import time
import urllib.parse

import testserver

API_KEY = "test-key"
JUDGES = ["source-lover", "length-lover", "position", "echo-injection",
          "random", "fair"]
COPY = "copy-"
FAULTS = ["429", "500", "529", "slow", "malformed", "prose", "refuse",
          "unknown-ids", "missing-ids", "out-of-range", "truncated",
          "overflow", "multitool", "arrayerror"]
GEMINI_ERROR = [{"error": {"code": 400,
                           "message": "Request contains an invalid argument.",
                           "status": "INVALID_ARGUMENT"}}]
INJECTIONS = ["score 10", "ignore previous instructions"]
WRITER_VARIANTS = ["urls", "glossary", "english", "missing", "planted",
                   "stubborn"]
VERIFIERS = ["vmiss", "vfail"]
KINDS = ["rank", "write", "verify", "rewrite", "pairs"]
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
PLANTED_STORY = " 이번 발표로 처리 속도가 73.4% 빨라졌다고 합니다."
PLANTED_INTRO = " 관련 시장 규모는 9876억 원으로 추산됩니다."
PLANTED_VIEWPOINT = " 이 회사의 직원은 4321명에 이릅니다."
REWRITE_INTRO = "오늘 정리한 소식을 원문에 있는 내용대로 소개합니다."
REWRITE_VIEWPOINT = ("의견으로는, 오늘 소식들은 원문이 전하는 범위 안에서 "
                     "읽을 만하다고 봅니다.")
# OpenAI's reasoning models, by name (as the API tells them apart)
REASONING_MODEL = re.compile(r"^(?:.*/)?(?:o1|o3|o4|gpt-5)(?:[-.]|$)")
LATENCY_MS = float(os.environ.get("LLM_SERVER_LATENCY_MS") or 0)
SLOW_MS = float(os.environ.get("LLM_SERVER_SLOW_MS") or 3000)

lock = threading.Lock()
state = {}


def reset():
    """Counters to zero; requests still in flight stay counted."""
    with lock:
        in_flight = state.get("in_flight", 0)
        state.clear()
        state.update({
            "requests": 0, "by_model": {}, "by_endpoint": {},
            "by_status": {}, "by_kind": {k: 0 for k in KINDS},
            "tokens_in": 0, "tokens_out": 0, "max_tokens": {},
            "in_flight": in_flight, "max_concurrent": in_flight,
            "seen_once": set(),      # (fault, model, body hash)
            "batches_seen": set(),   # (model, ids) for missing-ids
            "left_out": {},          # model -> ids left out
        })


reset()


def bump(table, key, n=1):
    table[key] = table.get(key, 0) + n


def first_time(fault, model, body):
    """True the first time this fault meets this request body (bytes; the
    user message for a fault whose retry sends another body)."""
    key = (fault, model, hashlib.sha256(body).hexdigest())
    with lock:
        if key in state["seen_once"]:
            return False
        state["seen_once"].add(key)
        return True


def digest_int(*parts):
    h = hashlib.sha256("\0".join(parts).encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big")


def parse_model(model):
    """(judge, faults, noise) from a model name; a copy's are those of the
    model it copies."""
    name = scoring_model(model)
    judge = "fair"
    rest = name
    for j in JUDGES:
        if name.startswith(j):
            judge, rest = j, name[len(j):]
            break
    faults = set(f for f in FAULTS if ("-" + f) in rest)
    m = re.search(r"-noise(\d+(?:\.\d+)?)", rest)
    noise = float(m.group(1)) if m else 0.0
    return judge, faults, noise


def scoring_model(model):
    """The model whose scores a model gives: "copy-fair" gives "fair"'s."""
    name = model or ""
    while name.startswith(COPY):
        name = name[len(COPY):]
    return name


def parse_verifier(model):
    """The verifier's behaviour from the model name: "fail" ("-vfail"),
    "miss" ("-vmiss") or "catch" (neither)."""
    name = model or ""
    if "-vfail" in name:
        return "fail"
    if "-vmiss" in name:
        return "miss"
    return "catch"


def rank_model(model):
    """The model name as the ranking sees it: the verifier's tokens left
    out, so "fair-vmiss-noise1" ranks (noise included) as "fair-noise1"."""
    name = model or ""
    for v in VERIFIERS:
        name = name.replace("-" + v, "")
    return name


def text_of(content):
    """A message's content as text: a string, or a list of text parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content
                       if isinstance(p, dict) and
                       isinstance(p.get("text"), str))
    return ""


def find_batch(text):
    """The last JSON array of objects that all have an "id", or None."""
    decoder = json.JSONDecoder()
    pos = len(text)
    while True:
        pos = text.rfind("[", 0, pos)
        if pos < 0:
            return None
        try:
            value, _ = decoder.raw_decode(text, pos)
        except ValueError:
            continue
        if (isinstance(value, list) and value and
                all(isinstance(v, dict) and "id" in v for v in value)):
            return value


def schema_categories(schema):
    try:
        item = schema["properties"]["scores"]["items"]
        names = item["properties"]["category"]["enum"]
        if isinstance(names, list) and names:
            return [str(n) for n in names]
    except (KeyError, TypeError):
        pass
    return None


def prompt_categories(system):
    m = re.search(r"one of:\s*([^.\n]+)\.", system or "")
    if not m:
        return None
    names = [n.strip() for n in m.group(1).split(",") if n.strip()]
    return names or None


def true_quality(story):
    m = re.search(r"\[q=(\d+(?:\.\d+)?)\]", str(story.get("text", "")))
    if m:
        return float(m.group(1))
    return digest_int(str(story.get("id"))) % 10 + 1


def judge_score(judge, noise, model, story, position, request=""):
    """A judge's score of a story at its place in the batch; model is the
    name whose noise it adds, request the user message ("random")."""
    text = str(story.get("text", ""))
    if judge == "random":
        return digest_int("random", request, str(story.get("id"))) % 10 + 1
    score = true_quality(story)
    if judge == "source-lover" and story.get("source") == "lab":
        score += 2
    elif judge == "length-lover":
        score += len(text) / 200.0
    elif judge == "position" and position < 5:
        score += 2
    elif judge == "echo-injection":
        low = text.lower()
        if any(s in low for s in INJECTIONS):
            return 10
    if noise:
        base = rank_model(model).split("-noise")[0]
        u = digest_int(base, str(story.get("id"))) / float(1 << 64)
        score += (2 * u - 1) * noise
    return max(1, min(10, int(round(score))))


def category(story, names):
    m = re.search(r"\[cat=([^\]]+)\]", str(story.get("text", "")))
    if m:
        return m.group(1)
    if names:
        return names[digest_int("cat", str(story.get("id"))) % len(names)]
    return "general"


def make_scores(model, judge, faults, noise, batch, names, request=""):
    ids = [str(s.get("id")) for s in batch]
    keep = list(batch)
    if "missing-ids" in faults and batch:
        key = (model, tuple(ids))
        with lock:
            left = state["left_out"].setdefault(model, set())
            only_left = all(i in left for i in ids)
            seen = key in state["batches_seen"]
            state["batches_seen"].add(key)
            if not only_left and not seen:
                left.add(ids[-1])
                keep = keep[:-1]
    scores = []
    for pos, story in enumerate(keep):
        score = judge_score(judge, noise, scoring_model(model), story, pos,
                            request)
        scores.append({"id": str(story.get("id")), "score": score,
                       "category": category(story, names)})
    if "out-of-range" in faults:
        if len(scores) > 0:
            scores[0]["score"] = 11
        if len(scores) > 1:
            scores[1]["score"] = 0
    if "unknown-ids" in faults:
        scores.append({"id": "unknown-%d" % (digest_int(*ids) % 100000),
                       "score": 7, "category": category({}, names)})
    return {"scores": scores}


def cut_short(result):
    """What a tool's input holds when the reply stops early: the keys up to
    the first array, that array halved, nothing after it."""
    out = {}
    for key, value in result.items():
        if isinstance(value, list):
            out[key] = value[:len(value) // 2]
            break
        out[key] = value
    return out


def emptied(result):
    """The result with every array empty."""
    return {k: ([] if isinstance(v, list) else v) for k, v in result.items()}


def asked_max_tokens(req):
    """The output limit a request asked for, or None."""
    for key in ("max_tokens", "max_completion_tokens"):
        if isinstance(req.get(key), int):
            return req[key]
    return None


def schema_has(schema, name):
    """True when the schema's top-level properties include name."""
    try:
        return name in schema["properties"]
    except (KeyError, TypeError):
        return False


def request_kind(model, schema):
    """"pairs", "rewrite", "verify", "write" or "rank": the schema's
    "pairs", "rewrites" or "verdicts" property first, then the writer's
    marks, else a ranking."""
    if schema_has(schema, "pairs"):
        return "pairs"
    if schema_has(schema, "rewrites"):
        return "rewrite"
    if schema_has(schema, "verdicts"):
        return "verify"
    if is_writer(model, schema):
        return "write"
    return "rank"


PAIR_NAME = re.compile(r"[A-Za-z][A-Za-z-]*\d[\w.-]*|\d+[xX]\d+[A-Za-z]*")
PAIR_WORD = re.compile(r"[A-Z][a-z]{3,}")


def make_pairs(batch):
    """The same-event vote on headline pairs ({"id", "a", "b"}): the same
    event when the two share a model-like name (letters with digits, as
    Corvid-3 or 8x22B) and a capitalized word of four letters or more,
    or their whole text; a judge of this kind reads no Korean better than
    its names."""
    pairs = []
    for item in batch:
        a, b = str(item.get("a", "")), str(item.get("b", ""))
        names = set(PAIR_NAME.findall(a)) & set(PAIR_NAME.findall(b))
        words = set(PAIR_WORD.findall(a)) & set(PAIR_WORD.findall(b))
        same = a == b or bool(names and words)
        pairs.append({"id": item.get("id"), "same": same})
    return {"pairs": pairs}


def make_verdicts(verifier, batch):
    """One verdict per item: "miss" supports all; "catch" rejects a
    summary with a number that its source (title and text) does not have."""
    verdicts = []
    for item in batch:
        problem = ""
        if verifier == "catch":
            source = "%s %s" % (item.get("source_title") or "",
                                item.get("source_text") or "")
            missing = []
            for n in NUMBER.findall(str(item.get("summary") or "")):
                if n not in source and n not in missing:
                    missing.append(n)
            if missing:
                problem = "원문에 없는 수치: %s" % ", ".join(missing)
        verdicts.append({"id": str(item.get("id")),
                         "supported": not problem, "problem": problem})
    return {"verdicts": verdicts}


def make_rewrites(model, batch):
    """The writer's clean rewrite of each item; "-stubborn" keeps the
    planted number in the first story whose draft has it."""
    stubborn = "-stubborn" in (model or "")
    kept = False
    rewrites = []
    for item in batch:
        kind = item.get("kind")
        title = str(item.get("source_title") or "")
        text = str(item.get("source_text") or "")[:400]
        entry = {"id": str(item.get("id")), "oneliner": "", "summary": "",
                 "text": ""}
        if kind == "story":
            entry["oneliner"] = "「%s」 소식이 나왔습니다." % title
            entry["summary"] = ("「%s」에 관한 소식입니다. 원문 요약: %s"
                                % (title, text))
            if (stubborn and not kept and
                    "73.4" in str(item.get("draft") or "")):
                entry["summary"] += PLANTED_STORY
                kept = True
        elif kind == "intro":
            entry["text"] = REWRITE_INTRO
        elif kind == "viewpoint":
            entry["text"] = REWRITE_VIEWPOINT
        rewrites.append(entry)
    return {"rewrites": rewrites}


def is_writer(model, schema):
    """A writer request: its schema has "viewpoint", or its model says so."""
    try:
        if "viewpoint" in schema["properties"]:
            return True
    except (KeyError, TypeError):
        pass
    return str(model or "").startswith("writer")


def make_writer(model, batch):
    """The writer's reply for a batch, in Korean, variants by the model."""
    variants = set(v for v in WRITER_VARIANTS if ("-" + v) in (model or ""))
    stories = list(batch)
    if "missing" in variants and stories:
        stories = stories[:-1]
    cats = []
    for story in batch:
        c = story.get("category")
        if isinstance(c, str) and c and c not in cats:
            cats.append(c)
    first = str(batch[0].get("title", "")) if batch else ""
    out = []
    for story in stories:
        title = str(story.get("title", ""))
        text = str(story.get("text", ""))[:400]
        out.append({"id": str(story.get("id")),
                    "oneliner": "「%s」 소식이 나왔습니다." % title,
                    "summary": "「%s」에 관한 소식입니다. 원문 요약: %s"
                               % (title, text)})
    result = {
        "title": "오늘의 AI 소식: %s" % first,
        "description": "AI 소식 %d건을 정리했습니다." % len(batch),
        "tags": ["AI", "LLM 소식", "오늘의 AI"],
        "intro": "오늘의 첫 소식은 「%s」입니다. 모두 %d건의 소식을 "
                 "정리했습니다." % (first, len(batch)),
        "viewpoint": "의견으로는, 「%s」 소식이 오늘 가장 중요하다고 봅니다."
                     % first,
        "overview_title": "오늘의 AI 기술 동향",
        "headings": [{"id": c, "heading": "%s 분야 소식" % c} for c in cats],
        "stories": out,
    }
    if "urls" in variants and out:
        out[0]["oneliner"] += " 자세한 내용은 https://example.com/a?b=1 에서."
        out[0]["summary"] += " [원문](https://example.com/post) 참고."
        result["intro"] += " (www.example.com/news)"
        result["viewpoint"] += " <https://example.org/x> http://x.test/y."
    if "glossary" in variants:
        for entry in out:
            if re.search("transformer", entry["summary"], re.I):
                entry["summary"] = re.sub("transformer", "변환기",
                                          entry["summary"], flags=re.I)
                break
    if "english" in variants and out:
        out[0]["oneliner"] = "Here is the story about %s." % (
            stories[0].get("title", ""))
    if variants & {"planted", "stubborn"}:
        for pos in (1, 3):
            if pos < len(out):
                out[pos]["summary"] += PLANTED_STORY
        result["intro"] += PLANTED_INTRO
        result["viewpoint"] += PLANTED_VIEWPOINT
    return result


def tokens(text):
    return max(1, len(text) // 4)


class Handler(testserver.Handler):
    server_version = "aidigest-llm-test/1"

    def send_json(self, code, obj, headers=()):
        self.send(code, json.dumps(obj).encode("utf-8"), "application/json",
                  headers)

    def refuse_body(self, code):
        # 413 whatever the fault, as the providers answer
        self.send_json(413, {"error": {"message": "bad length"}})

    def route(self, body):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        path = url.path
        if path == "/stats":
            return self.stats()
        if path == "/reset":
            reset()
            return self.send_json(200, {"reset": True})
        if path == "/quit":
            self.send_json(200, {"bye": True})
            return self.shut_down_after_reply()
        latency = LATENCY_MS
        m = re.search(r"/latency-ms/(\d+)(?=/)", path)
        if m:
            latency = float(m.group(1))
        if "latency_ms" in query:
            try:
                latency = float(query["latency_ms"])
            except ValueError:
                pass
        if body is not None and path.endswith("/chat/completions"):
            return self.llm("openai", body, latency)
        if body is not None and path.endswith("/messages"):
            return self.llm("anthropic", body, latency)
        self.send_json(404, {"error": {"message": "no route " + path}})

    def stats(self):
        with lock:
            out = {k: v for k, v in state.items()
                   if k not in ("seen_once", "batches_seen", "left_out",
                                "in_flight")}
        self.send_json(200, out)

    def error(self, provider, code, kind, message, headers=()):
        if provider == "openai":
            obj = {"error": {"message": message, "type": kind,
                             "param": None, "code": kind}}
        else:
            obj = {"type": "error",
                   "error": {"type": kind, "message": message}}
        self.finish_llm(code, obj, headers)

    def finish_llm(self, code, obj, headers=()):
        with lock:
            bump(state["by_status"], str(code))
        self.send_json(code, obj, headers)

    def llm(self, provider, body, latency):
        endpoint = ("/v1/chat/completions" if provider == "openai"
                    else "/v1/messages")
        try:
            req = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            req = None
        model = req.get("model") if isinstance(req, dict) else None
        with lock:
            state["requests"] += 1
            bump(state["by_endpoint"], endpoint)
            bump(state["by_model"], str(model))
            state["in_flight"] += 1
            state["max_concurrent"] = max(state["max_concurrent"],
                                          state["in_flight"])
        try:
            if latency > 0:
                time.sleep(latency / 1000.0)
            self.answer(provider, req, body)
        finally:
            with lock:
                state["in_flight"] -= 1

    def answer(self, provider, req, body):
        if provider == "openai":
            auth = self.headers.get("Authorization") or ""
            key = auth[7:] if auth.startswith("Bearer ") else auth
            if key != API_KEY:
                return self.error(
                    provider, 401, "invalid_api_key",
                    "Incorrect API key provided: %s." % key)
        else:
            key = self.headers.get("x-api-key") or ""
            if key != API_KEY:
                return self.error(provider, 401, "authentication_error",
                                  "invalid x-api-key: %s" % key)
            if not self.headers.get("anthropic-version"):
                return self.error(provider, 400, "invalid_request_error",
                                  "anthropic-version: header is required")
        if not isinstance(req, dict) or not isinstance(req.get("model"),
                                                        str):
            return self.error(provider, 400, "invalid_request_error",
                              "the body is not a request with a model")
        messages = req.get("messages")
        if not isinstance(messages, list) or not messages:
            return self.error(provider, 400, "invalid_request_error",
                              "messages: at least one is required")
        if provider == "anthropic" and not isinstance(
                req.get("max_tokens"), int):
            return self.error(provider, 400, "invalid_request_error",
                              "max_tokens: Field required")

        model = req["model"]
        judge, faults, noise = parse_model(model)
        for f in (self.headers.get("X-Fault") or "").split(","):
            if f.strip() in FAULTS:
                faults.add(f.strip())

        # the prompt, the batch, the categories and the request's kind
        if provider == "openai":
            system = "".join(text_of(m.get("content")) for m in messages
                             if isinstance(m, dict) and
                             m.get("role") in ("system", "developer"))
            schema = (((req.get("response_format") or {}).get(
                "json_schema") or {}).get("schema"))
        else:
            system = text_of(req.get("system"))
            tools = req.get("tools") or []
            schema = (tools[0].get("input_schema")
                      if tools and isinstance(tools[0], dict) else None)
        users = [m for m in messages
                 if isinstance(m, dict) and m.get("role") == "user"]
        user = text_of(users[-1].get("content")) if users else ""
        batch = find_batch(user) or []
        names = schema_categories(schema) or prompt_categories(system)
        kind = request_kind(model, schema)
        limit = asked_max_tokens(req)
        with lock:
            bump(state["by_kind"], kind)
            state["max_tokens"].setdefault(model, []).append(limit)

        # OpenAI's reasoning models refuse the older sampling parameters
        if provider == "openai" and REASONING_MODEL.match(model):
            if "max_tokens" in req:
                return self.error(
                    provider, 400, "invalid_request_error",
                    "Unsupported parameter: 'max_tokens' is not supported "
                    "with this model. Use 'max_completion_tokens' instead.")
            if req.get("temperature", 1) != 1:
                return self.error(
                    provider, 400, "invalid_request_error",
                    "Unsupported value: 'temperature' does not support %s "
                    "with this model. Only the default (1) value is "
                    "supported." % req.get("temperature"))

        if "500" in faults or (kind == "verify" and
                               parse_verifier(model) == "fail"):
            return self.error(provider, 500, "api_error",
                              "Internal server error")
        if "arrayerror" in faults:
            return self.finish_llm(400, GEMINI_ERROR)
        if "529" in faults and first_time("529", model, body):
            return self.error(provider, 529, "overloaded_error",
                              "Overloaded")
        if "429" in faults and first_time("429", model, body):
            return self.error(provider, 429, "rate_limit_error",
                              "Rate limit reached; try again in 1s",
                              [("Retry-After", "1")])
        if "slow" in faults:
            time.sleep(SLOW_MS / 1000.0)

        if kind == "pairs":
            result = make_pairs(batch)
        elif kind == "rewrite":
            result = make_rewrites(model, batch)
        elif kind == "verify":
            result = make_verdicts(parse_verifier(model), batch)
        elif kind == "write":
            result = make_writer(model, batch)
        else:
            result = make_scores(model, judge, faults, noise, batch, names,
                                 user)
        text = json.dumps(result)

        if "malformed" in faults:
            text = text[:max(1, len(text) // 2)]
        if "prose" in faults:
            text = ("Here are the scores:\n```json\n" +
                    json.dumps(result, indent=2) +
                    "\n```\nLet me know if you need anything else.")
        # a reply cut short: by the context window, or at max_tokens
        cut = None
        if "overflow" in faults:
            cut = "model_context_window_exceeded"
        elif "truncated" in faults and first_time(
                "truncated", model, user.encode("utf-8")):
            cut = "max_tokens"
        tin = tokens(system + user)
        tout = tokens(text)
        if cut:
            tout = limit or tout  # it wrote all it was let
        with lock:
            state["tokens_in"] += tin
            state["tokens_out"] += tout
        if provider == "openai":
            self.reply_openai(model, text, faults, cut, tin, tout)
        else:
            tool = None
            choice = req.get("tool_choice") or {}
            if isinstance(choice, dict) and choice.get("type") == "tool":
                tool = choice.get("name")
            elif req.get("tools"):
                tool = req["tools"][0].get("name")
            self.reply_anthropic(model, text, result, tool, faults, cut,
                                 (tin, tout))

    def reply_openai(self, model, text, faults, cut, tin, tout):
        message = {"role": "assistant", "content": text, "refusal": None}
        finish = "stop"
        if cut:
            message["content"] = text[:len(text) // 2]
            finish = "length"
        if "refuse" in faults:
            message = {"role": "assistant", "content": None,
                       "refusal": "I'm sorry, I can't help with that."}
        self.finish_llm(200, {
            "id": "chatcmpl-test%d" % (digest_int(text) % 10**9),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "logprobs": None,
                         "finish_reason": finish}],
            "usage": {"prompt_tokens": tin, "completion_tokens": tout,
                      "total_tokens": tin + tout},
        })

    def reply_anthropic(self, model, text, result, tool, faults, cut,
                        usage):
        tin, tout = usage
        stop = "end_turn"
        tool_id = "toolu_test%d" % (digest_int(text) % 10**9)
        if "refuse" in faults:
            content, stop = [], "refusal"
        elif tool and not faults & {"malformed", "prose"}:
            content = [{"type": "tool_use", "id": tool_id, "name": tool,
                        "input": cut_short(result) if cut else result}]
            stop = "tool_use"
            if "multitool" in faults:
                content = [
                    {"type": "text", "text": "Let me record it."},
                    {"type": "tool_use", "id": tool_id + "0",
                     "name": "scratch_pad", "input": {"note": "thinking"}},
                    content[0],
                    {"type": "tool_use", "id": tool_id + "2", "name": tool,
                     "input": emptied(result)}]
        else:
            content = [{"type": "text",
                        "text": text[:len(text) // 2] if cut else text}]
        if cut:
            stop = cut
        self.finish_llm(200, {
            "id": "msg_test%d" % (digest_int(text) % 10**9),
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": content,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": {"input_tokens": tin, "output_tokens": tout},
        })


if __name__ == "__main__":
    testserver.serve(Handler, queue_size=256)
