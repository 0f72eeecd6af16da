#!/usr/bin/env python3
"""A realistic day of AI news for aidigest's whole-night test and benchmark
(standard library only). The same seed and date give the same bytes.

Usage: python3 tests/gen_day.py [--seed N] [--date YYYY-MM-DD] OUT_DIR
       python3 tests/gen_day.py --check POST [--items ITEMS_JSON] OUT_DIR

The day is DATE in +09:00 (default 2026-11-26). It writes:
  OUT_DIR/feeds/FILE    300 feeds of 20 items each: RSS 2.0, Atom 1.0,
                        JSON Feed 1.1 and RSS 1.0 (RDF); arXiv listings
                        with their "Announce Type" prefix; GitHub release
                        feeds with automated builds; Korean media in
                        Korean, dates in local time without a zone, three
                        of them in EUC-KR
  OUT_DIR/sources.txt   a line a feed, "kind name FILE [option...]":
                        the caller turns FILE into a URL
  OUT_DIR/manifest.json what every item is, by link:
                        {"date", "window": [FROM, TO] (UTC, RFC 3339),
                         "events": {ID: {"type", "q", "title", "langs",
                                         "items"}},
                         "items": {LINK: {"event", "kind", "lang", "q",
                                          "in_day", "feed"}}}
                        kind: "event" (news of an event: EVENT names it,
                        and every item of one event tells the same
                        news), "noise" (build notes, hiring, webinars,
                        events, ads, photo and personnel notices,
                        chatter), "roundup" (a newsletter's list of the
                        week) or "old" (before the day).

With --check, it reads a post published from the day in OUT_DIR (and,
with --items, the day's stories from `aidigest items --format json`) and
prints "stories N" (the Overview's stories), "repeated_links N" (links
the Overview has more than once, as the same page: tracking parameters,
fragment and trailing slash aside, paper pages as arXiv's), then one
"finding: ..." a line: noise in the post, an event told more than once
(across languages or not), items from outside the day, how many of the
day's events of q >= 8 made it, and how the stories merge and split the
events.

What it exercises:
  - one event told by many sources: the origin (a lab's blog, a release
    feed, arXiv), then news in English and Korean under different
    headlines, community links to the origin (some with utm_ tags),
    newsletters and posts on X; arXiv cross-lists (one paper in several
    listings) and paper pages on huggingface.co/papers;
  - near-duplicates that are distinct events: a lab's launch, its price
    cut, its funding and its safety report on the same day; two labs
    launching models under the same headline template; Korean and
    English news sharing model names and figures written each language's
    way ($450 million against 4억5000만 달러);
  - noise: CI build notes (b-numbers, "ci: fix arm build"), hiring posts,
    webinars, event listings, sponsored posts, Korean photo and personnel
    notices, newsletters' weekly roundups;
  - the day's window: lab blogs carry weeks of older posts, and late
    coverage spills past midnight.
Every organisation, product, person and link is made up (arxiv.org,
huggingface.co/papers, github.com and x.com are only the platforms'
link shapes). A "[q=N]" marker ends every item's text: the true value of
the news (1 to 10), which tests/llm_server.py's fair judges read.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import sys
import urllib.parse
from xml.sax.saxutils import escape

KST = dt.timezone(dt.timedelta(hours=9))
UTC = dt.timezone.utc
ITEMS_PER_FEED = 20

# (group, feeds): 300 in all
GROUPS = [("lab_blog", 20), ("lab_x", 12), ("arxiv", 14), ("papers", 6),
          ("release", 40), ("en_news", 60), ("ko_news", 50),
          ("community", 30), ("newsletter", 30), ("ko_lab", 12),
          ("ko_community", 10), ("person_x", 16)]

# group: (feeds.txt kind, language, older items (low, high), options)
GROUP_INFO = {
    "lab_blog": ("blog", "en", (12, 16), "weight=1.5 tags=lab"),
    "lab_x": ("tweet", "en", (3, 8), "tags=lab"),
    "arxiv": ("paper", "en", (0, 0), ""),
    "papers": ("paper", "en", (0, 0), ""),
    "release": ("release", "en", (0, 4), ""),
    "en_news": ("news", "en", (0, 4), ""),
    "ko_news": ("news", "ko", (0, 3), "tz=+09:00"),
    "community": ("community", "en", (0, 3), ""),
    "newsletter": ("blog", "en", (4, 10), ""),
    "ko_lab": ("blog", "ko", (12, 16), "tz=+09:00 tags=lab"),
    "ko_community": ("community", "ko", (0, 4), "tz=+09:00"),
    "person_x": ("tweet", "en", (2, 8), ""),
}

# Labs and companies: (name, Korean name, slug, handle, model family, role)
ORGS = [
    ("Northwind AI", "노스윈드", "northwind", "northwind_ai", "Northwind-", "lab"),
    ("Meridian Labs", "메리디안랩스", "meridian", "meridianlabs", "Flux ", "lab"),
    ("Halcyon", "핼시온", "halcyon", "halcyon_ml", "Echo ", "lab"),
    ("Cobalt Research", "코발트리서치", "cobalt", "cobalt_r", "Cobalt-R", "lab"),
    ("Tessera AI", "테세라AI", "tessera", "tessera_ai", "Tessera ", "lab"),
    ("Lumen Systems", "루멘시스템즈", "lumen", "lumensys", "Lumen-VL ", "lab"),
    ("Arbor Labs", "아버랩스", "arbor", "arborlabs", "Arbor ", "lab"),
    ("Quill", "퀼", "quill", "quill_dev", "Quill Coder ", "lab"),
    ("Kestrel AI", "케스트럴AI", "kestrel", "kestrel_ai", "Kestrel ", "lab"),
    ("Orrery", "오러리", "orrery", "orrery_ai", "Orrery-", "lab"),
    ("Jadeview", "제이드뷰", "jadeview", "jadeview_ai", "Jade-", "lab"),
    ("Lotus Bay AI", "로터스베이AI", "lotusbay", "lotusbay_ai", "LotusLM ", "lab"),
    ("Fathom Labs", "패덤랩스", "fathom", "fathomlabs", "Fathom ", "lab"),
    ("Corvid AI", "코르비드AI", "corvid", "corvid_ai", "Corvid-", "lab"),
    ("Polaris Compute", "폴라리스컴퓨트", "polaris", "polariscompute", "PX-", "chip"),
    ("Sable Semiconductor", "세이블반도체", "sable", "sablesemi", "SB", "chip"),
    ("Vantage Cloud", "밴티지클라우드", "vantage", "vantagecloud", "", "cloud"),
    ("Stratus Data", "스트라투스데이터", "stratus", "stratusdata", "", "cloud"),
    ("Juniper Robotics", "주니퍼로보틱스", "juniper", "juniper_bots", "Juniper-",
     "robot"),
    ("Beacon Health AI", "비컨헬스AI", "beacon", "beaconhealth", "Beacon-Med ",
     "lab"),
]

# Korean companies and institutions: (Korean name, English name, slug,
# model family or "", role)
KO_ORGS = [
    ("한빛AI", "Hanbit AI", "hanbit", "Hanbit-X ", "lab"),
    ("누리랩", "Nuri Lab", "nurilab", "NuriLM ", "lab"),
    ("다온테크", "Daon Tech", "daon", "Daon ", "lab"),
    ("가람소프트", "Garam Soft", "garam", "Garam-Coder ", "lab"),
    ("새봄전자", "Saebom Electronics", "saebom", "SBM-", "chip"),
    ("한결텔레콤", "Hangyeol Telecom", "hangyeol", "HG ", "lab"),
    ("온누리클라우드", "Onnuri Cloud", "onnuri", "", "cloud"),
    ("마루로보틱스", "Maru Robotics", "maru", "", "robot"),
    ("과학기술정보통신부", "the Ministry of Science and ICT", "msit", "", "gov"),
    ("국가AI연구원", "the National AI Institute", "nai", "", "institute"),
    ("한국AI산업협회", "the Korea AI Industry Association", "kaia", "",
     "association"),
    ("한강대 AI연구실", "Hangang University's AI lab", "hangang-univ", "", "univ"),
]

VCS = ["Redwood Peak Capital", "Harborline Ventures", "Granite Arc Partners",
       "Bluefield Capital", "Tidewater Growth", "Northgate Fund"]
START_A = ["Bright", "Fern", "Quartz", "Ember", "Lattice", "Signal", "Marble",
           "Cinder", "Harbor", "Pixel", "Vector", "Orbit", "Cedar", "Nimbus",
           "Prism", "Relay", "Copper", "Willow", "Falcon", "Tidal"]
START_B = ["loop", "wave", "stack", "mind", "forge", "base", "works", "gate",
           "line", "scale", "field", "path"]
# distinct in their first two syllables, which is what a Korean title
# match compares
KO_START_A = ["마음", "별빛", "하늘", "바다", "새싹", "으뜸", "다솜", "한울",
              "빛누", "나래", "소리", "가온", "아름", "푸른", "미르", "온빛",
              "해솔", "라온", "슬기", "보람", "초록", "은하", "구름", "노을",
              "새벽", "여름", "봄날", "단비", "이룸", "한별", "햇살", "모아",
              "비채", "늘봄", "들꽃", "산들", "찬솔", "윤슬", "나린", "도담"]
KO_START_B = ["AI", "랩", "소프트", "테크", "데이터", "로보틱스", "에이아이"]
CITIES_KO = ["서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종",
             "수원", "성남"]
CITIES_EN = ["Seoul", "Berlin", "London", "Toronto", "Paris", "Zurich",
             "Singapore", "Austin", "New York", "Tokyo"]
ROLES = [("inference engineer", "추론 엔지니어"),
         ("research scientist", "연구원"),
         ("ML platform engineer", "ML 플랫폼 엔지니어"),
         ("developer advocate", "개발자 애드보킷"),
         ("GPU kernel engineer", "GPU 커널 엔지니어"),
         ("product designer", "프로덕트 디자이너")]
BENCHES = ["GPQA", "SWE-bench Verified", "MMLU-Pro", "LiveCodeBench",
           "AIME 2026", "MATH-500", "ARC-AGI-2", "HumanEval+"]
KO_BENCHES = ["KMMLU", "KoBEST", "HAE-RAE", "KorNAT", "CLIcK"]
LICENSES = [("the Apache 2.0 license", "아파치 2.0"),
            ("the MIT license", "MIT"),
            ("a research-only license", "연구용")]
CLOUD_PRODUCTS = ["Chat", "Studio", "API", "Assistant", "Console"]
FEATURES = [("memory", "메모리"), ("voice mode", "음성 모드"),
            ("a code interpreter", "코드 실행"),
            ("computer use", "컴퓨터 조작"), ("a batch API", "배치 API"),
            ("scheduled tasks", "예약 작업"),
            ("team workspaces", "팀 워크스페이스"),
            ("file search", "파일 검색")]
THINGS = ["the KV cache", "reward models", "speculative decoding",
          "mixture-of-experts routing", "tokenizers", "preference data",
          "long-context retrieval", "chain-of-thought traces",
          "vision encoders", "code agents", "synthetic data",
          "multilingual pretraining", "process reward models",
          "sparse attention", "model merging", "low-rank adapters",
          "test-time compute", "tool use", "prompt caching",
          "quantization", "small language models", "agent memory"]
THINGS_KO = ["AI 에이전트", "소형 언어 모델", "AI 반도체", "생성형 AI 저작권",
             "AI 데이터센터", "온디바이스 AI", "AI 기본법", "공공 AI 전환",
             "소버린 AI", "AI 인재 양성"]
DOMAINS = [("Korean legal", "한국어 법률"), ("medical", "의료"),
           ("radiology", "영상의학"), ("tax law", "세법"),
           ("patent", "특허"), ("clinical trial", "임상시험"),
           ("Korean history", "한국사"), ("accounting", "회계"),
           ("biology", "생물학"), ("materials science", "재료과학"),
           ("climate", "기후"), ("cybersecurity", "사이버보안"),
           ("financial", "금융"), ("multilingual math", "다국어 수학"),
           ("scientific", "과학"), ("chemistry", "화학"),
           ("Korean cultural", "한국 문화"),
           ("low-resource language", "저자원 언어"),
           ("spreadsheet", "스프레드시트"),
           ("GUI navigation", "GUI 조작")]
SETTINGS = ["long-context inference", "on-device models",
            "multilingual LLMs", "web agents", "small language models",
            "low-resource languages", "robot manipulation",
            "retrieval-augmented generation", "code generation"]
METHOD_A = ["Sparse", "Flash", "Lo", "Quant", "Skip", "Route", "Merge",
            "Distill", "Echo", "Prism", "Anchor", "Ladder", "Tidy", "Swift"]
METHOD_B = ["KV", "Attn", "Tune", "Mix", "Former", "RL", "Gate", "Draft",
            "Cache", "Probe", "Align", "Search"]
PROJ_A = ["fast", "tiny", "kv", "quant", "token", "eval", "agent", "vec",
          "flash", "lora", "spec", "grad", "shard", "prompt", "embed", "moe",
          "chunk", "beam", "sparse", "infer"]
PROJ_B = ["serve", "run", "pool", "kit", "forge", "hub", "loop", "store",
          "cache", "bench", "flow", "lab"]
PROJ_FEATURES = [("prefix caching", "프리픽스 캐싱"),
                 ("FP8 on consumer GPUs", "소비자용 GPU FP8 지원"),
                 ("speculative decoding", "추측 디코딩"),
                 ("a Rust tokenizer", "러스트 토크나이저"),
                 ("multi-LoRA serving", "멀티 LoRA 서빙"),
                 ("structured outputs", "구조화 출력"),
                 ("ROCm support", "ROCm 지원"),
                 ("paged attention on Apple silicon", "애플 실리콘 페이지드 어텐션"),
                 ("a streaming API", "스트리밍 API"),
                 ("distributed evaluation", "분산 평가")]
CI_NOTES = ["ci: fix arm build", "docs: typo", "chore(deps): bump {dep}",
            "ci: cache cuda toolkit", "build: silence a warning",
            "tests: skip flaky test on macOS", "ci: retry windows job",
            "chore: update lockfile", "docs: fix broken link",
            "ci: pin runner image"]
DEPS = ["serde", "pytest", "cmake", "actions/checkout", "numpy", "tokio",
        "protobuf", "ruff"]
CONFS = ["NeurIPS", "ICLR", "AI Summit Seoul", "ML Systems Day",
         "Open Models Forum", "Inference Week"]
CONFS_KO = ["AI 서밋 서울", "코리아 AI 엑스포", "오픈모델 포럼", "AI 반도체 포럼",
            "생성형 AI 컨퍼런스"]
KO_AREAS = [("AI 반도체", "AI chips"), ("공공 AI 전환", "public-sector AI"),
            ("AI 데이터센터", "AI data centres"),
            ("소버린 AI", "sovereign AI models"),
            ("AI 인재 양성", "AI talent programs"),
            ("피지컬 AI", "physical AI and robotics")]
# (a detail of a plan, the same in a headline's few words)
KO_DETAILS = [("추론용 저전력 칩과 메모리 설계가 중점 분야다.", "저전력 칩 집중"),
              ("지역 거점 데이터센터 세 곳을 새로 짓는다.", "거점 센터 3곳 신설"),
              ("대학과 기업이 함께 참여하는 컨소시엄을 공모한다.", "산학 컨소시엄 공모"),
              ("중소기업의 AI 도입 비용을 최대 70%까지 지원한다.", "중소기업 도입비 70% 지원"),
              ("국산 AI 모델을 공공 서비스에 우선 적용한다.", "국산 모델 우선 적용")]
POLICY_BODIES = [("the European Commission", "EU 집행위원회"),
                 ("the UK's AI Security Institute", "영국 AI안전연구소"),
                 ("Japan's digital agency", "일본 디지털청")]
POLICY_TOPICS = [("testing frontier models", "프런티어 모델 평가"),
                 ("labelling AI-generated content", "AI 생성물 표시"),
                 ("training data transparency", "학습 데이터 공개")]
PEOPLE = ["Dana Okafor", "Minho Seo", "Priya Raman", "Lukas Brandt",
          "Aiko Tanaka", "Jonas Weber", "Sofia Marin", "Eunji Park",
          "Tomas Novak", "Leila Haddad", "Ravi Menon", "Hana Kim",
          "Owen Price", "Yuki Mori", "Clara Dubois", "Jiwoo Lee"]
EN_ADJ = ["daily", "open", "silicon", "neural", "signal", "latent", "vector",
          "frontier", "tensor", "gradient", "token", "compute", "prompt",
          "parallel", "sparse", "applied"]
EN_NOUN = ["wire", "ledger", "report", "post", "review", "brief", "times",
           "journal", "dispatch", "digest", "herald", "observer",
           "chronicle", "tribune", "gazette"]
KO_PRE = [("hanul", "한울"), ("baram", "바람"), ("saebit", "새빛"),
          ("nuri", "누리"), ("dasom", "다솜"), ("bitnara", "빛나라"),
          ("hangang", "한강"), ("gaon", "가온"), ("arirang", "아리랑"),
          ("mirae", "미래"), ("jeonja", "전자"), ("tech", "테크"),
          ("ai", "AI"), ("digital", "디지털"), ("saneop", "산업")]
KO_SUF = [("ilbo", "일보"), ("news", "뉴스"), ("times", "타임스"),
          ("sinmun", "신문"), ("today", "투데이"), ("economy", "경제"),
          ("post", "포스트")]
COMMUNITY = [("hn", "Hacker News"), ("lobsters", "Lobsters"),
             ("reddit-ml", "r/MachineLearning"),
             ("reddit-local", "r/LocalLLaMA"), ("tildes", "Tildes"),
             ("forum", "ML Forum")]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]

FIRST = ["Dana", "Minho", "Priya", "Lukas", "Aiko", "Jonas", "Sofia",
         "Eunji", "Tomas", "Leila", "Ravi", "Hana", "Owen", "Yuki", "Clara",
         "Jiwoo", "Mateo", "Ingrid", "Kwame", "Nadia", "Felix", "Seoyeon",
         "Arjun", "Maren"]
LAST = ["Okafor", "Seo", "Raman", "Brandt", "Tanaka", "Weber", "Marin",
        "Park", "Novak", "Haddad", "Menon", "Kim", "Price", "Mori",
        "Dubois", "Lee", "Ferreira", "Lindqvist", "Mensah", "Petrova",
        "Hartmann", "Choi", "Iyer", "Solberg"]
KO_NAMES = ["김서연", "이도윤", "박지호", "최하은", "정민준", "강서진", "조유나",
            "윤태오", "장하린", "임재원", "한지우", "오세훈"]
PRODUCTS = ["agent platform", "vector database", "GPU marketplace",
            "voice assistant", "eval service", "coding copilot",
            "document parser", "speech-to-text API", "synthetic data engine",
            "model router", "observability tool", "fine-tuning service",
            "browser agent", "meeting notetaker", "legal research assistant",
            "support chatbot", "data labelling platform", "inference cloud",
            "on-device runtime", "prompt manager", "AI firewall",
            "red-teaming service", "search engine", "translation app",
            "tutoring app", "design assistant", "sales copilot",
            "medical scribe", "contract reviewer", "robot simulator"]
SECTORS = ["hospitals", "banks", "insurers", "law firms", "retailers",
           "airlines", "schools", "factories", "logistics firms",
           "game studios", "newsrooms", "pharma labs", "call centres",
           "city governments", "farms", "utilities", "telecoms",
           "carmakers", "chipmakers", "accountants"]
DEVICES = ["phones", "laptops", "browsers", "cars", "robots", "watches",
           "smart glasses", "edge boxes"]
OPINIONS = ["will not save", "is quietly changing", "is overrated for",
            "is the next battleground for", "needs rules before it reaches",
            "is finally cheap enough for"]
KO_PRODUCTS = ["AI 상담 챗봇", "문서 요약 서비스", "음성 인식 엔진", "AI 번역 앱",
               "의료 영상 판독 솔루션", "법률 검색 서비스", "AI 면접 솔루션",
               "물류 최적화 플랫폼", "스마트팩토리 솔루션", "AI 교육 플랫폼",
               "보안관제 솔루션", "AI 회의록 서비스", "광고 생성 도구",
               "데이터 라벨링 플랫폼", "GPU 클라우드", "AI 세무 서비스"]
KO_SECTORS = ["제조", "금융", "의료", "물류", "교육", "공공", "유통", "보험",
              "법률", "농업", "건설", "게임"]
KO_ROUNDS = ["시드", "프리A", "시리즈A", "시리즈B", "브릿지"]
KO_ANGLES = ["지금 준비해야 할 것", "규제보다 진흥이 먼저다", "결국 인재가 답이다",
             "데이터 주권을 지켜야", "중소기업도 늦지 않았다", "속도보다 신뢰",
             "현장의 목소리를 들어야", "표준 경쟁에서 밀리면 안 된다"]
KO_QUOTES = ["한국어 AI는 우리가 가장 잘 안다", "내년 매출 두 배가 목표",
             "해외 진출 원년으로 삼겠다", "데이터가 곧 경쟁력",
             "작은 모델이 더 큰 시장을 연다", "현장에서 쓰이는 AI를 만든다"]
KO_COUNTRIES = ["일본", "미국", "베트남", "인도네시아", "사우디", "독일"]
KO_UNIVS = ["한강대", "누리대", "가온과기원", "미래공대", "새빛대", "바다대"]
PAPER_VERBS = ["Compressing", "Routing", "Distilling", "Probing", "Pruning",
               "Aligning", "Caching", "Searching", "Verifying", "Merging",
               "Steering", "Scheduling"]
PAPER_NOUNS = ["Attention Heads", "Reward Signals", "Draft Tokens",
               "Expert Layers", "Tool Calls", "Retrieval Contexts",
               "Preference Pairs", "Reasoning Traces", "Visual Tokens",
               "Memory Slots", "Code Edits", "Agent Plans", "Speech Units",
               "Graph Embeddings"]
PAPER_GOALS = ["Faster Decoding", "Robust Agents", "Honest Answers",
               "Cheaper Training", "Longer Contexts", "Safer Outputs",
               "Better Calibration", "Fewer Hallucinations",
               "Multilingual Transfer", "Efficient Fine-Tuning"]

# Which groups tell which kind of event, and how readily (a weight per
# group; the event's reach is spread over them by these weights)
COVERAGE = {
    "launch": {"en_news": 1.0, "ko_news": 0.7, "community": 0.6,
               "newsletter": 0.5, "person_x": 0.4, "ko_community": 0.3},
    "update": {"en_news": 1.0, "ko_news": 0.4, "community": 0.4,
               "newsletter": 0.2},
    "funding": {"en_news": 1.0, "ko_news": 0.6, "newsletter": 0.3,
                "community": 0.2},
    "acquisition": {"en_news": 1.0, "ko_news": 0.5, "community": 0.3},
    "partnership": {"en_news": 1.0, "ko_news": 0.5},
    "safety": {"en_news": 0.8, "community": 0.5, "newsletter": 0.4,
               "ko_news": 0.2},
    "feature": {"en_news": 1.0, "community": 0.4, "ko_news": 0.3,
                "person_x": 0.2},
    "hardware": {"en_news": 1.0, "ko_news": 0.8, "community": 0.3},
    "ko_launch": {"ko_news": 1.0, "ko_community": 0.4, "en_news": 0.2},
    "ko_business": {"ko_news": 1.0},
    "ko_policy": {"ko_news": 1.0, "en_news": 0.1},
    "policy": {"en_news": 1.0, "ko_news": 0.4, "newsletter": 0.2},
    "oss": {"community": 1.0, "en_news": 0.3, "ko_community": 0.5,
            "newsletter": 0.3},
    "paper": {"community": 0.6, "newsletter": 0.4, "person_x": 0.4,
              "papers": 1.0},
}


def batchim(word):
    """Whether a word ends in a final consonant, as a Korean particle
    after it is chosen (Hangul syllables, digits, some Latin letters)."""
    c = word.rstrip()[-1:]
    if not c:
        return False
    if "\uac00" <= c <= "\ud7a3":
        return (ord(c) - 0xAC00) % 28 != 0
    if c.isdigit():
        return c in "013678"
    return c.lower() in "lmnr"


def josa(word, with_final, without):
    return word + (with_final if batchim(word) else without)


def slugify(text, limit=60):
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:limit].rstrip("-") or "post"


def usd(m):
    """Millions of dollars in English: $450 million, $1.2 billion."""
    if m >= 1000:
        b = ("%.1f" % (m / 1000.0)).rstrip("0").rstrip(".")
        return "$%s billion" % b
    return "$%d million" % m


def usd_ko(m):
    """Millions of dollars as Korean news writes them: 4억5000만 달러."""
    eok, rest = divmod(m * 100, 10000)
    if eok and rest:
        return "%d억%d만 달러" % (eok, rest)
    if eok:
        return "%d억 달러" % eok
    return "%d만 달러" % rest


def rfc822(t, local=False):
    if local:
        t = t.astimezone(KST)
        zone = "+0900"
    else:
        t = t.astimezone(UTC)
        zone = "GMT"
    return "%s, %02d %s %04d %02d:%02d:%02d %s" % (
        WEEKDAYS[t.weekday()], t.day, MONTHS[t.month - 1], t.year, t.hour,
        t.minute, t.second, zone)


def rfc3339(t, local=False):
    if local:
        return t.astimezone(KST).strftime("%Y-%m-%dT%H:%M:%S+09:00")
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def naive_kst(t):
    return t.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S")


class Day:
    """The generator's state: the random source, the feeds, the events
    and the items placed so far."""

    def __init__(self, seed, date):
        self.rnd = random.Random(seed)
        self.date = date
        self.start = dt.datetime(date.year, date.month, date.day,
                                 tzinfo=KST).astimezone(UTC)
        self.end = self.start + dt.timedelta(days=1)
        self.feeds = []
        self.events = []
        self.counter = {}
        self.used_names = set()
        self.links = set()

    def next_id(self, kind, start=1):
        n = self.counter.get(kind, start)
        self.counter[kind] = n + 1
        return n

    def pick(self, seq):
        return seq[self.rnd.randrange(len(seq))]

    def time_in_day(self, lo=0.0, hi=1.0):
        span = (self.end - self.start).total_seconds()
        s = self.rnd.uniform(lo * span, hi * span)
        return self.start + dt.timedelta(seconds=int(s) // 60 * 60)

    def unique(self, make):
        """A name from make() that was not given before."""
        for _ in range(1000):
            name = make()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("out of names")

    def startup(self, unique=False):
        """A start-up's name; names repeat (one company, several small
        stories) unless unique."""
        if unique:
            return self.unique(
                lambda: self.pick(START_A) + self.pick(START_B))
        return self.pick(START_A) + self.pick(START_B)

    def ko_startup(self):
        return self.pick(KO_START_A) + self.pick(KO_START_B)

    def fresh_link(self, link):
        """link, or link with a number added when it was made before."""
        n = 1
        out = link
        while out in self.links:
            n += 1
            out = "%s-%d" % (link.rstrip("/"), n)
        self.links.add(out)
        return out


# ---- feeds ------------------------------------------------------------

def make_feeds(day):
    rnd = day.rnd
    en_names = [(a, n) for a in EN_ADJ for n in EN_NOUN]
    rnd.shuffle(en_names)
    ko_names = [(p, s) for p in KO_PRE for s in KO_SUF]
    rnd.shuffle(ko_names)
    projects = [(a, b) for a in PROJ_A for b in PROJ_B]
    rnd.shuffle(projects)
    arxiv_cats = ["cs.CL", "cs.LG", "cs.AI", "cs.CV", "cs.IR", "cs.RO",
                  "stat.ML", "cs.SE", "cs.CR", "cs.HC", "eess.AS", "cs.MA",
                  "cs.NE", "cs.DC"]
    for group, count in GROUPS:
        kind, lang, old, options = GROUP_INFO[group]
        for i in range(count):
            f = {"group": group, "kind": kind, "lang": lang,
                 "options": options, "items": [], "events": set()}
            if group in ("lab_blog", "lab_x"):
                org = ORGS[i]
                f["org"] = org
                f["name"] = org[2] + ("-x" if group == "lab_x" else "")
                f["title"] = org[0] + ("" if group == "lab_blog" else
                                       " (@%s)" % org[3])
                f["format"] = ("rss" if group == "lab_x" else
                               ("rss", "atom")[i % 2])
            elif group == "ko_lab":
                org = KO_ORGS[i]
                f["org"] = org
                f["name"] = org[2]
                f["title"] = org[0] + (" 보도자료" if org[4] == "gov"
                                       else " 블로그")
                f["format"] = "rss"
            elif group == "arxiv":
                f["name"] = "arxiv-" + arxiv_cats[i].lower().replace(".", "-")
                f["title"] = "%s updates on arXiv.org" % arxiv_cats[i]
                f["cat"] = arxiv_cats[i]
                f["format"] = "rdf" if i >= 10 else "rss"
            elif group == "papers":
                f["name"] = "papers-daily-%d" % (i + 1)
                f["title"] = "Daily Papers %d" % (i + 1)
                f["format"] = "json"
            elif group == "release":
                a, b = projects[i]
                proj = a + b
                owner = (ORGS[i % len(ORGS)][2] if i % 3 == 0
                         else "%s-dev" % a)
                f["project"] = (proj, owner, i % 2 == 0)
                f["name"] = proj
                f["title"] = "Release notes from " + proj
                f["format"] = "atom"
            elif group == "en_news":
                a, n = en_names[i]
                f["name"] = "%s-%s" % (a, n)
                f["title"] = "The %s %s" % (a.title(), n.title())
                f["domain"] = "%s%s.example.com" % (a, n)
                f["format"] = "rss" if i < 35 else ("atom" if i < 50
                                                   else "json")
            elif group == "ko_news":
                (p, pk), (s, sk) = ko_names[i]
                f["name"] = "%s-%s" % (p, s)
                f["title"] = pk + sk
                f["domain"] = "www.%s%s.example.kr" % (p, s)
                f["format"] = "rss"
                f["naive"] = i % 2 == 0
                f["encoding"] = "euc-kr" if i in (3, 17, 31) else "utf-8"
            elif group == "community":
                slug, title = COMMUNITY[i % len(COMMUNITY)]
                f["name"] = "%s-%d" % (slug, i // len(COMMUNITY) + 1)
                f["title"] = "%s: %s" % (title, ("front page", "newest",
                                                 "best", "ask", "show")
                                         [i // len(COMMUNITY)])
                f["style"] = slug
                f["format"] = "atom" if slug.startswith("reddit") else "rss"
            elif group == "newsletter":
                person = PEOPLE[i % len(PEOPLE)]
                f["name"] = "%s-%s" % (slugify(person), "notes" if i < 16
                                       else "weekly")
                f["title"] = (person + ("'s notes" if i < 16
                                        else "'s AI Weekly"))
                f["domain"] = "%s.example.net" % slugify(person)
                f["person"] = person
                f["format"] = ("json", "atom", "rss")[i % 3]
            elif group == "ko_community":
                (p, pk), (s, sk) = ko_names[50 + i]
                f["name"] = "%s-%s-community" % (p, s)
                f["title"] = "%s%s 커뮤니티" % (pk, sk)
                f["domain"] = "news.%s%s.example.kr" % (p, s)
                f["format"] = ("rss", "atom")[i % 2]
            elif group == "person_x":
                person = PEOPLE[i]
                f["name"] = "x-" + slugify(person)
                f["title"] = "%s (@%s)" % (person, slugify(person).replace(
                    "-", "_"))
                f["handle"] = slugify(person).replace("-", "_")
                f["person"] = person
                f["format"] = "rss"
            f.setdefault("domain", group_domain(f))
            f["old"] = rnd.randint(*old)
            day.feeds.append(f)


def group_domain(f):
    """Where a feed's own pages live, for the groups that name none."""
    g = f["group"]
    if g in ("lab_blog", "lab_x"):
        return "%s.example.ai" % f["org"][2]
    if g == "ko_lab":
        return "%s.example.kr" % f["org"][2]
    if g == "arxiv":
        return "arxiv.org"
    if g == "papers":
        return "huggingface.co"
    if g == "release":
        return "github.com"
    return "%s.example.net" % f["name"]


