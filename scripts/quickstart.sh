#!/usr/bin/env bash
# Provisions the example domains with a real `pulumi up` on the `local` stack:
# zone files in zonefiles/, state in .pulumi-state/, no credentials. Safe to re-run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if ! cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then npm ci --no-audit --no-fund; fi
npm run --silent build
PATH="$(bash scripts/pulumi-cli.sh):$PATH"
export PATH
source scripts/pulumi-env.sh
pulumi stack select local >/dev/null 2>&1 || pulumi stack init local --secrets-provider passphrase >/dev/null
pulumi up --yes --stack local --skip-preview "$@"
echo
echo "== zone files written to $root/zonefiles"
for f in zonefiles/*.zone; do echo "--- $f"; cat "$f"; done
