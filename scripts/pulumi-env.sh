# Sourced by the scripts: a local file backend inside the project, a
# passphrase secrets provider, no update checks. Override any of them.
root="${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
mkdir -p "$root/.pulumi-state"
# metadata=skip (an option of the file backend's storage library): no
# <file>.attrs beside each state file. Pulumi reads nothing from them; without
# them a checkpoint writes two files instead of four (the state and its
# backup, each with its .attrs and the MD5 of the whole state in it), and there
# is no .attrs for a kill to cut short.
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$root/.pulumi-state?metadata=skip}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-maildns-local}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_HOME="${PULUMI_HOME:-$root/.tools/pulumi-home}"