def feeds_of(day, group):
    return [f for f in day.feeds if f["group"] == group]


def free(f):
    """Slots left for the day's items (f["old"] are kept for older ones)."""
    new = sum(1 for it in f["items"] if it["kind"] != "old")
    return ITEMS_PER_FEED - f["old"] - new


# ---- events -------------------------------------------------------------

def new_event(day, etype, q, reach, facts, t0=None):
    e = {"id": "e%04d" % day.next_id("event"), "type": etype, "q": q,
         "reach": reach, "facts": facts,
         "t0": t0 or day.time_in_day(0.02, 0.8), "origin": None}
    day.events.append(e)
    return e


def model_name(day, family, version=None):
    v = version or day.pick(["3", "4", "4.5", "5", "7", "8", "2.5", "6"])
    if family.endswith(("-", " ")) or family == "SB":
        return family + v
    return family + " " + v


def score(day, lo, hi):
    """A benchmark score, "71.3%"; never one of the figures the fake
    writer invents (tests/llm_server.py: 73.4), so that a source never
    happens to support an invented sentence."""
    while True:
        s = "%.1f%%" % day.rnd.uniform(lo, hi)
        if s != "73.4%":
            return s


def make_events(day):
    rnd = day.rnd
    labs = [o for o in ORGS if o[5] == "lab"]
    launchers = labs[:]
    rnd.shuffle(launchers)
    launched = {}
    # big launches; their news shares headline templates, so two labs'
    # launches can read alike (a trap for matching by words)
    for org in launchers[:9]:
        size = day.pick(["7B", "8B", "14B", "32B", "70B", "8x22B", "120B"])
        lic = day.pick(LICENSES)
        version = day.pick(["3", "4", "5", "7", "8"])
        model = model_name(day, org[4], version)
        prev = model_name(day, org[4], str(int(version) - 1))
        launched[org[2]] = (model, prev)
        new_event(day, "launch", rnd.randint(8, 10), rnd.randint(12, 28), {
            "org": org, "model": model, "prev": prev, "params": size,
            "ctx": day.pick(["128K", "256K", "1M", "512K"]),
            "bench": day.pick(BENCHES),
            "score": score(day, 45, 88),
            "license": lic[0], "license_ko": lic[1],
            "adj": day.pick(["a small", "an efficient", "a fast",
                             "a multilingual", "a reasoning"])})
    # the same labs' other news of the day: price cuts, cloud deals,
    # safety reports, product features
    for org in launchers[:9] + launchers[9:13]:
        model, prev = launched.get(org[2], (None, model_name(day, org[4])))
        roll = rnd.random()
        if roll < 0.45:
            cloud = day.pick([o for o in ORGS if o[5] == "cloud"])
            new_event(day, "update", rnd.randint(5, 7), rnd.randint(3, 8), {
                "org": org, "model": prev, "pct": day.pick([30, 40, 50, 60]),
                "cloud": cloud, "sub": day.pick(["price", "cloud"])})
        if roll > 0.3:
            product = "%s %s" % (org[0].split()[0], day.pick(CLOUD_PRODUCTS))
            new_event(day, "feature", rnd.randint(4, 7), rnd.randint(2, 6), {
                "org": org, "product": product,
                "feature": day.pick(FEATURES)})
        if model and rnd.random() < 0.5:
            new_event(day, "safety", rnd.randint(5, 7), rnd.randint(2, 6), {
                "org": org, "model": model, "n": rnd.randint(8, 40) * 100,
                "pct": rnd.randint(90, 99)})
    # funding and acquisitions: some labs, some start-ups
    for org in launchers[3:6] + launchers[11:13]:
        new_event(day, "funding", rnd.randint(6, 8), rnd.randint(4, 12), {
            "org": org, "amount": day.pick([300, 450, 600, 750, 1200, 2000]),
            "valuation": day.pick([4000, 6000, 9000, 12000, 18000]),
            "round": day.pick("BCDE"), "vc": day.pick(VCS)})
    for _ in range(3):
        org = day.pick(labs + [o for o in ORGS if o[5] == "cloud"])
        new_event(day, "acquisition", rnd.randint(6, 7), rnd.randint(4, 9), {
            "org": org, "target": day.startup(unique=True),
            "amount": day.pick([120, 250, 400, 900]),
            "what": day.pick([("a code-review", "코드 리뷰"),
                              ("an evaluation", "AI 평가"),
                              ("a data-labelling", "데이터 라벨링"),
                              ("an inference", "추론 최적화")])})
    pairs = []
    while len(pairs) < 4:
        pair = rnd.sample(ORGS, 2)
        if pair not in pairs and pair[::-1] not in pairs:
            pairs.append(pair)
    for a, b in pairs:
        new_event(day, "partnership", rnd.randint(5, 6), rnd.randint(2, 6), {
            "org": a, "org2": b, "thing": day.pick([
                ("custom inference chips", "추론용 맞춤 칩"),
                ("a sovereign AI cloud in Korea", "국내 소버린 AI 클라우드"),
                ("robot foundation models", "로봇 파운데이션 모델"),
                ("medical imaging models", "의료 영상 모델")])})
    for org in [o for o in ORGS if o[5] == "chip"]:
        new_event(day, "hardware", rnd.randint(7, 8), rnd.randint(6, 14), {
            "org": org, "chip": "%s%d" % (org[4], rnd.randint(2, 9) * 100),
            "mem": day.pick([144, 192, 288]), "x": day.pick([2, 3, 4]),
            "node": day.pick(["3nm", "2nm", "4nm"])})
    # Korean news: launches, business, policy
    ko_labs = [o for o in KO_ORGS if o[4] == "lab"]
    for org in rnd.sample(ko_labs, 3):
        new_event(day, "ko_launch", rnd.randint(7, 8), rnd.randint(8, 15), {
            "org": org, "model": model_name(day, org[3],
                                            day.pick(["2.0", "3.0", "4.0"])),
            "params": day.pick(["7B", "15B", "32B", "72B"]),
            "bench": day.pick(KO_BENCHES),
            "score": score(day, 55, 85)},
            day.time_in_day(0.0, 0.4))
    companies = [o for o in KO_ORGS if o[4] in ("lab", "cloud", "robot",
                                                 "chip")]
    for org in rnd.sample(companies, 4):
        new_event(day, "ko_business", rnd.randint(5, 6), rnd.randint(3, 8), {
            "org": org, "sub": day.pick(["funding", "mou"]),
            "amount": day.pick([150, 300, 500, 800]),
            "round": day.pick("ABC"),
            "partner": day.pick([o for o in companies if o != org])},
            day.time_in_day(0.0, 0.5))
    # three plans of the ministry's, each for its own field and sum
    for area, amount in zip(rnd.sample(KO_AREAS, 3),
                            rnd.sample([800, 1200, 2400, 3500], 3)):
        new_event(day, "ko_policy", rnd.randint(6, 8), rnd.randint(8, 14), {
            "area": area, "amount": amount,
            "detail": day.pick(KO_DETAILS)}, day.time_in_day(0.0, 0.3))
    for body, topic in zip(rnd.sample(POLICY_BODIES, 2),
                           rnd.sample(POLICY_TOPICS, 2)):
        new_event(day, "policy", rnd.randint(6, 7), rnd.randint(5, 10), {
            "body": body, "topic": topic, "weeks": rnd.randint(4, 12)})
    # open-source releases: about three projects in five ship one today
    for f in feeds_of(day, "release"):
        proj, owner, builds = f["project"]
        if rnd.random() < 0.6:
            feat, feat2 = rnd.sample(PROJ_FEATURES, 2)
            e = new_event(day, "oss", rnd.randint(4, 7), rnd.randint(1, 7), {
                "proj": proj, "owner": owner, "feat": feat, "feat2": feat2,
                "version": "v%d.%d.0" % (rnd.randint(0, 2),
                                         rnd.randint(1, 19)),
                "speed": "%.1fx" % rnd.uniform(1.2, 3.5)})
            e["origin"] = f
    # papers: each in one to three arXiv listings
    for _ in range(150):
        make_paper(day)


