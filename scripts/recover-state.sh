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
case "$url" in file://*) state="${url#file://}"; state="${state%%\?*}" ;; *) echo "PULUMI_BACKEND_URL is not a file backend ($url): nothing to repair here" >&2; exit 2 ;; esac
shopt -s nullglob globstar
found=0
sound() { node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$1" 2>/dev/null; }
# The backend keeps each file's attributes beside it (<file>.attrs, JSON); one cut short reads as "EOF".
# Without it the backend uses defaults, so a damaged one is moved aside.
fix_attrs() {
  if [ -f "$1.attrs" ] && ! sound "$1.attrs"; then
    mv "$1.attrs" "$1.attrs.damaged"
    echo "moved the damaged $1.attrs aside (as $1.attrs.damaged)"
  fi
}
for f in "$state"/.pulumi/stacks/**/"$stack".json; do
  found=1
  if sound "$f"; then
    if [ -f "$f.attrs" ] && ! sound "$f.attrs"; then fix_attrs "$f"; else echo "$f is sound; nothing to repair"; fi
    continue
  fi
  if [ -f "$f.bak" ] && sound "$f.bak"; then
    cp "$f" "$f.damaged"
    cp "$f.bak" "$f"
    if [ -f "$f.bak.attrs" ]; then cp "$f.bak.attrs" "$f.attrs"; else rm -f "$f.attrs"; fi
    fix_attrs "$f"
    echo "restored $f from the previous checkpoint ($f.bak); the damaged one is kept as $f.damaged"
  else
    echo "$f is damaged and there is no sound $f.bak: import a checkpoint from $state/.pulumi/history/ with pulumi stack import" >&2
    exit 1
  fi
done
[ "$found" = 1 ] || { echo "no checkpoint of stack $stack under $state/.pulumi/stacks" >&2; exit 1; }
