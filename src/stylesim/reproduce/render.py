"""Render a reproduce-eqbench result as one self-contained HTML page.

The page is the shared HTML report (:mod:`stylesim.report`, kind ``reproduce-eqbench``): the same
look, Content-Security-Policy and escaping as the compare, attribute and matrix reports.
"""

from __future__ import annotations

from typing import Any

from ..result import Result


def render_reproduce_html(result: Result | dict[str, Any]) -> str:
    """The page for a ``reproduce-eqbench`` result. Every model text is autoescaped."""
    from ..report import render_html

    return render_html(result)
