# libFuzzer targets for the parsers; the Makefile's `make fuzz` runs this
# file with FUZZ_SECONDS (each target runs that long). Everything is built
# with clang into build-fuzz/, the library sources included: the objects
# in build/ are gcc-built, without the fuzzer's coverage instrumentation.
# Every target runs even when one fails; make fails at the end if any did.
# Inputs that crash are left in build-fuzz/artifacts/.

FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FZ = build-fuzz

FUZZ_PKGS = libxml-2.0 jansson libpcre2-8
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Wno-format-nonliteral
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -I. -g -O1 $(FUZZ_WARN) \
	$(shell pkg-config --cflags $(FUZZ_PKGS))
FUZZ_LIBS = $(shell pkg-config --libs $(FUZZ_PKGS)) -lm

# The parsers and what they use: common/ and fetch/, the renderer's
# Mustache, escaping and front-matter, the LLM client (which sends over
# fetch/http.c: its target alone links libcurl). store/ is not needed.
FUZZ_LIB_SRC = $(sort $(wildcard common/*.c fetch/*.c)) render/escape.c \
	render/frontmatter.c render/mustache.c summarize/llm.c
FUZZ_LIB_OBJ = $(FUZZ_LIB_SRC:%.c=$(FZ)/%.o)
FUZZ_LIB = $(FZ)/libaidigest-fuzz.a

# Each target: fuzz_NAME.c, with its longest input and its dictionary.
# fuzz_html_swar: html.c's portable 8-byte scanning, which x86-64 builds
# never use (they take the SSE2 one), under fuzz_html.c.
FUZZ_ALL = feed date html html_swar xmlprep xhtml charset api mustache \
	llm frontmatter ini sources opml
# FUZZ_TARGETS="ini opml" builds and runs those alone.
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_MAX_feed = 262144
FUZZ_MAX_date = 512
FUZZ_MAX_html = 262144
FUZZ_MAX_html_swar = 262144
FUZZ_MAX_xmlprep = 65536
FUZZ_MAX_xhtml = 16384
FUZZ_MAX_charset = 4096
FUZZ_MAX_api = 65536
FUZZ_MAX_mustache = 16384
FUZZ_MAX_llm = 16384
FUZZ_MAX_frontmatter = 16384
FUZZ_MAX_ini = 16384
FUZZ_MAX_sources = 16384
FUZZ_MAX_opml = 65536
FUZZ_DICT_feed = tests/fuzz/xml.dict
FUZZ_DICT_date = tests/fuzz/date.dict
FUZZ_DICT_html = tests/fuzz/xml.dict
FUZZ_DICT_html_swar = tests/fuzz/xml.dict
FUZZ_DICT_xmlprep = tests/fuzz/xml.dict
FUZZ_DICT_xhtml = tests/fuzz/xml.dict
FUZZ_DICT_charset = tests/fuzz/xml.dict
FUZZ_DICT_api = tests/fuzz/json.dict
FUZZ_DICT_mustache = tests/fuzz/mustache.dict
FUZZ_DICT_llm = tests/fuzz/llm.dict
FUZZ_DICT_frontmatter = tests/fuzz/frontmatter.dict
FUZZ_DICT_ini = tests/fuzz/ini.dict
FUZZ_DICT_sources = tests/fuzz/sources.dict
FUZZ_DICT_opml = tests/fuzz/opml.dict
FUZZ_BINS = $(FUZZ_TARGETS:%=$(FZ)/fuzz_%)
FUZZ_OBJ = $(filter-out $(FZ)/tests/fuzz/fuzz_html_swar.o, \
	$(FUZZ_ALL:%=$(FZ)/tests/fuzz/fuzz_%.o)) $(FZ)/swar/fetch/html.o
# The seeds written for the targets that have no fixtures to start from.
SEED_TARGETS = xhtml mustache llm frontmatter ini sources opml

FEEDS = $(sort $(wildcard tests/fixtures/feeds/*))
# Option bytes fuzz_feed reads before the document (see fuzz_feed.c), in
# octal for printf: defaults; euc-kr Atom type with 3 entries at most;
# text/xml with a base URL, stopped after one entry; utf-16 with small
# text and depth caps, stopped after three.
FEED_OPTIONS = 000 012 141 325

.PHONY: fuzz-all fuzz-regress corpora
.DEFAULT_GOAL := fuzz-all
.SECONDARY: $(FUZZ_OBJ)

fuzz-all: $(FUZZ_BINS) corpora
	@status=0; \
	$(foreach t,$(FUZZ_TARGETS),sh tests/fuzz/run.sh $(t) $(FZ)/fuzz_$(t) \
		$(FZ)/corpus-$(t) $(FUZZ_MAX_$(t)) $(FUZZ_DICT_$(t)) \
		$(FUZZ_SECONDS) || status=1;) \
	if [ $$status -ne 0 ]; then \
		echo "fuzz: a target failed; inputs in $(FZ)/artifacts/"; \
	fi; \
	exit $$status

# Each target once over its saved inputs, tests/fuzz/crashes/TARGET/
# (make -f tests/fuzz/fuzz.mk fuzz-regress); `make test` replays them
# too, through tests/test_fuzz.c.
fuzz-regress: $(FUZZ_BINS)
	@status=0; \
	for t in $(FUZZ_TARGETS); do \
		set -- tests/fuzz/crashes/$$t/*; \
		[ -e "$$1" ] || continue; \
		if $(FZ)/fuzz_$$t "$$@" >$(FZ)/regress-$$t.log 2>&1; then \
			echo "$$t: $$# saved inputs pass"; \
		else \
			echo "$$t: a saved input fails: $(FZ)/regress-$$t.log"; \
			status=1; \
		fi; \
	done; \
	exit $$status

# Seeds are rewritten on each run; what the fuzzer adds stays.
corpora: $(FEEDS) tests/fuzz/dates.txt
	@mkdir -p $(FUZZ_ALL:%=$(FZ)/corpus-%)
	@for f in $(FEEDS); do \
		b=$$(basename $$f); \
		for o in $(FEED_OPTIONS); do \
			{ printf "\\$$o"; cat $$f; } >$(FZ)/corpus-feed/seed-$$o-$$b; \
		done; \
		cp $$f $(FZ)/corpus-html/seed-$$b; \
		cp $$f $(FZ)/corpus-html_swar/seed-$$b; \
		cp $$f $(FZ)/corpus-xmlprep/seed-$$b; \
		cp $$f $(FZ)/corpus-charset/seed-$$b; \
	done
	@for f in tests/fixtures/api/*.json; do \
		b=$$(basename $$f); \
		for o in 000 001 002 003; do \
			{ printf "\\$$o"; cat $$f; } >$(FZ)/corpus-api/seed-$$o-$$b; \
		done; \
	done
	@i=0; while IFS= read -r d; do \
		i=$$((i + 1)); \
		{ printf '\000\000'; printf '%s' "$$d"; } \
			>$(FZ)/corpus-date/seed-utc-$$i; \
		{ printf '\002\034'; printf '%s' "$$d"; } \
			>$(FZ)/corpus-date/seed-kst-$$i; \
	done <tests/fuzz/dates.txt
	@for t in $(SEED_TARGETS); do \
		for f in tests/fuzz/seeds/$$t/*; do \
			cp $$f $(FZ)/corpus-$$t/seed-$$(basename $$f); \
		done; \
	done

$(FZ)/fuzz_%: $(FZ)/tests/fuzz/fuzz_%.o $(FUZZ_LIB)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS)

$(FZ)/fuzz_llm: $(FZ)/tests/fuzz/fuzz_llm.o $(FUZZ_LIB)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS) \
		$(shell pkg-config --libs libcurl)

# The SWAR html.o comes first, so the archive's html.o is never pulled.
$(FZ)/fuzz_html_swar: $(FZ)/tests/fuzz/fuzz_html.o $(FZ)/swar/fetch/html.o \
		$(FUZZ_LIB)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS)

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FZ)/swar/fetch/html.o: fetch/html.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -U__SSE2__ -fsanitize=fuzzer-no-link \
		$(FUZZ_SAN) -MMD -MP -c -o $@ $<

$(FZ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) \
		-MMD -MP -c -o $@ $<

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
