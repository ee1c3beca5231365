#!/usr/bin/env bash
# Create .venv (if missing) and install stylesim with the CPU build of torch.
# Users with an NVIDIA GPU: set STYLESIM_TORCH="torch" to take PyPI's default (CUDA) build instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
# torch first and pinned: an unpinned torch pulled in by sentence-transformers is a multi-GB CUDA build.
python -m pip install --quiet "${STYLESIM_TORCH:-torch==2.13.0}"
python -m pip install --quiet -e ".[test]"
