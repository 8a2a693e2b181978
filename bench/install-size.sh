#!/usr/bin/env bash
# Size of the production install (npm ci --omit=dev) of the current package-lock.json, in a
# scratch folder, and the largest top-level packages in it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cp "$root/package.json" "$root/package-lock.json" "$dir/"
(cd "$dir" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
count=$(find "$dir/node_modules" -name package.json -path '*/node_modules/*/package.json' -not -path '*/node_modules/*/node_modules/*/*/package.json' | xargs grep -l '"version"' | wc -l)
echo "production install: $(du -sm "$dir/node_modules" | cut -f1) MB, $(ls "$dir/node_modules/.package-lock.json" >/dev/null && node -e "const l=require('$dir/node_modules/.package-lock.json');console.log(Object.keys(l.packages).filter(k=>k).length)") packages"
echo "largest:"
(cd "$dir/node_modules" && du -sm -- * .[!.]* 2>/dev/null | sort -rn | head -8)