def make_paper(day, hot=None):
    rnd = day.rnd
    domain = day.pick(DOMAINS)
    bench = day.pick(METHOD_A) + day.pick(METHOD_B) + day.pick(
        ["Bench", "Eval", "QA"])
    method = day.pick(METHOD_A) + day.pick(METHOD_B)
    bare = day.pick(THINGS).replace("the ", "")
    setting = day.pick(SETTINGS).title()
    verb, noun, goal = (day.pick(PAPER_VERBS), day.pick(PAPER_NOUNS),
                        day.pick(PAPER_GOALS))
    n = rnd.randint(8, 60)
    questions = rnd.randint(12, 60) * 100
    acc = rnd.randint(38, 71)
    agents = day.pick(["Tool-Using", "Web", "Coding", "Multimodal"])
    style = rnd.randrange(10)
    if style == 0:
        title = "%s: A Benchmark of %s Reasoning for Language Models" % (
            bench, domain[0].title())
        abstract = ("We introduce %s, %s questions of %s reasoning. The "
                    "best model answers %d%% of them correctly." % (
                        bench, "{:,}".format(questions), domain[0], acc))
    elif style == 1:
        title = "%s: Evaluating %s Agents on %s Tasks" % (
            bench, agents, domain[0].title())
        abstract = ("%s has %s %s tasks for %s agents; the best agent "
                    "completes %d%% of them." % (
                        bench, "{:,}".format(questions), domain[0],
                        agents.lower(), acc))
    elif style == 2:
        title = "When Do %s Fail? A Study of %d Datasets" % (
            bare[0].upper() + bare[1:], n)
        abstract = ("Across %d datasets, %s lose %d to %d points once "
                    "trained past two epochs." % (n, bare, rnd.randint(2, 6),
                                                 rnd.randint(7, 15)))
    elif style == 3:
        title = "%s: %s %s for %s" % (method, verb, noun, goal)
        abstract = ("%s works by %s %s. It reaches %s with %d%% of the "
                    "baseline's compute." % (method, verb.lower(),
                                             noun.lower(), goal.lower(),
                                             rnd.randint(20, 80)))
    elif style == 4:
        title = "Scaling Laws for %s in %s up to %dB Parameters" % (
            noun, setting, n)
        abstract = ("We fit scaling laws for %s over %d training runs in "
                    "%s and predict the largest run within %d%%." % (
                        noun.lower(), n * 10, setting.lower(),
                        rnd.randint(2, 9)))
    elif style == 5:
        title = "%s %s Is Not Enough for %s" % (verb, noun, goal)
        abstract = ("%s %s alone does not give %s; we show why on %d "
                    "tasks." % (verb, noun.lower(), goal.lower(), n))
    elif style == 6:
        title = "%s: %s via %s %s" % (method, goal, verb, noun)
        abstract = ("%s gets %s by %s %s, %.1fx faster than prior "
                    "work." % (method, goal.lower(), verb.lower(),
                               noun.lower(), rnd.uniform(1.3, 4.0)))
    elif style == 7:
        title = "Do %s Help %s? Evidence from %d Tasks" % (
            bare[0].upper() + bare[1:], setting, n)
        abstract = ("We test whether %s help %s across %d tasks; they do "
                    "on %d of them." % (bare, setting.lower(), n,
                                        rnd.randint(1, n)))
    elif style == 8:
        title = "%s: Cheaper %s for %s" % (method, bare, setting)
        abstract = ("%s keeps %d%% of the baseline's quality in %s while "
                    "using %.1fx less memory." % (
                        method, rnd.randint(90, 99), setting.lower(),
                        rnd.uniform(1.3, 4.0)))
    else:
        title = "%s: On the Limits of %s for %s" % (method, bare, setting)
        abstract = ("We show where %s stops helping in %s, across %d "
                    "tasks." % (bare, setting.lower(), n))
    hot = rnd.random() < 0.05 if hot is None else hot
    # benchmark papers by Korean groups: Korean media tell them too
    korean = style in (0, 1) and (domain[1].startswith("한국") or (
        hot and rnd.random() < 0.5))
    facts = {"title": title, "abstract": abstract, "bench": bench,
             "domain": domain, "questions": questions, "acc": acc,
             "arxiv": "%s.%05d" % (day.date.strftime("%y%m"),
                                   day.next_id("arxiv", 4001)),
             "authors": ", ".join(rnd.sample(PEOPLE, rnd.randint(2, 4))),
             "korean_org": day.pick(KO_ORGS[:4] + KO_ORGS[9:])
             if korean else None}
    q = rnd.randint(7, 9) if hot else rnd.randint(3, 6)
    reach = rnd.randint(4, 9) if hot else rnd.choice([0, 0, 0, 1, 1, 2])
    # arXiv announces the day's listing at one time, 00:00 UTC here
    e = new_event(day, "paper", q, reach, facts,
                  day.start + dt.timedelta(hours=9))
    e["lists"] = rnd.choice([1, 1, 1, 2, 2, 3])
    return e


