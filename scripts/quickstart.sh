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
passphrase_hint() {
  # Pulumi.local.yaml's encryptionsalt, as shipped, was made with the passphrase maildns-local;
  # after other failures the hint does not apply, so it says which error it is for.
  if [ "$PULUMI_CONFIG_PASSPHRASE" != "maildns-local" ]; then
    echo "quickstart: if the error above is \"incorrect passphrase\": the local stack's secrets use the passphrase maildns-local (the encryptionsalt of Pulumi.local.yaml as shipped), and PULUMI_CONFIG_PASSPHRASE in your environment is another one: unset it for the quick start, or delete the encryptionsalt line of Pulumi.local.yaml (and .pulumi-state/) to start the local stack with your own" >&2
  fi
}
if ! pulumi stack select local >/dev/null 2>&1; then
  pulumi stack init local --secrets-provider passphrase >/dev/null || { passphrase_hint; exit 1; }
fi
pulumi up --yes --stack local --skip-preview "$@" || { status=$?; passphrase_hint; exit "$status"; }
echo
echo "== zone files written to $root/zonefiles"
for f in zonefiles/*.zone; do echo "--- $f"; cat "$f"; done
