#!/usr/bin/env bash
# Set up, then run the whole test suite. Browser tests need Debian's chromium
# (apt-get install chromium) and skip without it; corpus tests need ../shared/corpora and skip without it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
python -m pytest -q "$@"