# ---- what an item says --------------------------------------------------

def ko_facts(e):
    """The facts, with the Korean forms and particles the templates use."""
    f = dict(e["facts"])
    org = f.get("org")
    if org and e["type"].startswith("ko_"):
        f["org_ko"], f["org_en"] = org[0], org[1]
    elif org:
        f["org_en"], f["org_ko"] = org[0], org[1]
    if "org_ko" in f:
        f["org_ko_ga"] = josa(f["org_ko"], "이", "가")
        f["org_ko_neun"] = josa(f["org_ko"], "은", "는")
        f["org_ko_wa"] = josa(f["org_ko"], "과", "와")
    if "org2" in f:
        f["org2_en"], f["org2_ko"] = f["org2"][0], f["org2"][1]
        f["org2_ko_wa"] = josa(f["org2_ko"], "과", "와")
        f["org2_ko_ga"] = josa(f["org2_ko"], "이", "가")
    if "cloud" in f:
        f["cloud_en"], f["cloud_ko"] = f["cloud"][0], f["cloud"][1]
    for key in ("amount", "valuation"):
        if key in f and e["type"] in ("funding", "acquisition"):
            f[key + "_en"] = usd(f[key])
            f[key + "_ko"] = usd_ko(f[key])
    return f


# templates: (English titles, English texts, Korean titles, Korean texts)
TEMPLATES = {
    "launch": (
        ["{org_en} releases {model}, a {params} open-weights model",
         "{org_en}'s {model} scores {score} on {bench}",
         "{model} arrives with a {ctx}-token context window",
         "{org_en} takes on bigger rivals with {params} {model}",
         "Hands-on with {model}: {org_en}'s {params} model reads {ctx} "
         "tokens",
         "{org_en} puts {model} weights online under {license}",
         "{model}: {org_en} claims {score} on {bench} with {params} "
         "parameters",
         "First look at {org_en}'s {model} and its {ctx} context",
         "{org_en} bets on openness again with {model}",
         "Can {model} beat closed models? {org_en}'s {bench} numbers"],
        ["{org_en} released {model}, a {params}-parameter model with a "
         "{ctx}-token context window, under {license}. The company "
         "says it scores {score} on {bench}.",
         "The new {model} from {org_en} has {params} parameters and reads "
         "up to {ctx} tokens. On {bench} it reaches {score}, according to "
         "the release notes."],
        ["{org_ko}, {params} 오픈 모델 '{model}' 공개",
         "{org_ko_ga} 공개한 '{model}' 모델, {bench} {score} 기록",
         "{org_ko}, 컨텍스트 {ctx} 지원하는 '{model}' 모델 출시",
         "'{model}' 모델 나왔다… {org_ko}, 가중치 {license_ko} 라이선스로 공개",
         "[AI 뉴스] {org_ko} '{model}' 모델 공개"],
        ["{org_ko_ga} {dayn}일 {params} 규모 언어 모델 '{model}' 모델을 "
         "공개했다. 컨텍스트 길이는 {ctx} 토큰이며 {bench}에서 {score}를 "
         "기록했다고 밝혔다.",
         "{org_ko}의 새 모델 '{model}' 모델은 매개변수 {params} 규모로, "
         "{bench} 점수는 {score}다. 가중치는 {license_ko} 라이선스로 "
         "배포된다."]),
    "update": (
        ["{org_en} cuts {model} API prices by {pct}%",
         "{model} gets {pct}% cheaper",
         "{model} is now available on {cloud_en}",
         "{cloud_en} adds {org_en}'s {model} to its model catalog"],
        ["{org_en} lowered the price of {model} by {pct}% for input and "
         "output tokens, and {cloud_en} now serves the model as well."],
        ["{org_ko}, '{model}' 모델 API 가격 {pct}% 인하",
         "{cloud_ko}, {org_ko} '{model}' 모델 제공 시작"],
        ["{org_ko_ga} '{model}' 모델의 API 가격을 {pct}% 내렸다. "
         "{cloud_ko}도 이 모델을 제공하기 시작했다."]),
    "funding": (
        ["{org_en} raises {amount_en} at a {valuation_en} valuation",
         "{org_en} lands {amount_en} Series {round} led by {vc}",
         "{vc} leads {amount_en} round in {org_en}",
         "{org_en} is now worth {valuation_en} after new funding"],
        ["{org_en} has raised {amount_en} in a Series {round} round led by "
         "{vc}, valuing the company at {valuation_en}. The money pays for "
         "compute and hiring, the company said."],
        ["{org_ko}, {amount_ko} 투자 유치… 기업가치 {valuation_ko}",
         "{org_ko}, 시리즈{round} {amount_ko} 조달",
         "{org_ko} 기업가치 {valuation_ko}로 뛰었다"],
        ["{org_ko_ga} {vc} 주도로 {amount_ko} 규모의 시리즈{round} 투자를 "
         "유치했다고 {dayn}일 밝혔다. 기업가치는 {valuation_ko}로 "
         "평가됐다."]),
    "acquisition": (
        ["{org_en} acquires {target} for {amount_en}",
         "{org_en} buys {what_en} startup {target}",
         "{target} agrees to be acquired by {org_en}"],
        ["{org_en} is buying {target}, {what_en} startup, for about "
         "{amount_en}. The team of {target} joins {org_en}'s platform "
         "group."],
        ["{org_ko}, {what_ko} 스타트업 {target} 인수",
         "{org_ko}, {target} 인수… {amount_ko} 규모"],
        ["{org_ko_ga} {what_ko} 스타트업 {target} 인수를 {dayn}일 "
         "발표했다. 인수 금액은 약 {amount_ko}다."]),
    "partnership": (
        ["{org_en} and {org2_en} partner on {thing_en}",
         "{org2_en} will work with {org_en} on {thing_en}",
         "{org_en} signs multiyear deal with {org2_en} for {thing_en}"],
        ["{org_en} and {org2_en} signed a multiyear agreement on "
         "{thing_en}; neither company disclosed the terms."],
        ["{org_ko}-{org2_ko}, {thing_ko} 협력",
         "{org_ko_ga} {org2_ko_wa} {thing_ko} 계약 체결"],
        ["{org_ko_wa} {org2_ko_ga} {thing_ko} 분야에서 다년 계약을 맺었다. "
         "계약 규모는 공개하지 않았다."]),
    "safety": (
        ["{org_en} publishes the system card for {model}",
         "{model} system card: {pct}% refusals on {n} red-team prompts",
         "{org_en} details how it tested {model} before launch"],
        ["The system card for {model} reports {pct}% refusals on {n} "
         "red-team prompts and describes {org_en}'s evaluations for "
         "cyber and bio risks."],
        ["{org_ko}, '{model}' 모델 안전성 보고서 공개"],
        ["{org_ko_ga} '{model}' 모델의 안전성 보고서를 공개했다. 레드팀 "
         "프롬프트 {n}개 중 {pct}%를 거절했다."]),
    "feature": (
        ["{org_en} adds {feature_en} to {product}",
         "{product} gets {feature_en}",
         "{org_en} rolls out {feature_en} for {product} users"],
        ["{product} now has {feature_en}, rolling out to paid plans "
         "first, {org_en} said in a post."],
        ["{org_ko}, '{product}'에 {feature_ko} 기능 추가",
         "{product}, {feature_ko} 기능 도입"],
        ["{org_ko_ga} '{product}'에 {feature_ko} 기능을 추가했다. 유료 "
         "요금제부터 순차 적용한다."]),
    "hardware": (
        ["{org_en} unveils {chip} accelerator with {mem}GB of HBM",
         "{chip}: {org_en}'s new AI chip promises {x}x faster inference",
         "{org_en} takes on rivals with the {node} {chip}"],
        ["The {chip} pairs {mem}GB of HBM with a {node} process; {org_en} "
         "claims {x}x the inference throughput of its previous part."],
        ["{org_ko}, HBM {mem}GB 탑재 AI 가속기 '{chip}' 공개",
         "{org_ko} '{chip}' 칩 공개… 추론 성능 {x}배"],
        ["{org_ko_ga} {node} 공정에 HBM {mem}GB를 탑재한 AI 가속기 "
         "'{chip}' 칩을 공개했다. 추론 처리량은 이전 제품의 {x}배라고 "
         "밝혔다."]),
    "ko_launch": (
        ["Korea's {org_en} releases {model}, a {params} Korean-language "
         "model",
         "{org_en}'s {model} scores {score} on the Korean {bench} "
         "benchmark"],
        ["{org_en} released {model}, a {params}-parameter model trained "
         "for Korean, which scores {score} on {bench}."],
        ["{org_ko}, 한국어 특화 LLM '{model}' 공개",
         "{org_ko} '{model}' 모델, {bench} {score}로 국내 최고",
         "{org_ko_ga} 내놓은 '{model}' 모델… {params} 규모 오픈소스",
         "[단독] {org_ko}, '{model}' 모델 이번 주 공개"],
        ["{org_ko_ga} {dayn}일 한국어에 특화한 {params} 규모 언어 모델 "
         "'{model}' 모델을 공개했다. {bench} 벤치마크에서 {score}를 "
         "기록했다.",
         "{org_ko}의 '{model}' 모델은 매개변수 {params} 규모이며 "
         "{bench}에서 {score}를 기록했다고 회사 측은 밝혔다."]),
    "ko_business": (
        ["Korean AI company {org_en} raises ₩{amount_bn} billion"],
        ["{org_en} raised ₩{amount_bn} billion in a Series {round} "
         "round."],
        ["{org_ko}, {amount}억원 규모 시리즈{round} 투자 유치",
         "{org_ko}, {amount}억원 투자 유치… AI 인프라 확대"],
        ["{org_ko_ga} {amount}억원 규모의 시리즈{round} 투자를 유치했다고 "
         "{dayn}일 밝혔다. 투자금은 AI 인프라 확대에 쓴다."]),
    "ko_mou": (
        ["{org_en} and {partner_en} sign AI partnership"],
        ["{org_en} and {partner_en} agreed to work together on AI "
         "data centres."],
        ["{org_ko}-{partner_ko}, AI 데이터센터 업무협약 체결",
         "{org_ko}, {partner_ko_wa} AI 데이터센터 MOU"],
        ["{org_ko_wa} {partner_ko_neun} {dayn}일 AI 데이터센터 구축 협력을 "
         "위한 업무협약을 맺었다."]),
    "ko_policy": (
        ["South Korea to spend ₩{amount_bn} billion on {area_en} next "
         "year",
         "Korea's science ministry commits ₩{amount_bn} billion to "
         "{area_en}"],
        ["The Ministry of Science and ICT will spend ₩{amount_bn} billion "
         "on {area_en} next year."],
        ["과기정통부, 내년 {area_ko}에 {amount}억원 투입",
         "정부, {area_ko} 육성에 {amount}억원… {detail_short}",
         "{area_ko} 예산 {amount}억원 확정",
         "과학기술정보통신부, {area_ko} 지원 계획 발표… 총 {amount}억원"],
        ["과학기술정보통신부는 내년 {area_ko} 분야에 {amount}억원을 "
         "투입한다고 {dayn}일 밝혔다. {detail}"]),
    "policy": (
        ["{body_en} opens consultation on {topic_en}",
         "{body_en} publishes draft rules for {topic_en}",
         "New guidance on {topic_en} from {body_en}"],
        ["{body_en} published a draft on {topic_en} and takes comments "
         "for {weeks} weeks."],
        ["{body_ko}, {topic_ko} 가이드라인 초안 공개"],
        ["{body_ko_ga} {topic_ko}에 관한 가이드라인 초안을 공개하고 {weeks}주 "
         "동안 의견을 받는다."]),
    "oss": (
        ["{proj} {version}: {feat_en} and {feat2_en}",
         "{proj} {version} adds {feat_en}",
         "{proj} {version} brings {feat_en}, {speed} faster decoding"],
        ["{proj} {version} adds {feat_en} and {feat2_en}; decoding is "
         "{speed} faster on the project's benchmark."],
        ["{proj} {version} 출시 - {feat_ko}, {feat2_ko}",
         "오픈소스 {proj} {version} 공개… 디코딩 {speed} 빨라져"],
        ["{proj} {version}에 {feat_ko}와 {feat2_ko} 기능이 추가됐다. "
         "디코딩 속도는 {speed} 빨라졌다."]),
    "paper": (
        ["{title}"],
        ["{abstract}"],
        ["{korg_ko} 연구진, {domain_ko} 벤치마크 '{bench}' 공개",
         "국내 연구진, {domain_ko} 추론 벤치마크 '{bench}' 내놨다"],
        ["{korg_ko} 연구진이 {questions}개 문항으로 된 {domain_ko} 분야 "
         "'{bench}' 벤치마크를 공개했다. 최고 성능 모델의 정답률은 "
         "{acc}%였다."]),
}


