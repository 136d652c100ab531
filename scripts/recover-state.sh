#!/usr/bin/env bash
# Repairs a local (file backend) stack whose checkpoint was cut short by a
# killed `pulumi up` ("failed to load checkpoint: EOF" or a JSON error): the
# backend keeps the previous checkpoint beside it as <stack>.json.bak, which
# is put back. Resources created after that checkpoint are then created again
# by the next `pulumi up`; maildns takes over the zone-file records they had
# already written. Usage, in the project folder:
#   bash scripts/recover-state.sh [STACK]      # default: local; then run pulumi up
set -euo pipefail
stack="${1:-local}"
url="${PULUMI_BACKEND_URL:-}"
[ -n "$url" ] || { root="$(cd "$(dirname "$0")/.." && pwd)"; url="file://$root/.pulumi-state"; }
case "$url" in file://*) state="${url#file://}" ;; *) echo "PULUMI_BACKEND_URL is not a file backend ($url): nothing to repair here" >&2; exit 2 ;; esac
shopt -s nullglob globstar
found=0
for f in "$state"/.pulumi/stacks/**/"$stack".json; do
  found=1
  if node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$f" 2>/dev/null; then
    echo "$f is sound; nothing to repair"
    continue
  fi
  if [ -f "$f.bak" ] && node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$f.bak" 2>/dev/null; then
    cp "$f" "$f.damaged"
    cp "$f.bak" "$f"
    [ -f "$f.bak.attrs" ] && cp "$f.bak.attrs" "$f.attrs"
    echo "restored $f from the previous checkpoint ($f.bak); the damaged one is kept as $f.damaged"
  else
    echo "$f is damaged and there is no sound $f.bak: import a checkpoint from $state/.pulumi/history/ with pulumi stack import" >&2
    exit 1
  fi
done
[ "$found" = 1 ] || { echo "no checkpoint of stack $stack under $state/.pulumi/stacks" >&2; exit 1; }
