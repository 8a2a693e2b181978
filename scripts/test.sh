#!/usr/bin/env bash
# The whole test suite: system packages, npm dependencies, typecheck, lint, build, vitest.
# Works on a fresh Debian 12 with only node/npm; safe to run repeatedly.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$(date +%s)

log() { printf '\n== %s\n' "$*"; }

# ---- 1. Debian packages (only the missing ones) -------------------------------
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then missing+=(postgresql); fi
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
pkg_installed fonts-wqy-microhei || missing+=(fonts-wqy-microhei)

if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
  # Keep the packages' own services from starting: the tests start throwaway servers.
  policy_created=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod +x /usr/sbin/policy-rc.d
    policy_created=1
  fi
  cleanup_policy() { if [ "$policy_created" = 1 ]; then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup_policy EXIT
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  cleanup_policy
  policy_created=0
fi

# ---- 2. npm dependencies --------------------------------------------------------
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
fi

# ---- 3. typecheck, lint and build -----------------------------------------------
log "typecheck"
npx tsc -p tsconfig.json --noEmit
# The .vue files of the console and the H5 (their own tsconfigs: DOM, bundler resolution).
npm run --silent typecheck:vue

log "lint"
npm run --silent lint

log "build"
node scripts/build-if-stale.mjs

# ---- 4. vitest ------------------------------------------------------------------
log "vitest"
mkdir -p test-results
report=test-results/vitest.json
rm -f "$report"
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
vitest_rc=$?
set -e

summary=$(node -e '
  const fs = require("node:fs");
  let r;
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); }
  catch { console.log("0 passed, 0 failed"); process.exit(0); }
  // A file that fails to load has no failed test but a failed suite: count it.
  const brokenFiles = (r.testResults || []).filter(
    (f) => f.status === "failed" && !(f.assertionResults || []).some((a) => a.status === "failed")).length;
  const failed = (r.numFailedTests || 0) + brokenFiles;
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  let line = `${r.numPassedTests || 0} passed, ${failed} failed`;
  if (skipped) line += `, ${skipped} skipped`;
  console.log(line);
' "$report")

echo
echo "($(( $(date +%s) - started )) s)"
echo "$summary"

passed=${summary%% passed*}
failed=${summary#*passed, }; failed=${failed%% failed*}
if [ "$vitest_rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
