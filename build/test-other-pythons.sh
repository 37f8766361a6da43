#!/usr/bin/env bash
# Run the unit and integration tests on every other supported Python found (pyenv's 3.12 and 3.13), each in
# its own virtual environment (.venv-3.12, .venv-3.13). The full suite, GUI and lab included, runs on the
# main .venv (3.11); these catch what a newer interpreter changes (3.13 verifies certificates strictly).
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
for version in 3.12 3.13; do
  python="$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$python" ] && command -v "python$version" >/dev/null 2>&1; then
    python="$(command -v "python$version")"
  fi
  if [ -z "$python" ]; then
    echo "other pythons: Python $version not found: its tests are skipped (install it with pyenv)"
    continue
  fi
  venv=".venv-$version"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -e '.[test]'
  echo "other pythons: $("$venv/bin/python" --version): unit and integration tests (not the long_traffic ones)"
  "$venv/bin/python" -m pytest -q -p no:cacheprovider -m "not long_traffic" tests/unit tests/integration || status=1
done
exit "$status"
