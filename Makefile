# aidigest: a daily AI-news digest generator.
# make            build ./aidigest (names `make deps` when a library is missing)
# make deps       install the Debian packages the build and tests need
# make test       install what is missing, then unit, conformance,
#                 command-line tests and the layer check
# make layers     check that every #include points down the layers
#                 (docs/layers.md)
# make format-check  the tree as its .clang-format writes it
# make asan       the same tests built with AddressSanitizer and UBSan
# make run        today's digest from feeds.txt into OUT (out/blog)
# make demo       the whole run offline on a sample day; prints the post
# make fuzz       libFuzzer targets, FUZZ_SECONDS each (clang)
# make bench      parse throughput against sfeed and python3-feedparser,
#                 fetch time against sfeed_update, the panel's requests,
#                 time and cost

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
FUZZ_SECONDS ?= 60
VERSION = 0.1.0

PKGS = libxml-2.0 jansson libcurl libpcre2-8 sqlite3 libcmark
DEB_BUILD = gcc make pkg-config libc6-dev libxml2-dev libjansson-dev \
	libcurl4-openssl-dev libpcre2-dev libsqlite3-dev libcmark-dev
# The tests' loopback HTTP server is Python's standard library; faketime
# sets the clock of the night's run; the engines suite builds the post
# with Hugo and Jekyll, and reads it with gray-matter from npm (Debian's
# npm and nodejs only where no npm is, as a NodeSource nodejs brings its
# own); headless chromium opens the editor's page (tests/cli_page.sh).
DEB_TEST = python3 faketime hugo jekyll chromium
DEB_NPM = nodejs npm
DEB_FUZZ = clang libclang-rt-14-dev
DEB_BENCH = sfeed python3-feedparser time curl

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla
# CI builds with WERROR=1: any warning fails the build (-Werror).
ifneq ($(WERROR),)
WARN += -Werror
endif

# Recursively expanded on purpose: pkg-config runs after `deps` installed it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# libcurl is not linked: fetch/http_lib.c loads it when a command first
# needs the network (start-up time); its headers are still used.
PKG_LIBS = $(shell pkg-config --libs $(filter-out libcurl,$(PKGS)))
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE \
	-DAIDIGEST_VERSION='"$(VERSION)"' -I. $(WARN) $(PKG_CFLAGS) \
	$(SAN) $(CFLAGS)
# --as-needed: a library is loaded only if it is used (start-up time).
ALL_LDFLAGS = -Wl,--as-needed $(SAN) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm

B ?= build
LIB_SRC = $(sort $(wildcard common/*.c store/*.c fetch/*.c summarize/*.c \
	render/*.c pipeline/*.c))
# The command line: main and the commands, linked into ./aidigest only.
CLI_SRC = aidigest.c $(sort $(wildcard cli/*.c))
CLI_OBJ = $(CLI_SRC:%.c=$(B)/%.o)
# The prompts (templates/prompts/) are built into the program.
GEN_OBJ = $(B)/gen/prompts.o
LIB_OBJ = $(LIB_SRC:%.c=$(B)/%.o) $(GEN_OBJ)
UNIT_SRC = tests/unit.c tests/check.c tests/server_child.c \
	$(sort $(wildcard tests/test_*.c))
UNIT_OBJ = $(UNIT_SRC:%.c=$(B)/%.o)
CONF_OBJ = $(B)/tests/conformance.o $(B)/tests/check.o
BIN ?= aidigest

.PHONY: all build test check asan fuzz bench install uninstall clean deps \
	deps-test deps-fuzz deps-bench deps-format run demo format format-check layers \
	have-deps

all: have-deps
	@$(MAKE) --no-print-directory build

# `make` only builds: when a library is missing it says so and names
# `make deps` (the targets that run things install it themselves).
have-deps:
	@if ! command -v $(CC) >/dev/null 2>&1 || \
	    ! command -v pkg-config >/dev/null 2>&1 || \
	    ! pkg-config --exists $(PKGS); then \
		echo "aidigest: missing build dependencies; run 'make deps'" \
			"(Debian: $(DEB_BUILD))" >&2; \
		exit 1; \
	fi

build: $(BIN) $(B)/tests/unit $(B)/tests/conformance

$(BIN): $(CLI_OBJ) $(B)/libaidigest.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/libaidigest.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/tests/unit: $(UNIT_OBJ) $(B)/libaidigest.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/conformance: $(CONF_OBJ) $(B)/libaidigest.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The prompts and the post template are built into the program, each as
# a C string named after its file.
EMBED = templates/prompts/judge.txt:panel_judge_prompt \
	templates/prompts/writer.txt:writer_prompt_text \
	templates/prompts/rewrite.txt:writer_rewrite_prompt_text \
	templates/prompts/verify.txt:verify_prompt_text \
	templates/prompts/pairs.txt:panel_pairs_prompt \
	templates/post.md.mustache:post_template_text \
	summarize/stories_companies.txt:stories_companies_text \
	summarize/stories_names.txt:stories_names_text \
	summarize/stories_words.txt:stories_words_text
EMBED_FILES = $(foreach p,$(EMBED),$(firstword $(subst :, ,$(p))))
$(B)/gen/prompts.c: $(EMBED_FILES) Makefile
	@mkdir -p $(dir $@)
	@echo "/* generated from templates/ by the Makefile */" >$@
	@for pair in $(EMBED); do \
		file=$${pair%%:*}; name=$${pair#*:}; \
		echo "extern const char $$name[];"; \
		echo "const char $$name[] ="; \
		awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); \
			printf "\t\"%s\\n\"\n", $$0 }' $$file; \
		echo "\t;"; \
	done >>$@

$(B)/gen/%.o: $(B)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

-include $(LIB_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(CONF_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

test: deps-test
	@$(MAKE) --no-print-directory check

check: build
	@AIDIGEST_BIN=./$(BIN) AIDIGEST_BUILD=$(B) sh tests/run.sh

# Includes point down the layers of docs/layers.md; no circles.
layers:
	@sh tests/layers.sh

FORMAT_SRC = $(CLI_SRC) $(LIB_SRC) $(wildcard */*.h) \
	$(wildcard tests/*.c tests/*.h tests/fuzz/*.c bench/*.c)
format:
	clang-format -i $(FORMAT_SRC)

format-check: deps-format
	@clang-format --dry-run -Werror $(FORMAT_SRC) && \
		echo "format: the tree is as .clang-format writes it"

deps-format:
	@command -v clang-format >/dev/null 2>&1 || \
		{ $(call apt_install,clang-format); }

asan: deps-test
	@$(MAKE) --no-print-directory B=build-asan BIN=build-asan/aidigest \
		SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		CFLAGS='-O1 -g' check

fuzz: deps deps-fuzz
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk FUZZ_SECONDS=$(FUZZ_SECONDS)

bench: deps deps-bench
	@$(MAKE) --no-print-directory build
	@status=0; \
	echo "== parse: aidigest against sfeed and feedparser"; \
	sh bench/run.sh || status=1; \
	echo "== start-up: aidigest parse of an empty feed against sfeed"; \
	sh bench/startup.sh || status=1; \
	echo "== fetch: aidigest against sfeed_update"; \
	sh bench/fetch.sh || status=1; \
	echo "== rank: the judge panel against one reference judge"; \
	sh bench/rank.sh || status=1; \
	echo "== verify: the panel checks the writer's texts"; \
	sh bench/verify.sh || status=1; \
	echo "== merge: stories of one event across languages, offline"; \
	sh bench/merge.sh || status=1; \
	echo "== pool: pooling and the diagnostics in the simulation"; \
	sh bench/pool.sh || status=1; \
	echo "== night: the whole night at 300 feeds"; \
	sh bench/night.sh || status=1; \
	exit $$status

# Today's digest from feeds.txt into $(OUT): the heuristic panel and the
# extractive writer unless the configuration names LLM judges and a
# writer whose keys are set.
OUT ?= out/blog
run: deps
	@$(MAKE) --no-print-directory build
	@mkdir -p $(OUT)
	./$(BIN) --out $(OUT) run

# The whole run offline on the demo day (tests/fixtures/demo): its feeds
# over file://, a fresh state database; prints the post's path last.
DEMO = build/demo
demo: deps
	@$(MAKE) --no-print-directory build
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@sed "s#@DEMO@#$(CURDIR)/tests/fixtures/demo#g" \
		tests/fixtures/demo/feeds.txt.in >$(DEMO)/feeds.txt
	@./$(BIN) -c tests/fixtures/demo/aidigest.conf --feeds $(DEMO)/feeds.txt \
		--db $(DEMO)/state.db --out $(DEMO)/blog run --date 2026-11-20 \
		>$(DEMO)/path.txt
	@cat "$$(cat $(DEMO)/path.txt)"
	@echo
	@cat $(DEMO)/path.txt

SHAREDIR ?= $(PREFIX)/share/aidigest
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(SHAREDIR)/templates/prompts
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/aidigest
	install -m 644 docs/aidigest.1 $(DESTDIR)$(MANDIR)/man1/aidigest.1
	install -m 644 templates/post.md.mustache $(DESTDIR)$(SHAREDIR)/templates/
	install -m 644 templates/prompts/*.txt \
		$(DESTDIR)$(SHAREDIR)/templates/prompts/
	install -m 644 aidigest.conf.example feeds.txt $(DESTDIR)$(SHAREDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/aidigest $(DESTDIR)$(MANDIR)/man1/aidigest.1
	rm -rf $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf build build-asan build-fuzz aidigest

# Install the Debian packages the build needs, only when something is missing.
APT = $(shell [ "$$(id -u)" = 0 ] || echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get
define apt_install
	$(APT) install -y --no-install-recommends $(1) || \
		{ $(APT) update && $(APT) install -y --no-install-recommends $(1); }
endef

# What building and running need (make, make run, make demo).
deps:
	@if ! command -v $(CC) >/dev/null 2>&1 || \
	    ! command -v pkg-config >/dev/null 2>&1 || \
	    ! pkg-config --exists $(PKGS); then \
		echo "aidigest: installing build dependencies: $(DEB_BUILD)"; \
		$(call apt_install,$(DEB_BUILD)); \
	fi

# What the tests need beyond that (make test, make asan).
deps-test: deps
	@if ! command -v python3 >/dev/null 2>&1 || \
	    ! command -v faketime >/dev/null 2>&1 || \
	    ! command -v hugo >/dev/null 2>&1 || \
	    ! command -v jekyll >/dev/null 2>&1 || \
	    ! command -v chromium >/dev/null 2>&1; then \
		echo "aidigest: installing test dependencies: $(DEB_TEST)"; \
		$(call apt_install,$(DEB_TEST)); \
	fi
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "aidigest: installing test dependencies: $(DEB_NPM)"; \
		$(call apt_install,$(DEB_NPM)); \
	fi

deps-fuzz:
	@if ! command -v clang >/dev/null 2>&1 || \
	    ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then \
		$(call apt_install,$(DEB_FUZZ)); \
	fi

deps-bench:
	@if ! command -v sfeed >/dev/null 2>&1 || \
	    ! { python3 -c "import feedparser" || /usr/bin/python3 -c "import feedparser"; } >/dev/null 2>&1 || \
	    ! [ -x /usr/bin/time ] || ! command -v curl >/dev/null 2>&1; then \
		$(call apt_install,$(DEB_BENCH)); \
	fi