def fill(template, f):
    return template.format(**f)


def event_texts(day, e, lang, feed):
    """(title, text) of one item about event e in lang, for feed."""
    f = ko_facts(e)
    t = e["type"]
    if t == "ko_business" and f["sub"] == "mou":
        t = "ko_mou"
        p = f["partner"]
        f["partner_ko"], f["partner_en"] = p[0], p[1]
        f["partner_ko_wa"] = josa(p[0], "과", "와")
        f["partner_ko_neun"] = josa(p[0], "은", "는")
    if t in ("ko_business", "ko_policy"):
        f["amount_bn"] = ("%.1f" % (f["amount"] / 10.0)).rstrip("0").rstrip(
            ".")
    if t == "ko_policy":
        f["area_ko"], f["area_en"] = f["area"]
        f["detail"], f["detail_short"] = f["detail"]
    if t == "policy":
        f["body_en"], f["body_ko"] = f["body"]
        f["body_ko_ga"] = josa(f["body_ko"], "이", "가")
        f["topic_en"], f["topic_ko"] = f["topic"]
    if t == "partnership":
        f["thing_en"], f["thing_ko"] = f["thing"]
    if t == "acquisition":
        f["what_en"], f["what_ko"] = f["what"]
    if t == "feature":
        f["feature_en"], f["feature_ko"] = f["feature"]
    if t == "oss":
        f["feat_en"], f["feat_ko"] = f["feat"]
        f["feat2_en"], f["feat2_ko"] = f["feat2"]
    if t == "paper":
        f["domain_en"], f["domain_ko"] = f["domain"]
        korg = f["korean_org"] or KO_ORGS[9]
        f["korg_ko"] = korg[0]
        f["questions"] = "{:,}".format(f["questions"])
    f["dayn"] = e["t0"].astimezone(KST).day
    titles_en, texts_en, titles_ko, texts_ko = TEMPLATES[t]
    if t == "update":
        titles_en = titles_en[:2] if f["sub"] == "price" else titles_en[2:]
        titles_ko = titles_ko[:1] if f["sub"] == "price" else titles_ko[1:]
    if lang == "ko":
        return fill(day.pick(titles_ko), f), fill(day.pick(texts_ko), f)
    return fill(day.pick(titles_en), f), fill(day.pick(texts_en), f)


# ---- items ----------------------------------------------------------------

def add_item(day, feed, title, text, link, t, kind, q, event=None,
             lang=None, extra=None):
    item = {"title": title, "text": text, "link": link, "time": t,
            "kind": kind, "q": q, "event": event["id"] if event else None,
            "lang": lang or feed["lang"]}
    if extra:
        item.update(extra)
    feed["items"].append(item)
    if event:
        feed["events"].add(event["id"])
        event.setdefault("items", []).append(item)
    return item


