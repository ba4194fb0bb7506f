#!/usr/bin/env bash
# Installs the npm packages a make target uses into a folder of the kit's own, where it can.
#
#   scripts/node-packages.sh PREFIX PACKAGE:COMMAND...   e.g. .venv/node configurable-http-proxy@5:configurable-http-proxy
#
# A package counts as present when its command is on PATH or in PREFIX/node_modules/.bin. Silent
# when every package is present. Never fails the target: a package it cannot install (no npm,
# offline) is named in one line, and the tests that need it are skipped with that name.
set -u

prefix="$1"; shift
missing=()
for pair in "$@"; do
  command="${pair#*:}"
  command -v "$command" >/dev/null 2>&1 || [ -x "$prefix/node_modules/.bin/$command" ] || missing+=("${pair%%:*}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

what="${missing[*]}"
goes_on="what does not need it still runs; the tests that do are skipped and name it"
if ! command -v npm >/dev/null 2>&1; then
  echo "note: $what not installed (npm is not on PATH): $goes_on. To install: npm install --prefix $prefix $what" >&2
  exit 0
fi
echo "Installing $what from npm into $prefix (once)..." >&2
if npm install --prefix "$prefix" --no-audit --no-fund --silent "${missing[@]}" >/dev/null 2>&1; then
  exit 0
fi
echo "warning: npm could not install $what (offline?): $goes_on." >&2
exit 0
