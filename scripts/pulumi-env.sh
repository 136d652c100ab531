# Sourced by the scripts: a local file backend inside the project, a
# passphrase secrets provider, no update checks. Override any of them.
root="${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
mkdir -p "$root/.pulumi-state"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$root/.pulumi-state}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-maildns-local}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_HOME="${PULUMI_HOME:-$root/.tools/pulumi-home}"
