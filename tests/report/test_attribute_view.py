"""The attribute report says what it ranks by, and where base models are."""

from __future__ import annotations

from pathlib import Path

from conftest import voice_rows, write_jsonl

import stylesim
from stylesim.report import render_html
from stylesim.report.viewmodel import build_view

FAST = {"embeddings": False, "n_resamples": 30, "n_permutations": 30, "min_prompts": 5}


def test_ranked_by_agreement_with_a_base_the_page_says_so_and_the_base_has_no_row(tmp_path: Path) -> None:
    def model(name: str, voice: str, seed: int) -> Path:
        return write_jsonl(tmp_path / f"{name}.jsonl", voice_rows(name, voice, seed=seed))

    data = stylesim.attribute(model("student", "plain", 1), [model("cand-a", "plain", 2), model("cand-b", "fancy", 3)],
                              panel=[model(f"panel-{i}", v, 10 + i) for i, v in enumerate(("fancy", "plain", "fancy"))],
                              base=[model("the-base", "plain", 4)], **FAST).to_dict()
    view = build_view(data)
    assert view.by_agreement
    headings = [c.label for c in view.candidates.columns]
    assert "t" in headings and headings.index("t") == headings.index("Agreement") + 2
    t_cells = [row[headings.index("t")].text for row in view.candidates.rows]
    assert t_cells == [f"{c['t']:.2f}".replace("-", "\u2212") for c in data["candidates"]]
    family_rows = [row[0].text for row in view.families.rows]
    assert "the-base" not in family_rows and {"cand-a", "cand-b"} <= set(family_rows)
    page = render_html(data)
    assert "one model&#39;s same-prompt agreement with" in page and "the right-hand line the ceiling" not in page
    assert "never partialled for --base" in page