def coverage_time(day, e):
    """When news of e comes out: after it, mostly within hours."""
    lag = day.rnd.expovariate(1 / (3 * 3600.0))
    return e["t0"] + dt.timedelta(seconds=int(600 + lag) // 60 * 60)


def news_link(day, feed, title, t):
    """A new page of the feed's own site for an item."""
    g = feed["group"]
    if g == "ko_news":
        link = "https://%s/news/articleView.html?idxno=%d" % (
            feed["domain"], 200000 + day.next_id("idx-" + feed["name"],
                                                 day.rnd.randint(1, 90000)))
    elif g == "ko_community":
        link = "https://%s/topic?id=%d" % (feed["domain"],
                                           day.next_id("topic", 18000))
    elif g == "newsletter":
        link = "https://%s/%s/" % (feed["domain"], slugify(title, 50))
    elif g in ("lab_x", "person_x"):
        handle = feed.get("handle") or feed["org"][3]
        link = "https://x.com/%s/status/%d" % (
            handle, 1990000000000000000 + day.next_id("tweet") * 7919)
    elif g == "lab_blog":
        link = "https://%s/blog/%s" % (feed["domain"], slugify(title, 50))
    elif g == "ko_lab":
        link = "https://%s/press/%d" % (feed["domain"],
                                        day.next_id("press", 3000))
    elif g == "community":
        # what a community links to: somebody's project or post
        link = "https://%s.example.io/%d" % (slugify(title, 24),
                                             day.next_id("c"))
    else:
        link = "https://%s/%04d/%02d/%02d/%s/" % (
            feed["domain"], t.year, t.month, t.day, slugify(title, 50))
    return day.fresh_link(link)


def origin_link(e, title):
    f = e["facts"]
    org = f.get("org")
    if e["type"] == "paper":
        return "https://arxiv.org/abs/" + f["arxiv"]
    if e["type"] == "oss":
        return "https://github.com/%s/%s/releases/tag/%s" % (
            f["owner"], f["proj"], f["version"])
    if e["type"] == "ko_policy":
        return "https://msit.example.kr/press/%s" % e["id"][1:]
    if e["type"].startswith("ko_") and org:
        return "https://%s.example.kr/press/%s" % (org[2], e["id"][1:])
    if org:
        return "https://%s.example.ai/blog/%s" % (org[2], slugify(title, 50))
    return None


def place_origin(day, e):
    """The first telling: the lab's own blog (and its X account), a
    Korean company's press page, the release feed, arXiv."""
    t = e["type"]
    org = e["facts"].get("org")
    feeds = []
    if t == "paper":
        return place_paper(day, e)
    if t == "oss":
        feeds = [e["origin"]]
    elif t.startswith("ko_") and org:
        feeds = [f for f in feeds_of(day, "ko_lab") if f.get("org") == org]
    elif t == "ko_policy":
        feeds = [f for f in feeds_of(day, "ko_lab") if f["name"] == "msit"]
    elif org:
        feeds = [f for f in day.feeds
                 if f["group"] in ("lab_blog", "lab_x") and
                 f.get("org") == org]
    for feed in feeds:
        if free(feed) <= 0:
            continue
        if feed["group"] == "lab_x":
            title, text = event_texts(day, e, "en", feed)
            text = "Today: %s %s" % (title, text)
            add_item(day, feed, text[:120], text,
                     news_link(day, feed, title, e["t0"]),
                     e["t0"] + dt.timedelta(minutes=2), "event", e["q"], e)
            continue
        lang = "ko" if feed["lang"] == "ko" else "en"
        title, text = event_texts(day, e, lang, feed)
        if t == "launch":
            title = "Introducing %s: %s %s model with a %s context window" % (
                e["facts"]["model"], e["facts"]["adj"], e["facts"]["params"],
                e["facts"]["ctx"])
        link = day.fresh_link(origin_link(e, title))
        e["origin_link"] = link
        e["origin_title"] = title
        add_item(day, feed, title, text, link, e["t0"], "event", e["q"], e,
                 lang)


def place_paper(day, e):
    lists = [f for f in feeds_of(day, "arxiv") if free(f) > 0]
    day.rnd.shuffle(lists)
    link = origin_link(e, None)
    e["origin_link"] = link
    e["origin_title"] = e["facts"]["title"]
    title, text = event_texts(day, e, "en", None)
    for i, feed in enumerate(lists[:e["lists"]]):
        add_item(day, feed, title, text, link, e["t0"], "event", e["q"], e,
                 "en", {"announce": "new" if i == 0 else "cross",
                        "authors": e["facts"]["authors"]})


def cover(day, e):
    """e's reach spread over the groups that tell such news, one item per
    feed at most."""
    weights = COVERAGE[e["type"]]
    if e["type"] == "paper" and e["facts"]["korean_org"]:
        weights = dict(weights, ko_news=1.0)
    groups = list(weights)
    for _ in range(e["reach"]):
        g = day.rnd.choices(groups, [weights[x] for x in groups])[0]
        cands = [f for f in feeds_of(day, g)
                 if free(f) > 0 and e["id"] not in f["events"]]
        if not cands:
            continue
        feed = day.pick(cands)
        cover_one(day, e, feed, coverage_time(day, e))


def cover_one(day, e, feed, t):
    g = feed["group"]
    lang = feed["lang"]
    title, text = event_texts(day, e, lang, feed)
    link = None
    extra = None
    origin = e.get("origin_link")
    if g == "community" and origin and e.get("origin_title"):
        if day.rnd.random() < 0.6:
            title = e["origin_title"]
        if feed["style"].startswith("reddit"):
            link = "https://forum.example.net/r/%s/comments/%s/%s/" % (
                "MachineLearning" if feed["style"] == "reddit-ml"
                else "LocalLLaMA", "%x" % (day.next_id("reddit") * 104729),
                slugify(title, 40))
        else:
            link = origin
            r = day.rnd.random()
            if r < 0.25:
                link += "?utm_source=%s&utm_medium=rss" % feed["style"]
            elif r < 0.35:
                link += "#comments"
        extra = {"comments": "https://%s.example.net/item?id=%d" % (
            feed["style"], 4100000 + day.next_id("hn"))}
    elif g == "papers":
        title = e["facts"]["title"]
        link = "https://huggingface.co/papers/" + e["facts"]["arxiv"]
        text = "%s %s" % (text, "Upvotes: %d." % day.rnd.randint(3, 180))
    elif g == "newsletter":
        name = (e["facts"].get("model") or e["facts"].get("proj") or
                e["facts"].get("chip") or e.get("origin_title") or title)
        title = day.pick(["Notes on %s", "%s: first impressions",
                          "What %s means for the rest of us",
                          "Quick take: %s"]) % name
        text = "My notes on the news. " + text
    elif g == "person_x":
        text = day.pick(["Read this today: %s", "Big news: %s",
                         "Worth a look. %s", "Thread on %s"]) % title
        title = text[:110]
    if link is None:
        link = news_link(day, feed, title, t)
    add_item(day, feed, title, text, link, t, "event", e["q"], e, lang,
             extra)


# ---- what fills a feed besides the big events ---------------------------

def person(day):
    return "%s %s" % (day.pick(FIRST), day.pick(LAST))


def noise_en(day, feed, t):
    """Low-value posts in English: hiring, webinars, events, ads,
    podcasts, promotions, livestreams."""
    rnd = day.rnd
    org = feed.get("org") or day.pick(ORGS)
    role = day.pick(ROLES)[0]
    city = day.pick(CITIES_EN)
    k = rnd.randrange(8)
    if k == 0:
        title = day.pick(["We're hiring: %s (%s)", "%s wanted in %s",
                          "Join us as a %s in %s"]) % (role, city)
        text = "We are hiring %ss in %s and %s. Apply on our careers page." \
            % (role, city, day.pick(CITIES_EN))
    elif k == 1:
        title = "Webinar on %s: %s and %s, %s" % (
            day.pick(THINGS), person(day), person(day),
            day.pick(["Dec 3", "Dec 9", "Dec 10", "Dec 15"]))
        text = "Register for a live session and Q&A with the %s team." % (
            org[0])
    elif k == 2:
        title = day.pick(["Meet us at %s 2026, booth #%d",
                          "%s 2027: call for papers, %d tracks"]) % (
            day.pick(CONFS), rnd.randint(2, 400))
        text = "Come say hello and see demos. Agenda and registration inside."
    elif k == 3:
        title = "Sponsored: %s's %s cuts %s costs by %d%%" % (
            day.startup(), day.pick(PRODUCTS), day.pick(SECTORS),
            rnd.randint(15, 60))
        text = "This post is sponsored. Try it free for 30 days."
    elif k == 4:
        thing = day.pick(THINGS)
        title = "Podcast #%d: %s on %s" % (rnd.randint(40, 300), person(day),
                                          thing)
        text = "In this episode we talk about %s and what comes next." % (
            thing)
    elif k == 5:
        title = "%d%% off an annual subscription until %s" % (
            rnd.choice([20, 30, 40, 50]), day.pick(["Sunday", "Friday",
                                                   "December 1"]))
        text = "A deal for new readers, this week only."
    elif k == 6:
        title = "Livestream at %d am PT: building %s with %s" % (
            rnd.randint(8, 11), day.pick(PRODUCTS) + "s", org[0])
        text = "Bring your questions; the recording will be posted later."
    else:
        title = "%s meetup #%d: %s talks" % (city, rnd.randint(5, 90),
                                             day.pick(THINGS))
        text = "Doors open at 6 pm; pizza and two short talks."
    return title, text


def noise_ko(day, feed, t):
    """Low-value posts in Korean: hiring, webinars, event notices, ads,
    photo and personnel notices, hackathons."""
    rnd = day.rnd
    org = feed.get("org") or day.pick(KO_ORGS)
    name = org[0]
    role = day.pick(ROLES)[1]
    k = rnd.randrange(7)
    if k == 0:
        title = "%s, %s 경력 채용… %d명 규모" % (name, role, rnd.randint(3, 30))
        text = "%s %s 채용을 진행한다. 서류 접수는 다음 달까지다." % (
            josa(name, "이", "가"), role)
    elif k == 1:
        topic = day.pick(THINGS_KO)
        title = "%s, '%s %s' 웨비나 %d일 개최" % (
            name, topic, day.pick(["실무", "전략", "입문", "사례"]),
            rnd.randint(1, 20))
        text = "%s 다음 달 %s 웨비나를 연다. 참가비는 무료다." % (
            josa(name, "은", "는"), topic)
    elif k == 2:
        conf = day.pick(CONFS_KO)
        title = "[알림] %s 2026 사전 등록 %d일 마감" % (conf,
                                                  rnd.randint(1, 30))
        text = "%s 사전 등록이 곧 마감된다." % conf
    elif k == 3:
        title = "[광고] %s, %s 비용 %d%% 절감" % (
            day.ko_startup(), day.pick(KO_PRODUCTS), rnd.randint(20, 60))
        text = "지금 가입하면 한 달 무료 체험을 제공합니다."
    elif k == 4:
        title = "[포토] %s %s 부스" % (day.pick(CONFS_KO), day.ko_startup())
        text = "행사장을 찾은 관람객들이 AI 시연을 보고 있다."
    elif k == 5:
        title = "[인사] %s" % day.pick([o[0] for o in KO_ORGS[:8]] +
                                      [day.ko_startup()])
        text = "◇ 상무 승진 %s ◇ 이사 %s" % (day.pick(KO_NAMES),
                                           day.pick(KO_NAMES))
    else:
        title = "%s, %s 'AI 해커톤' 참가자 %d팀 모집" % (
            name, day.pick(CITIES_KO), rnd.randint(2, 8) * 10)
        text = "참가 신청은 홈페이지에서 받는다. 상금은 총 %d00만원이다." % (
            rnd.randint(10, 50))
    return title, text


def minor_en(day, feed):
    """A small story only this source tells: (title, text, q)."""
    rnd = day.rnd
    s, s2 = day.startup(), day.startup()
    p, sector, city = day.pick(PRODUCTS), day.pick(SECTORS), \
        day.pick(CITIES_EN)
    thing, who, org = day.pick(THINGS), person(day), day.pick(ORGS)[0]
    m, n = rnd.choice([3, 5, 8, 12, 18, 25, 40, 60]), rnd.randint(3, 90)
    k = rnd.randrange(18)
    if k == 0:
        return ("%s raises $%d million to sell its %s to %s" % (
            s, m, p, sector),
            "The %s start-up %s raised $%d million from %s." % (
                city, s, m, day.pick(VCS)), rnd.randint(3, 5))
    if k == 1:
        return ("%s launches a %s for %s" % (s, p, sector),
                "%s opened its %s to the public; plans start at $%d a "
                "month." % (s, p, rnd.choice([9, 19, 49, 99])),
                rnd.randint(3, 5))
    if k == 2:
        return ("%s's %s now speaks %d languages" % (s, p, n),
                "The update adds %d languages to the %s." % (n, p),
                rnd.randint(3, 5))
    if k == 3:
        return ("%s leaves %s to found %s" % (who, org, s),
                "%s, who led work on %s at %s, starts %s in %s." % (
                    who, thing, org, s, city), rnd.randint(3, 5))
    if k == 4:
        return ("%s cuts %d jobs after pivot to %ss" % (s, n, p),
                "%s is cutting %d jobs as it moves to %ss." % (s, n, p),
                rnd.randint(3, 6))
    if k == 5:
        return ("Survey of %d %s: %d%% now use a %s" % (
            n * 10, sector, rnd.randint(10, 80), p),
            "A survey of %s on their use of AI tools." % sector,
            rnd.randint(2, 4))
    if k == 6:
        return ("Opinion: %s %s %s" % (thing[0].upper() + thing[1:],
                                        day.pick(OPINIONS), sector),
                "An essay on %s and %s." % (thing, sector),
                rnd.randint(2, 4))
    if k == 7:
        return ("Inside %s, the %s start-up betting on %s" % (s, city,
                                                              thing),
                "A visit to %s, %d people building %ss." % (s, n, p),
                rnd.randint(3, 5))
    if k == 8:
        return ("%s and %s merge to build %ss for %s" % (s, s2, p, sector),
                "The two start-ups combine their teams.", rnd.randint(3, 5))
    if k == 9:
        return ("%s open-sources a %d-million-parameter %s for %s" % (
            s, n * 10, p, day.pick(DEVICES)),
            "A small model under an MIT license.", rnd.randint(3, 6))
    if k == 10:
        return ("%s hires %s from %s as chief scientist" % (s, who, org),
                "%s will lead research on %s at %s." % (who, thing, s),
                rnd.randint(3, 5))
    if k == 11:
        return ("%s signs %d %s in its first year" % (s, n, sector),
                "%s sells a %s to %s." % (s, p, sector), rnd.randint(3, 5))
    if k == 12:
        return ("%s: what %d %s taught me about %s" % (who, n, sector,
                                                       thing),
                "Lessons from deploying %ss." % p, rnd.randint(2, 4))
    if k == 13:
        return ("We tested %d %ss on %s data" % (n, p, sector),
                "Our comparison, with the numbers.", rnd.randint(3, 5))
    if k == 14:
        return ("Review: %s's %s after %d weeks" % (s, p, rnd.randint(2, 9)),
                "Our verdict on the %s." % p, rnd.randint(2, 4))
    if k == 15:
        return ("%s outage takes its %s offline for %d hours" % (
            s, p, rnd.randint(2, 14)), "The company blamed a bad deploy.",
            rnd.randint(2, 5))
    if k == 16:
        return ("%s backs %s in a $%d million round" % (org, s, m),
                "%s joins the round for %s, which makes a %s." % (org, s, p),
                rnd.randint(3, 6))
    return ("%s brings its %s to %s" % (s, p, city),
            "%s opens an office in %s for its %s." % (s, city, p),
            rnd.randint(3, 5))


def minor_ko(day, feed):
    """A small Korean story only this source tells: (title, text, q)."""
    rnd = day.rnd
    s, s2 = day.ko_startup(), day.ko_startup()
    p, sector, city = day.pick(KO_PRODUCTS), day.pick(KO_SECTORS), \
        day.pick(CITIES_KO)
    topic, n = day.pick(THINGS_KO), rnd.randint(3, 90)
    k = rnd.randrange(13)
    if k == 0:
        return ("%s, %d억원 규모 %s 투자 유치" % (s, n * 5, day.pick(KO_ROUNDS)),
                "%s %d억원 규모 투자를 유치했다고 밝혔다." % (
                    josa(s, "이", "가"), n * 5), rnd.randint(3, 5))
    if k == 1:
        return ("%s시, %s 실증 사업에 %d억원 지원" % (city, topic, n),
                "%s시가 %s 실증 사업에 참여할 기업을 모집한다." % (city, topic),
                rnd.randint(3, 5))
    if k == 2:
        return ("%s, %s 기업 %d곳에 %s 공급" % (s, sector, n, p),
                "%s %s 기업에 %s 공급 계약을 맺었다." % (
                    josa(s, "이", "가"), sector, p), rnd.randint(3, 5))
    if k == 3:
        return ("[기고] %s, %s / %s %s 교수" % (
            topic, day.pick(KO_ANGLES), day.pick(KO_NAMES),
            day.pick(KO_UNIVS)),
                "%s 시대에 기업이 준비해야 할 과제를 짚는다." % topic,
                rnd.randint(2, 4))
    if k == 4:
        return ("%s, '%s' 출시… %s 시장 겨냥" % (s, p, sector),
                "%s %s 분야를 겨냥한 %s 서비스를 내놨다." % (
                    josa(s, "이", "가"), sector, p), rnd.randint(3, 5))
    if k == 5:
        return ("%s, %s 법인 설립… %s 공략" % (
            s, day.pick(KO_COUNTRIES), p),
            "%s 해외 법인을 세웠다." % josa(s, "이", "가"), rnd.randint(3, 5))
    if k == 6:
        return ("[인터뷰] %s %s 대표" % (s, day.pick(KO_NAMES)),
                "\"%s\" %s 대표를 만나 사업 계획을 들었다." % (
                    day.pick(KO_QUOTES), s), rnd.randint(2, 4))
    if k == 7:
        return ("%s, %s 전문 인력 %d명 양성" % (day.pick(KO_UNIVS), topic,
                                             n * 10),
                "교육 과정은 내년 3월 시작한다.", rnd.randint(2, 4))
    if k == 8:
        return ("%s '%s', 누적 사용자 %d만명 돌파" % (s, p, n),
                "%s 서비스 이용자가 빠르게 늘었다." % p, rnd.randint(2, 4))
    if k == 9:
        return ("%s-%s, %s용 %s 공동 개발" % (s, s2, sector, p),
                "두 회사가 %s를 함께 개발한다." % p, rnd.randint(3, 5))
    if k == 10:
        return ("%s %s 현장에 AI 도입… 생산성 %d%% 개선" % (city, sector, n),
                "%s 현장에 %s 기술이 쓰이기 시작했다." % (sector, topic),
                rnd.randint(3, 5))
    if k == 11:
        return ("%s %s, %s 혁신제품 지정" % (s, p, day.pick(
            ["조달청", "중기부", "과기정통부", "행안부"])),
                "공공기관이 %s 제품을 수의계약으로 살 수 있게 됐다." % s,
                rnd.randint(3, 5))
    return ("%s, %s 분야 %s 데이터 %d만건 공개" % (
        day.pick(KO_UNIVS), sector, topic, n),
        "연구용으로 누구나 내려받을 수 있다.", rnd.randint(3, 5))


def lab_post(day, feed):
    """A post of a lab's (or a Korean company's) own blog that is not the
    day's news: research notes, guides, customer stories."""
    rnd = day.rnd
    org = feed["org"]
    if feed["lang"] == "ko":
        topic = day.pick(THINGS_KO)
        title = day.pick(["%s 기술 블로그: %s %s 적용기",
                          "%s, %s 고객 %d곳의 %s 도입 사례",
                          "%s 엔지니어가 말하는 %s"])
        if "적용기" in title:
            title = title % (org[0], day.pick(KO_SECTORS), topic)
        elif "고객" in title:
            title = title % (org[0], day.pick(KO_SECTORS),
                             rnd.randint(3, 40), topic)
        else:
            title = title % (org[0], topic)
        return title, "%s 팀이 %s 경험을 정리했다." % (org[0], topic), \
            rnd.randint(2, 5)
    thing = day.pick(THINGS)
    k = rnd.randrange(4)
    if k == 0:
        title = "How we made %s %d%% faster" % (thing, rnd.randint(20, 70))
    elif k == 1:
        title = "A guide to %s with the %s API" % (thing, org[0])
    elif k == 2:
        title = "Customer story: %d %s build on %s" % (
            rnd.randint(3, 90), day.pick(SECTORS), org[0])
    else:
        title = "%s research notes: %s for %s" % (org[0], thing,
                                                  day.pick(SETTINGS))
    return title, "A post from the %s team about %s." % (org[0], thing), \
        rnd.randint(3, 5)


def roundup(day, feed, t):
    """A newsletter's list of the week: names from the day's big events."""
    big = [e for e in day.events if e["q"] >= 7 and e["type"] != "paper"]
    picks = day.rnd.sample(big, min(3, len(big)))
    names = []
    for e in picks:
        f = e["facts"]
        names.append(f.get("model") or f.get("chip") or
                     (f["org"][0] if f.get("org") and
                      not e["type"].startswith("ko_") else "Korea's AI plans"))
    n = day.next_id("issue-" + feed["name"], day.rnd.randint(80, 300))
    title = "AI Weekly #%d: %s, %s and %s" % (n, names[0], names[1],
                                               names[2])
    text = "This week: %s. Plus the papers we read." % ", ".join(names)
    return title, text


def fill_feed(day, feed):
    """The feed's remaining in-day slots: its own small stories and
    noise, by what kind of source it is."""
    rnd = day.rnd
    g = feed["group"]
    while free(feed) > 0:
        t = day.time_in_day(0.0, 0.999)
        if g == "release":
            fill_release(day, feed, t)
            continue
        if g == "arxiv":
            e = make_paper(day, hot=False)
            e["lists"] = 1
            place_paper(day, e)
            continue
        if g == "papers":
            cands = [e for e in day.events if e["type"] == "paper" and
                     e["id"] not in feed["events"]]
            cover_one(day, day.pick(cands), feed,
                      day.start + dt.timedelta(hours=rnd.randint(10, 20)))
            continue
        if g == "newsletter" and rnd.random() < 0.25:
            title, text = roundup(day, feed, t)
            add_item(day, feed, title, text, news_link(day, feed, title, t),
                     t, "roundup", 4)
            continue
        noise_share = {"lab_blog": 0.5, "lab_x": 0.7, "ko_lab": 0.6,
                       "person_x": 0.6, "ko_news": 0.35, "en_news": 0.25,
                       "community": 0.2, "newsletter": 0.3,
                       "ko_community": 0.2}[g]
        if rnd.random() < noise_share:
            if feed["lang"] == "ko":
                title, text = noise_ko(day, feed, t)
            else:
                title, text = noise_en(day, feed, t)
            q = rnd.randint(1, 3)
            kind = "noise"
        else:
            if g in ("lab_blog", "ko_lab"):
                title, text, q = lab_post(day, feed)
            elif feed["lang"] == "ko":
                title, text, q = minor_ko(day, feed)
            else:
                title, text, q = minor_en(day, feed)
            kind = "event"
        if g in ("lab_x", "person_x"):
            title = (title + ". " + text)[:110]
        e = None
        if kind == "event":
            e = new_event(day, "minor", q, 0, {"title": title}, t)
        add_item(day, feed, title, text, news_link(day, feed, title, t), t,
                 kind, q, e)


def fill_release(day, feed, t):
    proj, owner, builds = feed["project"]
    rnd = day.rnd
    if builds:
        tag = "b%d" % day.next_id("build-" + proj, rnd.randint(3000, 7000))
        title = tag
    else:
        tag = "nightly-%s-%d" % (day.date.strftime("%Y%m%d"),
                                 day.next_id("nightly-" + proj))
        title = "Nightly build %s" % tag
    note = day.pick(CI_NOTES).format(dep=day.pick(DEPS))
    add_item(day, feed, title, note,
             "https://github.com/%s/%s/releases/tag/%s" % (owner, proj, tag),
             t, "noise", 1)


def fill_old(day, feed):
    """Posts from before the day: what a feed of 20 items still shows."""
    rnd = day.rnd
    for _ in range(feed["old"]):
        t = day.start - dt.timedelta(hours=rnd.randint(2, 24 * 20),
                                     minutes=rnd.randint(0, 59))
        if feed["group"] == "release":
            proj, owner, builds = feed["project"]
            tag = "v%d.%d.%d" % (rnd.randint(0, 2), rnd.randint(0, 19),
                                 day.next_id("old-" + proj))
            title, text = "%s %s" % (proj, tag), "Bug fixes."
            link = "https://github.com/%s/%s/releases/tag/%s" % (owner, proj,
                                                                 tag)
        elif feed["group"] in ("lab_blog", "ko_lab"):
            title, text, _ = lab_post(day, feed)
            link = news_link(day, feed, title, t)
        elif feed["lang"] == "ko":
            title, text, _ = minor_ko(day, feed)
            link = news_link(day, feed, title, t)
        else:
            title, text, _ = minor_en(day, feed)
            link = news_link(day, feed, title, t)
            if feed["group"] in ("lab_x", "person_x"):
                title = (title + ". " + text)[:110]
        add_item(day, feed, title, text, link, t, "old", rnd.randint(2, 5))


# ---- writing the feeds ------------------------------------------------------

def text_with_q(item):
    return "%s [q=%d]" % (item["text"], item["q"])


def write_rss(feed, items):
    home = "https://%s/" % feed.get("domain", feed["name"] + ".example.com")
    local = feed["lang"] == "ko"
    out = ['<?xml version="1.0" encoding="%s"?>' % feed.get(
        "encoding", "utf-8").upper(),
           '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
           "<channel><title>%s</title><link>%s</link>"
           "<description>%s</description><language>%s</language>" % (
               escape(feed["title"]), home, escape(feed["title"]),
               "ko-kr" if local else "en-us")]
    for it in items:
        if feed["group"] == "arxiv":
            desc = "<![CDATA[arXiv:%sv1 Announce Type: %s Abstract: %s]]>" % (
                it["link"].rsplit("/", 1)[1], it.get("announce", "new"),
                text_with_q(it))
            guid = "oai:arXiv.org:%sv1" % it["link"].rsplit("/", 1)[1]
        else:
            desc = escape("<p>%s</p>" % escape(text_with_q(it)))
            guid = it["link"]
        if feed.get("naive"):
            date = naive_kst(it["time"])
        else:
            date = rfc822(it["time"], local)
        extra = ""
        if it.get("comments"):
            extra = "<comments>%s</comments>" % escape(it["comments"])
        if feed["group"] == "arxiv":
            extra += "<dc:creator>%s</dc:creator>" % escape(it.get(
                "authors", ""))
        out.append("<item><title>%s</title><link>%s</link>"
                   "<guid isPermaLink=\"false\">%s</guid><pubDate>%s</pubDate>"
                   "%s<description>%s</description></item>" % (
                       escape(it["title"]), escape(it["link"]), escape(guid),
                       date, extra, desc))
    out.append("</channel></rss>\n")
    data = "\n".join(out)
    return data.encode(feed.get("encoding", "utf-8"), "xmlcharrefreplace")


def write_rdf(feed, items):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
           ' xmlns="http://purl.org/rss/1.0/"'
           ' xmlns:dc="http://purl.org/dc/elements/1.1/">',
           '<channel rdf:about="https://arxiv.org/list/%s/new">'
           "<title>%s</title><link>https://arxiv.org/list/%s/new</link>"
           "<description>%s</description></channel>" % (
               feed["cat"], escape(feed["title"]), feed["cat"],
               escape(feed["title"]))]
    for it in items:
        aid = it["link"].rsplit("/", 1)[1]
        out.append('<item rdf:about="%s"><title>%s</title><link>%s</link>'
                   "<description>arXiv:%sv1 Announce Type: %s Abstract: %s"
                   "</description><dc:creator>%s</dc:creator>"
                   "<dc:date>%s</dc:date></item>" % (
                       escape(it["link"]), escape(it["title"]),
                       escape(it["link"]), aid, it.get("announce", "new"),
                       escape(text_with_q(it)), escape(it.get("authors", "")),
                       rfc3339(it["time"])))
    out.append("</rdf:RDF>\n")
    return "\n".join(out).encode("utf-8")


