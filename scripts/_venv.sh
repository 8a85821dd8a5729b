# Sourced by scripts/demo and scripts/test: find Python 3.11+, create .venv if missing,
# and install the project into it (with the extras named in $MSAUDIO_EXTRAS).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [[ -n "$candidate" ]] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "msaudio needs Python 3.11 or newer; none was found (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

if [[ ! -x "$VENV/bin/python" ]]; then
  PY="$(find_python)"
  echo "creating $VENV with $("$PY" --version)"
  "$PY" -m venv "$VENV"
fi

spec="."
[[ -n "${MSAUDIO_EXTRAS:-}" ]] && spec=".[${MSAUDIO_EXTRAS}]"
stamp="$VENV/.msaudio-installed-$(echo "$spec" | tr -c 'a-z' '_')"
if [[ ! -f "$stamp" || "$ROOT/pyproject.toml" -nt "$stamp" ]]; then
  echo "installing msaudio$([[ $spec != . ]] && echo " with ${MSAUDIO_EXTRAS}") into .venv"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT$([[ $spec != . ]] && echo "[${MSAUDIO_EXTRAS}]")"
  touch "$stamp"
fi
