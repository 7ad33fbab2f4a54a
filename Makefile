# Lamplight: two commands for newcomers.
#   make run    opens the app on the built-in demo ward (installs what it needs on Debian/Ubuntu)
#   make test   everything CI runs
# Everything builds in debug once: clippy, tests and the app share one feature set and one target/.

SHELL := /bin/bash
.DEFAULT_GOAL := run
APP := target/debug/lamplight-app
CARGO_FLAGS ?=

.PHONY: core-is-headless run test deps test-deps ui-deps ui app fmt clippy rust-test ui-test schemas schema-check e2e screenshot clean

## make run: install what is missing, build, open the window on the demo ward.
run: deps app
	./$(APP)

## make test: what CI runs, cheapest checks first.
test: test-deps fmt core-is-headless ui clippy rust-test ui-test schema-check e2e
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

## Tests talk to a real FHIR server on loopback (../shared/tools/fhir-server), stopped however they end.
## Without ../shared, tests that need one start their own from $$HFS_BIN or say how to get one.
FHIR_SERVER := ../shared/tools/fhir-server
rust-test: ui
	@mkdir -p target; dir=$$(mktemp -d "$(CURDIR)/target/fhir-server.XXXXXX"); \
	if [ -x $(FHIR_SERVER)/start ]; then \
	  url=$$($(FHIR_SERVER)/start "" "$$dir") || exit 1; \
	  trap '$(FHIR_SERVER)/stop "'"$$dir"'"; rm -rf "'"$$dir"'"' EXIT; \
	  echo "FHIR test server: $$url"; export LAMPLIGHT_TEST_FHIR_URL=$$url; \
	fi; \
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

## The README's picture of the board, from the real window on the demo ward.
screenshot: app
	tests/e2e/run.sh $(abspath $(APP)) --screenshot docs/screenshot.png

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
