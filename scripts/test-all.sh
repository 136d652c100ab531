#!/usr/bin/env bash
# The full suite, from a fresh clone on Debian: installs what it needs, then
# type-checks, lints, builds and runs every test tier.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

log "system packages (BIND, shellcheck, and Postfix with OpenDKIM, OpenDMARC and policyd-spf for the integration and mail-flow tests)"
need=()
command -v named >/dev/null 2>&1 || need+=(bind9)
command -v named-checkzone >/dev/null 2>&1 || need+=(bind9-utils)
command -v dig >/dev/null 2>&1 || need+=(bind9-dnsutils)
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
# The mail-flow test: real MTAs in network namespaces (root, Linux).
command -v postfix >/dev/null 2>&1 || need+=(postfix)
command -v opendkim >/dev/null 2>&1 || need+=(opendkim)
command -v opendmarc >/dev/null 2>&1 || need+=(opendmarc)
command -v policyd-spf >/dev/null 2>&1 || need+=(postfix-policyd-spf-python)
command -v swaks >/dev/null 2>&1 || need+=(swaks)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing ${need[*]}: install them (as root: apt-get install ${need[*]}), or the tests that need them are skipped"
  fi
fi
echo "named: $(command -v named || echo none)"

root="$(pwd)"
source scripts/setup.sh

log "npm packages"
ensure_node_modules

log "type-check"
npm run --silent typecheck

log "lint"
npm run --silent lint

log "build"
ensure_build

log "Pulumi CLI"
if MAILDNS_PULUMI_BIN="$(bash scripts/pulumi-cli.sh)"; then
  export MAILDNS_PULUMI_BIN
  echo "pulumi $("$MAILDNS_PULUMI_BIN/pulumi" version) in $MAILDNS_PULUMI_BIN"
else
  echo "no Pulumi CLI: the e2e tests are skipped"
fi

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
