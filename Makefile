# Lamplight: two commands for newcomers.
#   make run    opens the app on the built-in demo ward (installs what it needs on Debian/Ubuntu)
#   make test   everything CI runs
# Everything builds in debug once: clippy, tests and the app share one feature set and one target/.

SHELL := /bin/bash
.DEFAULT_GOAL := run
APP := target/debug/lamplight-app
CARGO_FLAGS ?=

.PHONY: log-scan core-is-headless run test deps test-deps ui-deps ui app fmt clippy rust-test ui-test schemas schema-check e2e screenshot clean fuzz fuzz-smoke fuzz-build fuzz-deps package package-test

## make run: install what is missing, build, open the window on the demo ward.
run: deps app
	./$(APP)

## make test: what CI runs, cheapest checks first.
test: test-deps fmt core-is-headless ui clippy rust-test fuzz-smoke ui-test schema-check e2e log-scan package-test
	@echo "make test: all checks passed"

deps:
	@packaging/install-deps.sh
	@$(MAKE) --no-print-directory ui-deps

test-deps:
	@packaging/install-deps.sh --test
	@$(MAKE) --no-print-directory ui-deps

ui-deps: ui/node_modules/.installed
ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

## The UI bundle the app embeds (the Tauri macros need ui/dist before any build of the app crate).
ui: ui-deps
	cd ui && npm run build

app: ui
	cargo build $(CARGO_FLAGS) -p lamplight-app

fmt:
	cargo fmt --all --check

## The core crates must build and test on a machine without WebKit: none may reach Tauri or GTK.
core-is-headless:
	@if cargo tree --workspace --exclude lamplight-app -e normal,build --prefix none | grep -Ei '^(tauri|wry|webkit2gtk|gtk|gdk|javascriptcore)[-_ ]'; then \
	  echo "a crate under crates/ depends on Tauri/WebKit (above): keep the core headless" >&2; exit 1; \
	else echo "core crates are headless: no Tauri, WebKit or GTK"; fi

clippy: ui
	cargo clippy $(CARGO_FLAGS) --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc $(CARGO_FLAGS) --workspace --no-deps --quiet

## Tests talk to a real FHIR server on loopback, stopped however they end. tools/fhir-server/start
## takes CI's prebuilt one from ../shared when it is beside the clone; without it, $$HFS_BIN, an hfs
## on the PATH, or one it builds once into ~/.cache/lamplight (about an hour on 2 cores).
FHIR_SERVER := tools/fhir-server
## Every `lamplight` and `lamplight-app` the tests start logs at debug level into one folder, which
## `log-scan` then reads for patient data (crates/lamplight-cli/tests/log_scan.rs).
TEST_LOGS := $(CURDIR)/target/test-logs
rust-test e2e: export LAMPLIGHT_LOG_DIR := $(TEST_LOGS)
rust-test e2e: export LAMPLIGHT_LOG_FILE_LEVEL := debug
rust-test: ui
	@rm -rf "$(TEST_LOGS)"; mkdir -p target; dir=$$(mktemp -d "$(CURDIR)/target/fhir-server.XXXXXX"); \
	url=$$($(FHIR_SERVER)/start "" "$$dir") || { rm -rf "$$dir"; exit 1; }; \
	trap '$(FHIR_SERVER)/stop "'"$$dir"'"; rm -rf "'"$$dir"'"' EXIT; \
	echo "FHIR test server: $$url"; export LAMPLIGHT_TEST_FHIR_URL=$$url; \
	cargo nextest run $(CARGO_FLAGS) --workspace --no-fail-fast

ui-test: ui-deps
	cd ui && npm run check && npm test

## Regenerate schemas/ from the Rust types, and the UI's TypeScript types from schemas/.
schemas:
	UPDATE_SCHEMAS=1 cargo test -q -p lamplight-station --test schemas
	cd ui && npm run gen:types

## Fails when schemas/ or the generated TypeScript are stale.
schema-check: ui-deps
	cargo test -q -p lamplight-station --test schemas
	cd ui && npm run check:types

## The real window under Xvfb, driven through tauri-driver and WebKitWebDriver.
e2e: app
	cargo build $(CARGO_FLAGS) -p lamplight-cli
	tests/e2e/run.sh $(abspath $(APP))

## No log line of the whole run (rust-test and e2e above) names a patient: the scan of $(TEST_LOGS).
log-scan:
	LAMPLIGHT_LOG_SCAN_DIR="$(TEST_LOGS)" cargo nextest run $(CARGO_FLAGS) -p lamplight-cli --test log_scan --run-ignored only

## The README's picture of the board, from the real window on the demo ward.
screenshot: app
	tests/e2e/run.sh $(abspath $(APP)) --screenshot docs/screenshot.png

