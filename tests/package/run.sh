#!/usr/bin/env bash
# Installs the Linux packages into a clean folder and starts what they hold (docs/packaging.md).
#   tests/package/run.sh debug          bundle the debug build already in the target folder, then test
#                                       (make package-test, in make test: no second compile)
#   tests/package/run.sh release        the same for a release build (make package)
#   tests/package/run.sh X.deb [X.rpm]  test packages built elsewhere (CI's artefacts, a release)
# Bundling needs lamplight-app and lamplight built for that profile (make app, cargo build -p
# lamplight-cli) and ui/node_modules (the Tauri CLI from npm). No root needed: dpkg installs into
# a folder of its own with --root, and nothing outside it is written. Exits non-zero on the first
# thing a ward PC would not get.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
say() { echo "package-test: $*"; }
fail() { echo "package-test: FAILED: $*" >&2; exit 1; }

[[ $# -ge 1 ]] || { sed -n '2,9p' "$0" >&2; exit 2; }

# Cargo's own answer for where it builds (CARGO_TARGET_DIR, a config's build.target-dir or target/).
metadata=$(cd "$repo" && cargo metadata --format-version 1 --no-deps)
target_dir=$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0)).target_directory)' <<<"$metadata")
version=$(node -e 'const m = JSON.parse(require("fs").readFileSync(0));
  process.stdout.write(m.packages.find((p) => p.name === "lamplight-app").version)' <<<"$metadata")

deb="" rpm="" built_cli=""
case "$1" in
  debug | release)
    profile=$1
    bin="$target_dir/$profile"
    for b in lamplight-app lamplight; do
      [[ -x "$bin/$b" ]] || fail "no $bin/$b: build it first (make app and cargo build -p lamplight-cli, or make package)"
    done
    tauri="$repo/ui/node_modules/.bin/tauri"
    [[ -x "$tauri" ]] || fail "no Tauri CLI in ui/node_modules: make ui-deps"
    # tauri.conf.json takes the `lamplight` command from this fixed place (bundle.linux.*.files),
    # whatever the target folder is: copied fresh each time, and compared after the install below.
    mkdir -p "$repo/target/package"
    cp -f "$bin/lamplight" "$repo/target/package/lamplight"
    built_cli="$bin/lamplight"
    rm -rf "$bin/bundle/deb" "$bin/bundle/rpm"
    started=$EPOCHREALTIME
    (cd "$repo" && "$tauri" bundle $([[ $profile == debug ]] && echo --debug) --bundles deb,rpm) 2>&1 |
      grep -v '^ *Info .* workspace inheritance' || fail "the Tauri bundler failed (above)"
    say "bundled the $profile build in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
    shopt -s nullglob
    debs=("$bin"/bundle/deb/*.deb) rpms=("$bin"/bundle/rpm/*.rpm)
    shopt -u nullglob
    ((${#debs[@]} == 1 && ${#rpms[@]} == 1)) || fail "expected one .deb and one .rpm in $bin/bundle, found ${debs[*]:-none} ${rpms[*]:-none}"
    deb=${debs[0]} rpm=${rpms[0]}
    ;;
  *.deb) deb=$(realpath "$1"); [[ -n "${2:-}" ]] && rpm=$(realpath "$2") ;;
  *) fail "$1: give debug, release or a .deb" ;;
esac
[[ -f "$deb" ]] || fail "no package at $deb"

command -v dpkg >/dev/null || fail "dpkg is missing: the .deb test needs it (apt-get install dpkg, or run it in a Debian container)"
root=$(mktemp -d "${TMPDIR:-/tmp}/lamplight-package.XXXXXX")
trap 'rm -rf "$root"' EXIT

# --- The .deb's control fields ------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == lamplight ]] || fail "the .deb is called $(field Package), not lamplight"
[[ $(field Version) == "$version" ]] || fail "the .deb's version $(field Version) is not the workspace's $version"
say "$(basename "$deb"): $(field Package) $(field Version), depends on $(field Depends)"

# --- Install into an empty root: a dpkg database of its own, no maintainer scripts to run --------
# The root has no libraries, so dpkg is told to ignore the Depends; instead every one of them must
# be installed on this machine, whose libraries the installed binaries then run against.
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: >"$root/var/lib/dpkg/status"
IFS=',' read -r -a depends <<<"$(field Depends)"
for d in "${depends[@]}"; do
  d=$(echo "${d%%(*}" | xargs)
  dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q 'install ok installed' ||
    fail "the package depends on $d, which this machine does not have: the check below would not be fair (packaging/install-deps.sh)"
done
dpkg --root="$root" --force-not-root --force-depends --log=/dev/null -i "$deb" >"$root.log" 2>&1 ||
  { cat "$root.log" >&2; rm -f "$root.log"; fail "dpkg -i into $root"; }
rm -f "$root.log"
dpkg --root="$root" --force-not-root --verify lamplight || fail "the installed files differ from the package's md5sums"
[[ $(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' lamplight) == "install ok installed" ]] ||
  fail "dpkg does not list lamplight as installed in $root"
say "installed with dpkg into an empty root ($(dpkg-query --admindir="$root/var/lib/dpkg" -L lamplight | wc -l) paths)"

# --- The binaries start --------------------------------------------------------------------------
for b in lamplight lamplight-app; do
  [[ -x "$root/usr/bin/$b" ]] || fail "no /usr/bin/$b in the package"
  if missing=$(ldd "$root/usr/bin/$b" | grep 'not found'); then fail "/usr/bin/$b needs libraries this machine lacks: $missing"; fi
done
if [[ -n "$built_cli" ]]; then
  cmp -s "$built_cli" "$root/usr/bin/lamplight" || fail "the packaged lamplight is not the one just built (stale target/package/lamplight?)"
fi
# No display, no configuration from the environment: what a fresh PC's installer check sees.
clean=(env -u DISPLAY -u WAYLAND_DISPLAY -u LAMPLIGHT_CONFIG -u LAMPLIGHT_VAULT -u LAMPLIGHT_IDENTITY
  -u LAMPLIGHT_LOG_DIR -u LAMPLIGHT_LOG_FILE_LEVEL)
out=$("${clean[@]}" timeout 20 "$root/usr/bin/lamplight" --version) || fail "lamplight --version exited $?"
[[ $out == "lamplight $version" ]] || fail "lamplight --version said '$out', not 'lamplight $version'"
say "/usr/bin/lamplight --version: $out"
out=$("${clean[@]}" timeout 20 "$root/usr/bin/lamplight-app" --version) || fail "lamplight-app --version exited $? (without a display)"
[[ $out == "Lamplight $version" ]] || fail "lamplight-app --version said '$out', not 'Lamplight $version'"
say "/usr/bin/lamplight-app --version (no display): $out"

# --- The example configuration, and no live one ----------------------------------------------------
example="$root/usr/share/doc/lamplight/lamplight.example.toml"
cmp -s "$example" "$repo/packaging/lamplight.example.toml" || fail "the packaged example config is not packaging/lamplight.example.toml"
[[ ! -e "$root/etc/lamplight/lamplight.toml" ]] || fail "the package installs a live /etc/lamplight/lamplight.toml: an upgrade would overwrite a site's own"
if "${clean[@]}" "$root/usr/bin/lamplight" agent --help >/dev/null 2>&1; then
  out=$("${clean[@]}" timeout 60 "$root/usr/bin/lamplight" agent --config "$example" --check 2>&1) ||
    { echo "$out" >&2; fail "lamplight agent --config <installed example> --check exited non-zero (above)"; }
  say "lamplight agent --config <installed example> --check: passed"
  sed 's/^/    /' <<<"$out"
else
  say "NOT CHECKED: lamplight agent --config <installed example> --check: this build's lamplight has no"
  say "  'agent' subcommand yet (it is being written on main; merge main and run this again)"
fi

# --- The systemd unit ----------------------------------------------------------------------------
unit="$root/usr/lib/systemd/system/lamplight-agent.service"
[[ -f "$unit" ]] || fail "no /usr/lib/systemd/system/lamplight-agent.service"
cmp -s "$unit" "$repo/packaging/linux/lamplight-agent.service" || fail "the packaged unit is not packaging/linux/lamplight-agent.service"
grep -qx 'ExecStart=/usr/bin/lamplight agent --config /etc/lamplight/lamplight.toml' "$unit" ||
  fail "the unit does not run /usr/bin/lamplight agent --config /etc/lamplight/lamplight.toml"
for line in DynamicUser=yes ProtectSystem=strict StateDirectory=lamplight NoNewPrivileges=yes PrivateTmp=yes \
  'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' Restart=on-failure KillSignal=SIGTERM; do
  grep -qx "$line" "$unit" || fail "the unit lacks $line"
done
if command -v systemd-analyze >/dev/null; then
  # Verified against this machine's units; only ExecStart is pointed at the installed binary,
  # which verify checks is there and executable.
  check="$root/check" && mkdir -p "$check"
  sed "s#^ExecStart=/usr/bin/#ExecStart=$root/usr/bin/#" "$unit" >"$check/lamplight-agent.service"
  systemd-analyze verify "$check/lamplight-agent.service" || fail "systemd-analyze verify found problems in the unit (above)"
  exposure=$(systemd-analyze security --offline=yes "$check/lamplight-agent.service" 2>/dev/null | grep -o 'exposure level for [^:]*: [0-9.]*' | grep -o '[0-9.]*$')
  systemd-analyze security --offline=yes --threshold=20 "$check/lamplight-agent.service" >/dev/null 2>&1 ||
    fail "systemd-analyze security rates the unit's exposure $exposure, above 2.0: hardening was lost"
  say "unit: systemd-analyze verify clean; exposure $exposure (systemd's scale: 0 safest, 10 unsafe)"
else
  say "unit: installed and hardened as written; NOT verified: no systemd-analyze on this machine"
fi

# --- The docs ------------------------------------------------------------------------------------
for doc in "$repo"/docs/*.md; do
  cmp -s "$doc" "$root/usr/share/doc/lamplight/$(basename "$doc")" ||
    fail "docs/$(basename "$doc") is not in /usr/share/doc/lamplight/: add it to bundle.linux.deb.files and rpm.files in src-tauri/tauri.conf.json"
done
grep -qx 'Exec=lamplight-app' "$root/usr/share/applications/Lamplight.desktop" || fail "the desktop entry does not start lamplight-app"
say "docs: all $(ls "$repo"/docs/*.md | wc -l) of docs/*.md in /usr/share/doc/lamplight/"

# --- The .rpm: the same files ----------------------------------------------------------------------
files_of_deb=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $NF}' | sed 's#^\./#/#; s#^\([^/]\)#/\1#' | sort)
if [[ -z "$rpm" ]]; then
  say "rpm: none given"
elif command -v rpm >/dev/null; then
  files_of_rpm=$(rpm -qlp "$rpm" 2>/dev/null | sort)
  [[ $(rpm -qp --qf '%{NAME} %{VERSION}' "$rpm" 2>/dev/null) == "lamplight $version" ]] || fail "the .rpm is not lamplight $version"
  diff <(echo "$files_of_deb") <(echo "$files_of_rpm") >&2 || fail "the .rpm and the .deb hold different files (< deb, > rpm)"
  say "$(basename "$rpm"): rpm -qlp lists the same $(wc -l <<<"$files_of_rpm") files as the .deb:"
  sed 's/^/    /' <<<"$files_of_rpm"
else
  say "rpm: $(basename "$rpm") built, NOT listed: no rpm on this machine (apt-get install rpm)"
fi
say "passed"
