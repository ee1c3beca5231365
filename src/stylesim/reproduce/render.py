"""Render a reproduce-eqbench result as one self-contained HTML page (no scripts, no fetches)."""

from __future__ import annotations

from typing import Any

from ..result import Result


def _num(value: Any, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:.{digits}f}"
    return str(value)


def _pvalue(value: Any) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3g}" if value >= 0.001 else f"{value:.1e}"


def render_reproduce_html(result: Result | dict[str, Any]) -> str:
    """The page for a ``reproduce-eqbench`` result. Every model text is autoescaped."""
    from jinja2 import Environment, PackageLoader

    data = result.to_dict() if isinstance(result, Result) else result
    env = Environment(
        loader=PackageLoader("stylesim", "reproduce/templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["pvalue"] = _pvalue
    template = env.get_template(f"{data['kind']}.html")
    rep = data["reproduced"]
    a, b = rep["pair"]
    features = data["features"]
    shared = {kind: set(terms) for kind, terms in rep["shared"].items()}
    side_by_side = {
        kind: {
            "a": [(t, t in shared[kind]) for t in features[a][kind]],
            "b": [(t, t in shared[kind]) for t in features[b][kind]],
        }
        for kind in ("words", "bigrams", "trigrams")
    }
    return template.render(data=data, rep=rep, a=a, b=b, side=side_by_side)
