#!/usr/bin/env bash
# End-to-end test of the real Lamplight window: Xvfb + tauri-driver + WebKitWebDriver + webdriverio.
#   tests/e2e/run.sh /abs/path/to/lamplight-app                    run the tests (make e2e does this)
#   tests/e2e/run.sh [/abs/path/to/app] --screenshot docs/screenshot.png   save a picture of the board
#   LAMPLIGHT_E2E_TESTS="downtime.test.mjs" tests/e2e/run.sh APP           only those test files
# The app defaults to target/debug/lamplight-app. Exits non-zero when a test fails; a failing test
# leaves a screenshot in tests/e2e/screenshots/. tauri-driver, WebKitWebDriver and the app are
# stopped on exit, whatever happens.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

app="$repo/target/debug/lamplight-app"
shot=""
while (($#)); do
  case "$1" in
    --screenshot) shot=$(realpath -m "${2:?--screenshot needs a file name}"); shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) app="$1"; shift ;;
  esac
done
[[ "$app" = /* ]] || app="$(pwd)/$app"
[[ -x "$app" ]] || { echo "e2e: no app binary at $app: build it first (make app)" >&2; exit 1; }

# Everything below runs on a private X display.
if [[ -z "${LAMPLIGHT_E2E_DISPLAY:-}" ]]; then
  command -v xvfb-run >/dev/null || { echo "e2e: xvfb-run is missing: packaging/install-deps.sh --test" >&2; exit 1; }
  args=("$app")
  [[ -n "$shot" ]] && args+=(--screenshot "$shot")
  LAMPLIGHT_E2E_DISPLAY=1 exec xvfb-run -a -s "-screen 0 1366x800x24 -nolisten tcp" "$0" "${args[@]}"
fi

command -v tauri-driver >/dev/null || { echo "e2e: tauri-driver is missing: cargo install tauri-driver --locked" >&2; exit 1; }
command -v WebKitWebDriver >/dev/null || { echo "e2e: WebKitWebDriver is missing: apt-get install webkit2gtk-driver" >&2; exit 1; }

# The client: webdriverio from its own lockfile. No install scripts (nothing may download a driver).
if [[ ! -f "$here/node_modules/.installed" || "$here/package-lock.json" -nt "$here/node_modules/.installed" ]]; then
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) && touch "$here/node_modules/.installed"
fi

status() { curl -fsS --max-time 1 http://127.0.0.1:4444/status >/dev/null 2>&1; }
if status; then
  echo "e2e: something already answers on 127.0.0.1:4444 (another tauri-driver?): stop it first" >&2
  exit 1
fi

log=$(mktemp -t lamplight-tauri-driver.XXXXXX)
# Its own process group, so the app and WebKitWebDriver it starts are stopped with it.
setsid tauri-driver --port 4444 >"$log" 2>&1 &
driver=$!
cleanup() {
  kill -TERM -- "-$driver" 2>/dev/null || true
  sleep 0.5
  kill -KILL -- "-$driver" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

for _ in $(seq 100); do
  status && break
  kill -0 "$driver" 2>/dev/null || { echo "e2e: tauri-driver exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
status || { echo "e2e: tauri-driver did not answer on 127.0.0.1:4444 within 10 s" >&2; cat "$log" >&2; exit 1; }

export LAMPLIGHT_APP="$app"
# The vault tests stage with the real command line, built beside the app (so a CARGO_TARGET_DIR
# build finds its own: run.sh /tmp/t/debug/lamplight-app uses /tmp/t/debug/lamplight).
export LAMPLIGHT_CLI="${LAMPLIGHT_CLI:-$(dirname "$app")/lamplight}"
cd "$here"
rc=0
if [[ -n "$shot" ]]; then
  node screenshot.mjs "$shot" || rc=$?
else
  # One window at a time: tauri-driver drives a single session.
  # LAMPLIGHT_E2E_TESTS="board.test.mjs downtime.test.mjs" runs only those files.
  read -r -a files <<<"${LAMPLIGHT_E2E_TESTS:-board.test.mjs vault.test.mjs print.test.mjs live.test.mjs downtime.test.mjs reconcile.test.mjs}"
  node --test --test-concurrency=1 --test-reporter=spec "${files[@]}" || rc=$?
fi
if ((rc)); then
  echo "e2e: FAILED (tauri-driver log follows)" >&2
  tail -n 40 "$log" >&2
fi
exit "$rc"
