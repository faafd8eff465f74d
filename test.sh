#!/usr/bin/env bash
# The test command. Beyond the .NET SDK, the tests need a Chromium (the insights page runs in a real
# browser), Node.js (SQL clients from npm) and python3 (the Spark job's plan): this finds each, or installs
# it the platform's usual way, then runs every test and ends
# with one line, "N passed, N failed, N skipped". Arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

step_start=$SECONDS
step() { printf '\n== %s (%d s so far)\n' "$*" $((SECONDS - step_start)); }
fail() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null || fail "the .NET SDK is missing: install .NET 10 (https://dot.net)."

os_id=""; os_like=""
if [ -r /etc/os-release ]; then
  os_id=$(. /etc/os-release; echo "${ID:-}")
  os_like=$(. /etc/os-release; echo "${ID_LIKE:-}")
fi
is_root() { [ "$(id -u)" -eq 0 ]; }
# Debian and its derivatives but Ubuntu, whose apt chromium is a snap stub.
is_debian() { [ "$os_id" = debian ] || { [ "$os_id" != ubuntu ] && [[ " $os_like " == *" debian "* ]] && [[ " $os_like " != *" ubuntu "* ]]; }; }

# Debian's packages, as root; otherwise the exact command to run, and a failure.
apt_install() {
  if ! is_root; then
    fail "$1 is missing. Install it with: sudo apt-get update && sudo apt-get install -y ${*:2}"
  fi
  echo "Installing $1 with apt-get install ${*:2} (Debian's package)."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${@:2}" >/dev/null
}

# A browser answers --version; Ubuntu's chromium-browser without its snap does not.
works() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }

find_chromium() {
  local candidate
  for candidate in chromium chromium-browser google-chrome google-chrome-stable chrome; do
    candidate=$(command -v "$candidate" 2>/dev/null) || continue
    works "$candidate" && { echo "$candidate"; return; }
  done
  for candidate in \
    "/Applications/Chromium.app/Contents/MacOS/Chromium" \
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
    works "$candidate" && { echo "$candidate"; return; }
  done
  return 1
}

# Playwright's own download, through the driver that the Microsoft.Playwright package ships with the tests.
playwright_install() {
  dotnet build GameAnalytics.Tests --nologo -v quiet >/dev/null || fail "the tests do not build: run dotnet build GameAnalytics.Tests to see why."
  local out=GameAnalytics.Tests/bin/Debug/net10.0/.playwright node
  node=$(ls "$out"/node/*/node 2>/dev/null | head -n 1) || true
  [ -x "$node" ] || fail "Playwright's driver is missing from $out."
  local args=(install chromium)
  # Playwright's --with-deps installs the browser's system libraries, through apt on Ubuntu.
  if is_root && [ "$os_id" = ubuntu ]; then args=(install --with-deps chromium)
  elif [ "$os_id" = ubuntu ]; then echo "Not root: Chromium's system libraries are not installed; if it fails to start, run this script with sudo."; fi
  echo "Installing Chromium with Playwright: playwright ${args[*]}."
  "$node" "$out/package/cli.js" "${args[@]}" ||
    fail "Playwright could not install Chromium. Install Chromium or Chrome, or set CHROMIUM_PATH to one."
}

step "Browser"
if [ -n "${CHROMIUM_PATH:-}" ]; then
  works "$CHROMIUM_PATH" || fail "CHROMIUM_PATH=$CHROMIUM_PATH does not run a browser (it must answer --version)."
elif CHROMIUM_PATH=$(find_chromium); then
  :
elif is_debian; then
  apt_install Chromium chromium
  CHROMIUM_PATH=$(find_chromium) || fail "apt-get installed chromium, but no chromium runs."
else
  playwright_install
  CHROMIUM_PATH=""
fi
if [ -n "$CHROMIUM_PATH" ]; then
  export CHROMIUM_PATH
  echo "Chromium: $CHROMIUM_PATH ($("$CHROMIUM_PATH" --version 2>/dev/null))"
else
  unset CHROMIUM_PATH
  echo "Chromium: Playwright's own"
fi

step "Node.js and the SQL clients from npm"
# The query service is tested with Presto and Trino clients that we did not write, from npm.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if is_debian || [ "$os_id" = ubuntu ]; then
    apt_install "Node.js with npm" nodejs npm
  else
    fail "Node.js 18 or later, with npm, is missing: install it from your platform's packages or nodejs.org."
  fi
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || fail "Node.js $(node --version) is too old: the SQL clients need Node.js 18 or later."
echo "Node.js $(node --version), npm $(npm --version)"
npm ci --prefix GameAnalytics.Tests/Clients --no-audit --no-fund --loglevel=error

step "Python"
# The Spark compaction job's plan (containers/spark/compaction) is Python, tested with python3's unittest.
if ! command -v python3 >/dev/null; then
  if is_debian || [ "$os_id" = ubuntu ]; then
    apt_install Python python3
  else
    fail "python3 is missing: install Python 3.8 or later from your platform's packages or python.org."
  fi
fi
python3 --version

step "Tests"
dotnet --version
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test "$@" 2>&1 | tee "$log" || status=$?

# `dotnet test` prints one summary per test project: add them up.
sum() { sed -nE "s/^(Passed|Failed)!.* $1: *([0-9]+).*/\2/p" "$log" | awk '{ n += $1 } END { print n + 0 }'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
echo
echo "test.sh took $((SECONDS - step_start)) s"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
