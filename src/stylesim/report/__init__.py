"""Result -> one self-contained HTML page (Jinja templates with autoescape, inline CSS/JS/SVG).

The page makes no network request: the stylesheet and script are our own files, inlined, and the
Content-Security-Policy allows exactly those two (by hash) and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..result import Result
from .viewmodel import build_view

__all__ = ["render_html", "content_security_policy"]


@dataclass(frozen=True)
class Assets:
    css: str
    js: str
    csp: str


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(css: str, js: str) -> str:
    """Nothing may load; only our inline stylesheet and script (by hash) may apply and run."""
    return (
        f"default-src 'none'; script-src {_sha256(js)}; style-src {_sha256(css)}; "
        "base-uri 'none'; form-action 'none'"
    )


def _assets() -> Assets:
    static = files("stylesim.report").joinpath("static")
    css = static.joinpath("report.css").read_text(encoding="utf-8")
    js = static.joinpath("report.js").read_text(encoding="utf-8")
    return Assets(css=css, js=js, csp=content_security_policy(css, js))


# Directional controls: embeddings and overrides (closed by PDF, U+202C) and isolates (closed by
# PDI, U+2069). Model outputs, prompt ids and prompts are untrusted: an unclosed U+202E in a prompt
# id would reverse the numbers printed after it on the same line ("Trojan Source", CVE-2021-42574).
_DIRECTIONAL = re.compile("[\u0000\u202a-\u202e\u2066-\u2069]")
_OPENS_EMBEDDING = "\u202a\u202b\u202d\u202e"
_OPENS_ISOLATE = "\u2066\u2067\u2068"


def contain_text(value: Any) -> Any:
    """Every value a template prints, made safe to place beside other text: directional controls
    it leaves open are closed at its end, and NUL becomes U+FFFD. Other values pass unchanged.

    The open controls are tracked as the bidi algorithm does (UAX #9, X1-X8): a PDF closes the
    innermost embedding or override only if no isolate was opened after it, a PDI closes the
    innermost isolate and everything opened inside it, and unmatched closers are ignored.
    """
    if not isinstance(value, str) or not _DIRECTIONAL.search(value):
        return value
    text = str(value).replace("\u0000", "\ufffd")
    stack: list[str] = []  # "E" an embedding or override, "I" an isolate, innermost last
    for char in text:
        if char in _OPENS_EMBEDDING:
            stack.append("E")
        elif char == "\u202c":
            if stack and stack[-1] == "E":
                stack.pop()
        elif char in _OPENS_ISOLATE:
            stack.append("I")
        elif char == "\u2069" and "I" in stack:
            while stack.pop() != "I":
                pass
    text += "".join("\u202c" if kind == "E" else "\u2069" for kind in reversed(stack))
    return type(value)(text) if isinstance(value, Markup) else text


def without_directional_controls(value: Any) -> Any:
    """``value`` (a result mapping) with every string in it made self-contained: embeddings and
    overrides (U+202A-U+202E) removed, isolates balanced (a PDI without its opener dropped, an
    opener without its PDI closed at the string's end), NUL replaced.

    The views build sentences and hover texts out of model names, prompt ids and excerpts, and a
    result JSON given to ``stylesim report`` may have been edited by anyone: an unclosed U+202E
    inside such a sentence would reverse the numbers after it, where :func:`contain_text` (which
    closes what a printed value leaves open at its end) comes too late. Balanced isolates stay:
    the verdicts put every model name in one, so that a right-to-left name cannot move the numbers
    around it."""
    if isinstance(value, str):
        if not _DIRECTIONAL.search(value):
            return value
        out, open_isolates = [], 0
        for char in value.replace("\u0000", "\ufffd"):
            if "\u202a" <= char <= "\u202e":
                continue
            if char == "\u2069":
                if not open_isolates:
                    continue
                open_isolates -= 1
            elif char in _OPENS_ISOLATE:
                open_isolates += 1
            out.append(char)
        return "".join(out) + "\u2069" * open_isolates
    if isinstance(value, dict):
        # Keys too: some blocks are keyed by model name, and the names they are looked up by are cleaned.
        return {without_directional_controls(key): without_directional_controls(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_directional_controls(item) for item in value]
    return value


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("stylesim", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=contain_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(result: Result | dict[str, Any]) -> str:
    """The HTML report for a compare, attribute, matrix or reproduce-eqbench result (or its JSON mapping).

    The same mapping always gives byte-identical HTML.
    """
    data = result.to_dict() if isinstance(result, Result) else result
    view = build_view(without_directional_controls(data))
    template = _environment().get_template(f"{view.kind}.html")
    return template.render(v=view, assets=_assets())
