#!/usr/bin/env bash
# Materialises the files listed in tests/realworld/manifest.txt from the fetched git mirrors
# (/work/.mirror/OWNER+NAME/repo, made by the session's `fetch github:OWNER/NAME`) into DIR/OWNER+NAME/PATH.
# The files are never committed: only the manifest is.   usage: realworld-restore.sh [DIR] (default /tmp/stacklint-realworld-manifest)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/stacklint-realworld-manifest}
mirrors=${MIRRORS:-/work/.mirror}
missing=0
while read -r head paths; do
  case "$head" in ''|'#'*) continue ;; esac
  repo=${head%@*}; commit=${head#*@}
  git_dir="$mirrors/${repo/\//+}/repo"
  [ -d "$git_dir/.git" ] && git_dir="$git_dir/.git"
  if ! git -C "$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "missing mirror or commit: $repo@$commit (fetch github:$repo)" >&2; missing=$((missing+1)); continue
  fi
  for path in $paths; do
    target="$out/${repo/\//+}/$path"
    mkdir -p "$(dirname "$target")"
    git -C "$git_dir" show "$commit:$path" > "$target"
  done
done < "$here/tests/realworld/manifest.txt"
echo "restored into $out ($missing repositories missing)"