def write_atom(feed, items):
    if feed["group"] == "release":
        proj, owner, _ = feed["project"]
        home = "https://github.com/%s/%s/releases" % (owner, proj)
        fid = "tag:github.com,2008:https://github.com/%s/%s/releases" % (
            owner, proj)
    else:
        home = "https://%s/" % feed.get("domain", feed["name"] +
                                        ".example.com")
        fid = home
    local = feed["lang"] == "ko"
    newest = max(it["time"] for it in items)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           "<id>%s</id><title>%s</title><updated>%s</updated>"
           '<link rel="alternate" type="text/html" href="%s"/>' % (
               escape(fid), escape(feed["title"]), rfc3339(newest, local),
               escape(home))]
    for n, it in enumerate(items):
        if feed["group"] == "release":
            eid = "tag:github.com,2008:Repository/%d/%s" % (
                700000 + len(feed["name"]), it["link"].rsplit("/", 1)[1])
            body = '<content type="html">%s</content>' % escape(
                "<p>%s</p>" % escape(text_with_q(it)))
        else:
            eid = it["link"]
            body = '<summary type="html">%s</summary>' % escape(
                "<p>%s</p>" % escape(text_with_q(it)))
        out.append("<entry><id>%s</id><title>%s</title>"
                   '<link rel="alternate" type="text/html" href="%s"/>'
                   "<published>%s</published><updated>%s</updated>%s"
                   "</entry>" % (escape(eid), escape(it["title"]),
                                 escape(it["link"]),
                                 rfc3339(it["time"], local),
                                 rfc3339(it["time"], local), body))
    out.append("</feed>\n")
    return "\n".join(out).encode("utf-8")


