#!/usr/bin/env bash
# Set up, then compare the embedded demo samples: lyra and its student, against a panel of six
# unrelated voices. Writes demo-out/report.html and demo-out/result.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
mkdir -p demo-out
stylesim compare samples/lyra.jsonl samples/lyra-distill.jsonl \
  --panel samples/atlas.jsonl --panel samples/brook.jsonl --panel samples/sage.jsonl \
  --panel samples/sunny.jsonl --panel samples/quill.jsonl --panel samples/pixel.jsonl \
  --out demo-out/report.html --json demo-out/result.json
echo "Report: demo-out/report.html  JSON: demo-out/result.json"
