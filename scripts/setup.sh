#!/usr/bin/env bash
# Create .venv (if missing) and install stylesim with the CPU build of torch.
# Users with an NVIDIA GPU: set STYLESIM_TORCH="torch==2.13.0" (or "torch") to take PyPI's default (CUDA) build instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
# torch first and pinned: an unpinned torch pulled in by sentence-transformers is a multi-GB CUDA build.
# PyPI's Linux torch is that CUDA build too; the CPU build (2.13.0+cpu) comes from a local wheel
# folder where pip is configured with one (find-links, as on our CI machines), else from PyTorch's
# CPU index (STYLESIM_TORCH_INDEX names another). The local folder is probed first, without any
# index, so that a machine that has the wheel never waits on PyTorch's index where it cannot be
# reached (torch's dependencies still come from the usual package index).
if [ -n "${STYLESIM_TORCH:-}" ]; then
  python -m pip install --quiet "$STYLESIM_TORCH"
elif python -c 'import importlib.metadata as m, sys; sys.exit(m.version("torch").split("+")[0] != "2.13.0")' 2>/dev/null; then
  :  # already installed (a second run of this script)
else
  wheels="$(mktemp -d)"
  trap 'rm -rf "$wheels"' EXIT  # the probe copies the wheel here; gone even if an install fails
  if python -m pip download --quiet --no-deps --no-index --dest "$wheels" "torch==2.13.0" >/dev/null 2>&1 \
      && compgen -G "$wheels/torch-2.13.0+cpu*" >/dev/null; then
    python -m pip install --quiet "torch==2.13.0"
  else
    python -m pip install --quiet "torch==2.13.0" \
      --extra-index-url "${STYLESIM_TORCH_INDEX:-https://download.pytorch.org/whl/cpu}"
  fi
fi
python -m pip install --quiet -e ".[test]"
