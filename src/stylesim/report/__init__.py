"""Result -> one self-contained HTML page (Jinja templates with autoescape, inline CSS/JS/SVG)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..result import Result


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("stylesim", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v, d=2: "n/a" if v is None else f"{v:.{d}f}"
    return env


def render_html(result: Result | dict[str, Any]) -> str:
    """The HTML report for a compare / attribute / matrix result (or its JSON mapping)."""
    data = result.to_dict() if isinstance(result, Result) else result
    template = _environment().get_template(f"{data['kind']}.html")
    return template.render(r=data)
