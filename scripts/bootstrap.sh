# Sourced by the other scripts: make sure uv is there and the locked environment is installed.
set -euo pipefail
UV_VERSION="0.13.9"
# uv lives in a virtual environment of its own (`.tools/uv`), never in the system's Python:
# Debian's Python refuses `pip install` outside one (PEP 668), and often has no pip at all.
UV_HOME="$PWD/.tools/uv"
if ! "$UV_HOME/bin/uv" --version 2>/dev/null | grep -q " ${UV_VERSION}"; then
  echo "installing uv ${UV_VERSION} into .tools/uv" >&2
  if ! python3 -m venv --clear "$UV_HOME" >/dev/null 2>&1; then
    source scripts/debian.sh
    need_debian python3-venv "a private environment for uv"
    python3 -m venv --clear "$UV_HOME"
  fi
  "$UV_HOME/bin/python" -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
fi
uv() { "$UV_HOME/bin/uv" "$@"; }
uv sync --frozen --quiet
source scripts/assets.sh
