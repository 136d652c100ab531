#!/usr/bin/env bash
# Provides actionlint, the GitHub Actions workflow linter. An `actionlint`
# already on PATH wins. Otherwise it is built from the Go module proxy into
# .tools/bin (ignored by git, cached: a second run takes no time). Prints the
# path of the binary.
# actionlint checks the `run:` scripts with shellcheck when shellcheck is on
# PATH (Debian package `shellcheck`, which scripts/test-all.sh installs);
# without it those checks are silently left out.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/bin"
VERSION=v1.7.12

if command -v actionlint >/dev/null 2>&1 && [ "$(command -v actionlint)" != "$bin/actionlint" ]; then
  command -v actionlint
  exit 0
fi

have="$("$bin/actionlint" -version 2>/dev/null || true)"
if [ "${have%%$'\n'*}" != "$VERSION" ]; then
  command -v go >/dev/null || { echo "actionlint is not on PATH and Go is not installed to build it" >&2; exit 1; }
  echo "building actionlint $VERSION from the Go module proxy (once)..." >&2
  mkdir -p "$bin"
  (cd "$root" && GOFLAGS='' GOBIN="$bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION") >&2
fi
echo "$bin/actionlint"
