# Sourced by the other scripts: make sure uv is there and the locked environment is installed.
set -euo pipefail
UV_VERSION="0.13.9"
if ! python3 -m uv --version >/dev/null 2>&1; then
  echo "installing uv ${UV_VERSION}" >&2
  python3 -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
fi
uv() { python3 -m uv "$@"; }
uv sync --frozen --quiet
source scripts/assets.sh
