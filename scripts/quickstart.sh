#!/usr/bin/env bash
# Provisions the example domains with a real `pulumi up` on the `local` stack:
# zone files in zonefiles/, state in .pulumi-state/, no credentials. Safe to re-run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source scripts/setup.sh
ensure_node_modules
ensure_build
source scripts/env.sh
pulumi stack select local >/dev/null 2>&1 || pulumi stack init local --secrets-provider passphrase >/dev/null
pulumi up --yes --stack local --skip-preview "$@"
echo
echo "== zone files written to $root/zonefiles"
for f in zonefiles/*.zone; do echo "--- $f"; cat "$f"; done