## Fuzzing (docs/fuzzing.md): cargo fuzz on the nightly toolchain, fuzz/ being its own workspace.
## Every reader of a file someone else wrote: FHIR bundles, snapshots, journals and ward-folder records,
## signatures, rosters and the station's configuration. Bounded: each target runs FUZZ_SECS seconds,
## at most 2 GiB and 10 s an input; a crash fails the run and is left in fuzz/artifacts/TARGET/.
##   make fuzz          every target, 20 s each (FUZZ_SECS=600 for a longer look)
##   make fuzz-smoke    what `make test` does: 5 s each where a build is cached, else says why not
## The build is the cost. Measured on this 2-core machine (another build running alongside): installing
## cargo-fuzz 61 s; the fuzz build cold about 12 min (678 s for the dependencies, 122 s for the seven
## workspace crates and the targets); again after a change to the workspace crates, 122 s. `make test`
## took about 23 min without it, and must stay under 30, so a cold build in every CI run (23 + 12 + 1.5
## min) does not fit: the fuzz build keeps its own target directory in a cache outside the clone
## (FUZZ_TARGET_DIR), built once per machine or dependency change; with it cached, fuzz-smoke costs
## the rebuild of the workspace crates (about 2 min) and 5 s a target (40 s measured for all five).
## -s none: the readers are safe Rust (unsafe_code is forbidden), and AddressSanitizer would not
## instrument the C of SQLite either; it would halve the executions for nothing. -a: debug assertions
## and overflow checks on, so an arithmetic overflow is a crash, not a silent wrap.
FUZZ_TARGETS := fhir_import snapshot_reader journal_reader signature_reader roster_reader
FUZZ_SECS ?= 20
FUZZ_TARGET_DIR ?= $(HOME)/.cache/lamplight/fuzz-target
FUZZ_FLAGS := -s none -a --target-dir $(FUZZ_TARGET_DIR)
FUZZ_LIMITS := -rss_limit_mb=2048 -timeout=10

fuzz-deps:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

fuzz-build: fuzz-deps
	cd fuzz && cargo +nightly fuzz build $(FUZZ_FLAGS)

## Each target starts from its seeds (fuzz/corpus/TARGET, never written to) and from what earlier runs
## found (FUZZ_TARGET_DIR/corpus/TARGET, where new inputs go).
fuzz: fuzz-build
	@if [ "$(FUZZ_SECS)" = 0 ]; then echo "fuzz: skipped (FUZZ_SECS=0)"; exit 0; fi; \
	mkdir -p "$(FUZZ_TARGET_DIR)/logs"; cd fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p "$(FUZZ_TARGET_DIR)/corpus/$$t"; log="$(FUZZ_TARGET_DIR)/logs/$$t.log"; \
	  if cargo +nightly fuzz run $(FUZZ_FLAGS) $$t "$(FUZZ_TARGET_DIR)/corpus/$$t" corpus/$$t -- \
	      -max_total_time=$(FUZZ_SECS) $(FUZZ_LIMITS) -print_final_stats=1 >"$$log" 2>&1; then \
	    echo "fuzz: $$t ran $(FUZZ_SECS) s, $$(grep -o 'number_of_executed_units: *[0-9]*' "$$log" | grep -o '[0-9]*$$') inputs, no crash"; \
	  else \
	    tail -n 40 "$$log" >&2; \
	    echo "fuzz: $$t failed (above); a crashing input is kept in fuzz/artifacts/$$t/: docs/fuzzing.md says how to reproduce, minimise and fix it" >&2; \
	    exit 1; \
	  fi; \
	done

## In `make test`: the libFuzzer run where it can be afforded, said loudly where it cannot. CI's
## machines have one (stable) toolchain and keep nothing between runs, so there the seeds and every
## crash input kept in fuzz/corpus are replayed through the same readers by the ordinary tests
## (crates/lamplight-cli/tests/fuzz_corpus.rs, in rust-test), and the libFuzzer run is skipped with
## the reason. With nightly, cargo-fuzz and a cached build (make fuzz-build once, about 12 min cold),
## it runs 5 s a target.
fuzz-smoke:
	@if ! rustup toolchain list 2>/dev/null | grep -q '^nightly' || ! command -v cargo-fuzz >/dev/null; then \
	  echo "fuzz-smoke: libFuzzer run SKIPPED: no nightly toolchain or no cargo-fuzz on this machine. The seeds and kept crash inputs were replayed by fuzz_corpus (rust-test); make fuzz runs the fuzzers where nightly is"; \
	elif [ ! -d "$(FUZZ_TARGET_DIR)/x86_64-unknown-linux-gnu/release" ]; then \
	  echo "fuzz-smoke: libFuzzer run SKIPPED: no fuzz build cached in $(FUZZ_TARGET_DIR) (a cold one takes about 12 min, more than make test can spend): make fuzz-build once. The seeds were replayed by fuzz_corpus (rust-test)"; \
	else $(MAKE) --no-print-directory fuzz FUZZ_SECS=$(if $(filter command line environment,$(origin FUZZ_SECS)),$(FUZZ_SECS),5); fi

## Linux packages (docs/packaging.md): a .deb and an .rpm by the Tauri bundler (npm's @tauri-apps/cli),
## holding the app, the `lamplight` command, the agent's systemd unit, the example config and docs/*.md.
##   make package        release build, bundled, then installed into a clean folder and started
##   make package-test   the same for the debug build make test already has (in make test): the
##                       bundler only packs, so it adds seconds, not a second compile (docs/packaging.md)
package: ui
	cargo build $(CARGO_FLAGS) --release -p lamplight-app -p lamplight-cli
	tests/package/run.sh release

package-test: app
	cargo build $(CARGO_FLAGS) -p lamplight-cli
	tests/package/run.sh debug

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
