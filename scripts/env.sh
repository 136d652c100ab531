# Source it (`source scripts/env.sh`) for the commands the README shows:
# `pulumi` (scripts/pulumi-cli.sh: the one on PATH, or one built once into
# .tools/bin) and `maildns` (this checkout's CLI) on PATH, and the local
# stack's backend, passphrase and Pulumi home.
root="${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
_maildns_pulumi_dir="$(bash "$root/scripts/pulumi-cli.sh")" || return 1
mkdir -p "$root/.tools/maildns-bin"
printf '#!/bin/sh\nexec node "%s/dist/cli/index.js" "$@"\n' "$root" > "$root/.tools/maildns-bin/maildns"
chmod +x "$root/.tools/maildns-bin/maildns"
case ":$PATH:" in *":$_maildns_pulumi_dir:"*) ;; *) PATH="$_maildns_pulumi_dir:$PATH" ;; esac
case ":$PATH:" in *":$root/.tools/maildns-bin:"*) ;; *) PATH="$root/.tools/maildns-bin:$PATH" ;; esac
export PATH
unset _maildns_pulumi_dir
source "$root/scripts/pulumi-env.sh"