def write_json(feed, items):
    home = "https://%s/" % feed.get("domain", feed["name"] + ".example.com")
    doc = {"version": "https://jsonfeed.org/version/1.1",
           "title": feed["title"], "home_page_url": home, "items": []}
    for it in items:
        entry = {"id": it["link"], "url": it["link"], "title": it["title"],
                 "date_published": rfc3339(it["time"], feed["lang"] == "ko")}
        if len(doc["items"]) % 2:
            entry["content_text"] = text_with_q(it)
        else:
            entry["content_html"] = "<p>%s</p>" % escape(text_with_q(it))
        if feed.get("person"):
            entry["authors"] = [{"name": feed["person"]}]
        doc["items"].append(entry)
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode(
        "utf-8")


WRITERS = {"rss": (write_rss, ".xml"), "rdf": (write_rdf, ".rdf"),
           "atom": (write_atom, ".atom"), "json": (write_json, ".json")}


def write_day(day, out):
    os.makedirs(os.path.join(out, "feeds"), exist_ok=True)
    items_out = {}
    lines = []
    for feed in day.feeds:
        items = sorted(feed["items"], key=lambda it: it["time"],
                       reverse=True)
        assert len(items) == ITEMS_PER_FEED, (feed["name"], len(items))
        write, ext = WRITERS[feed["format"]]
        name = feed["name"] + ext
        with open(os.path.join(out, "feeds", name), "wb") as fh:
            fh.write(write(feed, items))
        lines.append(" ".join(x for x in (feed["kind"], feed["name"], name,
                                          feed["options"]) if x))
        for it in items:
            in_day = day.start <= it["time"] < day.end
            kind = it["kind"]
            entry = {"event": it["event"], "kind": kind, "lang": it["lang"],
                     "q": it["q"], "in_day": in_day, "feed": feed["name"]}
            # a link two feeds share (a community link, a cross-list)
            # keeps its first description
            items_out.setdefault(it["link"], entry)
    events = {}
    for e in day.events:
        if not e.get("items"):
            continue
        events[e["id"]] = {
            "type": e["type"], "q": e["q"],
            "title": e.get("origin_title") or e["items"][0]["title"],
            "langs": sorted(set(it["lang"] for it in e["items"])),
            "items": len(e["items"])}
    manifest = {"date": day.date.isoformat(),
                "window": [rfc3339(day.start), rfc3339(day.end)],
                "events": events, "items": items_out}
    with open(os.path.join(out, "manifest.json"), "w",
              encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
    with open(os.path.join(out, "sources.txt"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    return manifest


def generate(seed, date):
    day = Day(seed, date)
    make_feeds(day)
    make_events(day)
    # the origins first, then the coverage, the biggest events first
    for e in list(day.events):
        place_origin(day, e)
    for e in sorted([e for e in day.events if e["reach"]],
                    key=lambda e: (-e["q"], -e["reach"], e["id"])):
        cover(day, e)
    for feed in day.feeds:
        fill_old(day, feed)
    for feed in day.feeds:
        fill_feed(day, feed)
    return day


# ---- reading a post against the day ------------------------------------

ENTRY_LINK = re.compile(r"\(\[[^\]]*\]\(([^)\s]+)\)\)\s*$")


def link_key(link):
    """A link as the same page: tracking parameters, the fragment and a
    trailing slash dropped, paper pages as their arXiv page."""
    parts = urllib.parse.urlsplit(urllib.parse.unquote(link))
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query)
             if not k.startswith("utm_")]
    path = parts.path.rstrip("/")
    host = parts.netloc.lower()
    if host == "huggingface.co" and path.startswith("/papers/"):
        host, path = "arxiv.org", "/abs/" + path[len("/papers/"):]
    return urllib.parse.urlunsplit(("https", host, path,
                                    urllib.parse.urlencode(query), ""))


def overview_entries(post):
    """(title, link) of each story of the post's Overview."""
    text = open(post, encoding="utf-8").read()
    out = []
    seen = False
    for line in text.splitlines():
        if line.startswith("## Today's Overview"):
            seen = True
        elif seen and line.startswith("- **"):
            m = ENTRY_LINK.search(line)
            title = line[4:].split("**", 1)[0]
            out.append((title, m.group(1) if m else ""))
    return out


def check_post(out, post, items_json):
    """What a published post carries of the day: "stories N" and
    "repeated_links N" (links the post has more than once, as the same
    page), then findings, one a line."""
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as fh:
        m = json.load(fh)
    by_key = {}
    for link, info in m["items"].items():
        by_key.setdefault(link_key(link), info)
    entries = overview_entries(post)
    keys = [link_key(link) for _, link in entries]
    repeated = sorted(k for k in set(keys) if keys.count(k) > 1)
    print("stories %d" % len(entries))
    print("repeated_links %d" % len(repeated))
    for k in repeated:
        print("finding: the same page %d times: %s" % (keys.count(k), k))
    events = {}
    for (title, link), k in zip(entries, keys):
        info = by_key.get(k)
        if info is None:
            print("finding: a link the day does not have: %s" % link)
            continue
        if info["kind"] in ("noise", "roundup"):
            print("finding: %s in the post: %s (q=%d, %s)" % (
                info["kind"], title, info["q"], info["feed"]))
        if not info["in_day"]:
            print("finding: from outside the day: %s (%s)" % (title,
                                                             info["feed"]))
        if info["event"]:
            events.setdefault(info["event"], []).append((info["lang"],
                                                         title))
    for eid, told in sorted(events.items()):
        if len(told) > 1:
            langs = sorted(set(lang for lang, _ in told))
            print("finding: one event %d times%s: %s" % (
                len(told), " across languages" if len(langs) > 1 else "",
                " | ".join("[%s] %s" % t for t in told)))
    top = sorted(((e["q"], e["items"], eid) for eid, e in m["events"].items()
                  if e["q"] >= 8), reverse=True)
    inside = [eid for _, _, eid in top if eid in events]
    print("finding: %d of the day's %d events of q >= 8 are in the post" % (
        len(inside), len(top)))
    if items_json:
        check_stories(m, by_key, items_json)


def check_stories(m, by_key, items_json):
    """How the store's stories of the day split and merge its events."""
    with open(items_json, encoding="utf-8") as fh:
        d = json.load(fh)
    mixed = []
    story_of = {}
    for s in d["stories"]:
        evs = set()
        for it in s["items"]:
            info = by_key.get(link_key(it["url"]))
            if info and info["event"]:
                evs.add(info["event"])
                story_of.setdefault(info["event"], set()).add(s["id"])
        if len(evs) > 1:
            mixed.append((len(evs), s["title"]))
    split = [e for e, ids in story_of.items() if len(ids) > 1]
    both = [e for e in split if len(m["events"][e]["langs"]) > 1]
    mixed.sort(reverse=True)
    print("finding: %d stories from %d items; %d stories hold several "
          "events (the largest %d: %s); %d events are split over several "
          "stories (%d of them told in both languages)" % (
              len(d["stories"]), sum(len(s["items"]) for s in d["stories"]),
              len(mixed), mixed[0][0] if mixed else 0,
              mixed[0][1] if mixed else "-", len(split), len(both)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--date", default="2026-11-26")
    ap.add_argument("--check", metavar="POST",
                    help="read a published post against the day in OUT_DIR")
    ap.add_argument("--items", metavar="ITEMS_JSON",
                    help="with --check: `aidigest items --format json`")
    ap.add_argument("out")
    a = ap.parse_args()
    if a.check:
        return check_post(a.out, a.check, a.items)
    try:
        date = dt.date.fromisoformat(a.date)
    except ValueError:
        ap.error("--date wants YYYY-MM-DD")
    day = generate(a.seed, date)
    m = write_day(day, a.out)
    kinds = {}
    for it in m["items"].values():
        kinds[it["kind"]] = kinds.get(it["kind"], 0) + 1
    in_day = sum(1 for it in m["items"].values() if it["in_day"])
    multi = sum(1 for e in m["events"].values() if e["items"] > 1)
    both = sum(1 for e in m["events"].values() if len(e["langs"]) > 1)
    sys.stderr.write(
        "gen_day: %d feeds, %d links (%d in the day; %s); %d events, %d told "
        "more than once, %d in both languages\n" % (
            len(day.feeds), len(m["items"]), in_day,
            ", ".join("%s %d" % kv for kv in sorted(kinds.items())),
            len(m["events"]), multi, both))


if __name__ == "__main__":
    main()
