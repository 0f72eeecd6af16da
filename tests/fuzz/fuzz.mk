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

# The parsers and what they use; store/ summarize/ render/ are not needed.
FUZZ_LIB_SRC = $(sort $(wildcard common/*.c fetch/*.c))
FUZZ_LIB_OBJ = $(FUZZ_LIB_SRC:%.c=$(FZ)/%.o)
FUZZ_LIB = $(FZ)/libaidigest-fuzz.a
# fuzz_html_swar: html.c's portable 8-byte scanning, which x86-64 builds
# never use (they take the SSE2 one), under the same target.
FUZZ_BINS = $(FZ)/fuzz_feed $(FZ)/fuzz_date $(FZ)/fuzz_html \
	$(FZ)/fuzz_html_swar $(FZ)/fuzz_xmlprep $(FZ)/fuzz_api
FUZZ_OBJ = $(FZ)/tests/fuzz/fuzz_feed.o $(FZ)/tests/fuzz/fuzz_date.o \
	$(FZ)/tests/fuzz/fuzz_html.o $(FZ)/swar/fetch/html.o \
	$(FZ)/tests/fuzz/fuzz_xmlprep.o $(FZ)/tests/fuzz/fuzz_api.o

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
	sh tests/fuzz/run.sh feed $(FZ)/fuzz_feed $(FZ)/corpus-feed 262144 \
		tests/fuzz/xml.dict $(FUZZ_SECONDS) || status=1; \
	sh tests/fuzz/run.sh date $(FZ)/fuzz_date $(FZ)/corpus-date 512 \
		tests/fuzz/date.dict $(FUZZ_SECONDS) || status=1; \
	sh tests/fuzz/run.sh html $(FZ)/fuzz_html $(FZ)/corpus-html 262144 \
		tests/fuzz/xml.dict $(FUZZ_SECONDS) || status=1; \
	sh tests/fuzz/run.sh html_swar $(FZ)/fuzz_html_swar \
		$(FZ)/corpus-html-swar 262144 tests/fuzz/xml.dict \
		$(FUZZ_SECONDS) || status=1; \
	sh tests/fuzz/run.sh xmlprep $(FZ)/fuzz_xmlprep $(FZ)/corpus-xmlprep \
		65536 tests/fuzz/xml.dict $(FUZZ_SECONDS) || status=1; \
	sh tests/fuzz/run.sh api $(FZ)/fuzz_api $(FZ)/corpus-api 65536 \
		tests/fuzz/json.dict $(FUZZ_SECONDS) || status=1; \
	if [ $$status -ne 0 ]; then \
		echo "fuzz: a target failed; inputs in $(FZ)/artifacts/"; \
	fi; \
	exit $$status

# Each target once over its saved crash inputs, tests/fuzz/crashes/NAME-*:
# fails while any of them still fails (make -f tests/fuzz/fuzz.mk
# fuzz-regress).
fuzz-regress: $(FUZZ_BINS)
	@status=0; \
	for t in feed date html xmlprep api; do \
		set -- tests/fuzz/crashes/$$t-*; \
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
	@mkdir -p $(FZ)/corpus-feed $(FZ)/corpus-date $(FZ)/corpus-html \
		$(FZ)/corpus-html-swar $(FZ)/corpus-xmlprep $(FZ)/corpus-api
	@for f in $(FEEDS); do \
		b=$$(basename $$f); \
		for o in $(FEED_OPTIONS); do \
			{ printf "\\$$o"; cat $$f; } >$(FZ)/corpus-feed/seed-$$o-$$b; \
		done; \
		cp $$f $(FZ)/corpus-html/seed-$$b; \
		cp $$f $(FZ)/corpus-html-swar/seed-$$b; \
		cp $$f $(FZ)/corpus-xmlprep/seed-$$b; \
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

$(FZ)/fuzz_%: $(FZ)/tests/fuzz/fuzz_%.o $(FUZZ_LIB)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS)

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
