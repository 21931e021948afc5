#!/usr/bin/env bash
# Prints the path of a Python 3.12 or newer, which pyodide-build and pyodide-lock need (the site's
# own .venv may be older). Looks at python3.13, python3.12 and python3 on PATH, then the versions
# pyenv has installed, then the ones uv has. Otherwise says in one line what to install, and fails.
set -u
candidates=()
for name in python3.13 python3.12 python3; do
  path=$(command -v "$name" 2>/dev/null) && candidates+=("$path")
done
for dir in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
  candidates+=("$dir/bin/python3")
done
if command -v uv >/dev/null 2>&1; then
  path=$(uv python find '>=3.12' 2>/dev/null) && candidates+=("$path")
fi
for python in "${candidates[@]}"; do
  if "$python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
    echo "$python"
    exit 0
  fi
done
echo "The Pyodide lockfile step needs Python 3.12 or newer: install one (apt-get install python3.13, pyenv install 3.13 or uv python install 3.13), then run make setup again." >&2
exit 1
