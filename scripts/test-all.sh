#!/usr/bin/env bash
# The full suite, from a fresh clone on Debian: installs what it needs, then
# type-checks, lints, builds and runs every test tier.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

log "npm packages"
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then
  echo "node_modules is up to date"
else
  npm ci --no-audit --no-fund
fi

log "type-check"
npm run --silent typecheck

log "lint"
npm run --silent lint

log "build"
npm run --silent build

log "tests (all tiers)"
results=$(mktemp --suffix=.json)
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`\nsuites: ${r.numPassedTestSuites} passed, ${r.numFailedTestSuites} failed`);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$results"
rm -f "$results"
exit "$status"
