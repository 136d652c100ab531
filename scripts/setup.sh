# Sourced by the scripts: install npm packages and build only when needed, so
# a second run takes seconds. Expects $root (the checkout).

# npm ci when package-lock.json changed since the last install (or there is none).
ensure_node_modules() {
  local want have
  want="$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)"
  have="$(cat "$root/node_modules/.maildns-lock-sha256" 2>/dev/null || true)"
  if [ "$want" = "$have" ] && [ -d "$root/node_modules" ]; then
    echo "node_modules is up to date"
  else
    (cd "$root" && npm ci --no-audit --no-fund)
    echo "$want" > "$root/node_modules/.maildns-lock-sha256"
  fi
}

# npm run build when a source file, tsconfig or package.json is newer than the last build.
ensure_build() {
  local stamp="$root/dist/.build-stamp"
  if [ -f "$stamp" ] && [ -z "$(cd "$root" && find index.ts package.json tsconfig.json tsconfig.build.json lib components zones stack policies cli bench \
      -newer "$stamp" \( -name '*.ts' -o -name '*.json' \) -print -quit 2>/dev/null)" ]; then
    echo "dist is up to date"
  else
    (cd "$root" && npm run --silent build)
    touch "$stamp"
  fi
}
