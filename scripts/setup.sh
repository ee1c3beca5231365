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
# PyPI's Linux torch is that CUDA build too; the CPU build (2.13.0+cpu) comes from PyTorch's CPU
# index, or from a local wheel folder where pip is configured with one (find-links). Where that index
# cannot be reached, pip says so, retries briefly, and takes what the other sources offer.
if [ -n "${STYLESIM_TORCH:-}" ]; then
  python -m pip install --quiet "$STYLESIM_TORCH"
else
  python -m pip install --quiet "torch==2.13.0" \
    --extra-index-url "${STYLESIM_TORCH_INDEX:-https://download.pytorch.org/whl/cpu}"
fi
python -m pip install --quiet -e ".[test]"
