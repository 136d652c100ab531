#!/usr/bin/env bash
# Provides the Pulumi CLI. A `pulumi` already on PATH wins (installed the
# normal way, it brings its language hosts). Otherwise the CLI is built from
# the Go module proxy into .tools/bin (ignored by git, cached: a second run
# takes seconds), with the Node.js language host and the dynamic-provider shim
# beside it. Prints the directory to put on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/bin"
CLI_VERSION=v3.274.1
# The Node.js language host's own module is not on the Go module proxy; the
# sdk/v3 module of this release still carries it as a package.
LANGHOST_SDK_VERSION=v3.50.0

if [ -z "${MAILDNS_BUILD_PULUMI:-}" ] && command -v pulumi >/dev/null 2>&1 && [ "$(command -v pulumi)" != "$bin/pulumi" ]; then
  dirname "$(command -v pulumi)"
  exit 0
fi

mkdir -p "$bin"
if [ ! -x "$bin/pulumi" ] || [ "$("$bin/pulumi" version 2>/dev/null)" != "$CLI_VERSION" ]; then
  command -v go >/dev/null || { echo "pulumi is not on PATH and Go is not installed to build it" >&2; exit 1; }
  echo "building the Pulumi CLI $CLI_VERSION from the Go module proxy (once)..." >&2
  (cd "$root/scripts/pulumi-cli" && GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$CLI_VERSION" \
    -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) >&2
fi
# The current Node.js language host (it starts policy packs from their folder,
# as a normal install does). Its module is not on the Go module proxy; its
# source comes with the workplace tools beside the checkout. Without them, the
# host carried by the sdk/v3 module of an older release is built instead.
langhost_src="$root/../shared/tools/pulumi-language-nodejs/build.sh"
if [ -f "$langhost_src" ]; then want_langhost=current; else want_langhost="sdk-$LANGHOST_SDK_VERSION"; fi
if [ ! -x "$bin/pulumi-language-nodejs" ] || [ "$(cat "$bin/.langhost" 2>/dev/null)" != "$want_langhost" ]; then
  if [ "$want_langhost" = current ]; then
    echo "building the current Node.js language host (once)..." >&2
    bash "$langhost_src" "$bin" >&2
  else
    echo "building the Node.js language host (sdk $LANGHOST_SDK_VERSION) (once)..." >&2
    (cd "$root/scripts/pulumi-langhost" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" \
      -o "$bin/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs) >&2
  fi
  echo "$want_langhost" > "$bin/.langhost"
fi
# Dynamic providers run through this shim, as in a normal Pulumi install.
cat > "$bin/pulumi-resource-pulumi-nodejs" <<'SHIM'
#!/bin/sh
exec node "$(node -p "require.resolve('@pulumi/pulumi/cmd/dynamic-provider')")" "$@"
SHIM
chmod +x "$bin/pulumi-resource-pulumi-nodejs"
echo "$bin"
