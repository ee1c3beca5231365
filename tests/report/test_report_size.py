"""The page stays under 5 MB for two inputs of ~1000 long responses, and says what it shortened."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from report_support import result_of

from stylesim.report import render_html
from stylesim.report.prompts_view import fitting_cap

LIMIT = 5_000_000
CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
ALPACA = CORPORA / "alpaca_eval" / "results"


def _long_text(seed: int, chars: int, markup: bool) -> str:
    unit = "<b>&amp;</b> \"quoted\" " if markup else "Ceci est une réponse — longue, très longue. "
    text = f"[{seed}] " + unit * (chars // len(unit) + 1)
    return text[:chars]


def _inflate(data: dict, n: int, markup: bool) -> dict:
    big = copy.deepcopy(data)
    rows = []
    for i in range(n):
        row = dict(data["per_prompt"][i % len(data["per_prompt"])])
        row.update(prompt_id=f"p-{i:04d}", prompt=_long_text(i, 2500, markup), similarity=(i % 97) / 97,
                   a=_long_text(i, 2500, markup), b=_long_text(i + 1, 2500, markup),
                   a_truncated_for_report=True, b_truncated_for_report=True)
        rows.append(row)
    big["per_prompt"] = rows
    return big


@pytest.mark.parametrize("markup", [False, True], ids=["prose", "markup-heavy"])
def test_thousand_long_responses_stay_under_five_megabytes(markup):
    data = _inflate(result_of("compare-panel"), 1000, markup)
    html = render_html(data)
    size = len(html.encode("utf-8"))
    assert size < LIMIT, f"{size / 1e6:.2f} MB"
    assert "To keep this page small" in html and "the full text is in the input file" in html
    # Every prompt is still listed and plotted.
    assert html.count("<details id=\"p-") == 1000
    assert html.count('class="dot ') == 1000


def test_fitting_cap_uses_the_budget():
    texts = ["x" * 3000] * 10 + ["short"] * 10
    assert fitting_cap(texts, 10**9) == 2500
    cap = fitting_cap(texts, 10_000)
    assert 900 <= cap <= 1000
    assert fitting_cap(texts, 10) == 200  # never below the floor


@pytest.mark.corpora
def test_alpaca_eval_report_stays_under_five_megabytes(tmp_path):
    a, b = ALPACA / "gpt4_1106_preview" / "model_outputs.json", ALPACA / "claude-2" / "model_outputs.json"
    if not (a.is_file() and b.is_file()):
        pytest.skip(f"published corpora not found under {CORPORA}")
    import stylesim

    result = stylesim.compare(str(a), str(b), n_resamples=100, n_permutations=100, embeddings=False)
    html = render_html(result)
    size = len(html.encode("utf-8"))
    (tmp_path / "alpaca.html").write_text(html, encoding="utf-8")
    assert len(result.data["per_prompt"]) > 700
    assert size < LIMIT, f"{size / 1e6:.2f} MB"
