"""EQ-Bench Creative Writing v3 result pages (HTML): one page per model, 32 prompts x 3 iterations.

The page is a report: an "Iteration N" header per iteration, then per prompt a header (title and
judge score, with an element id ``prompt-K-P`` whose last number ``P`` is the prompt number), the
prompt under ``<strong>Prompt:</strong><br>`` in ``<div class="prompt-text-display">``, the model's
text under ``<strong>Model Output:</strong><br>`` in ``<div class="response-content">``, and the
judge's analysis in ``<div class="judge-content">``, which is never part of the output.

``prompt_id`` is ``f"{prompt number}.{iteration}"`` with the *displayed* iteration (the internal
``iteration-K`` / ``prompt-K-P`` numbering differs from page to page). ``model`` is the page title
(``Model Outputs: NAME``) or the main heading (``Sample Outputs: NAME``).

The pages write prompts and outputs into the HTML without escaping them: literal angle-bracket
text such as ``<SEED>`` or ``<Begin Log>`` is part of the text and is kept. So the page is cut with
plain string search rather than an HTML parser, ``<br>`` tags become newlines, and only complete
entity references (``&amp;``, ``&#8212;``) are unescaped: a bare ``&`` or ``&para`` stays as is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..records import Record
from ._io import read_text

name = "eqbench"
description = "EQ-Bench Creative Writing v3 result page (HTML): 96 outputs per model"

PROMPT_SET = "eqbench-creative-writing-v3"

_CLOSED = re.compile(r"</html\s*>", re.IGNORECASE)
# A tag's attributes: "<" only inside a quoted value. With [^>] every "<div" of a page with no ">"
# after it was scanned to the end of the page, which took minutes on a crafted file (a fuzz audit);
# a quoted value ends at its own quote, so each scan stops soon.
_ATTRS = r"""(?:[^<>"']|"[^"]*"|'[^']*')"""
_BLOCK = re.compile(
    rf"""<div\b{_ATTRS}*?\bclass\s*=\s*["'](?:[^"'<>]*\s)?"""
    r"""(?P<kind>iteration-header|prompt-header|prompt-text-display|response-content)"""
    rf"""(?:\s[^"'<>]*)?["']{_ATTRS}*>""",
    re.IGNORECASE,
)
# A block ends at the first </div> followed by markup (or the end of the page), not by more text:
# an output that itself contains "<div>...</div> and more" is not cut short.
_END = re.compile(r"</div\s*>(?=\s*(?:<div\b|</div\s*>|<!--|</body|</html|\Z))", re.IGNORECASE)
_PROMPT_REF = re.compile(r"prompt-(\d{1,9})-(\d{1,9})(?!\d)")  # bounded: int() of 5,000 digits raises
_ITERATION = re.compile(r"\bIteration\s+(\d{1,9})(?!\d)", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")
_ICON = re.compile(
    r"""<span\b[^<>]*\bclass\s*=\s*["'][^"'<>]*\btoggle-icon\b[^<>]*>(?:[^<]|<(?!/?span\b))*</span\s*>""",
    re.IGNORECASE,
)
# The score after a prompt's title ("Title — Score: 17.2"), found from the end: a pattern that
# starts at the dashes backtracks over every dash of a long run at each start, quadratic in it.
_SCORE = re.compile(r"(?:Avg\s+)?Score:\s*[-\d.]+\s*\Z", re.IGNORECASE)
_DASHES = "\u2014\u2013-"
_LABEL = re.compile(r"\A\s*<strong>\s*(?:Prompt|Model Output)\s*:\s*</strong>\s*(?:<br\s*/?>)?",
                    re.IGNORECASE)
_TAIL = re.compile(r"\r?\n[ \t]*\Z")
_BR = re.compile(r"<br\s*/?>(\r?\n)?", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# The captured text stops at the next <title> or </title> (and is stripped afterwards), so a page of
# unclosed titles is read in linear time: "(.*?)\s*</title>" rescanned to the page's end from each.
_TITLE = re.compile(r"<title>\s*Model Outputs:((?:[^<]|<(?!/?title\b))*)</title>", re.IGNORECASE)
_HEADING = re.compile(
    r"""<h1\b[^<>]*\bclass\s*=\s*["'][^"'<>]*\bmain-title\b[^"'<>]*["'][^<>]*>\s*Sample Outputs:"""
    r"""((?:[^<]|<(?!/?h1\b))*)</h1>""",
    re.IGNORECASE,
)


def detect(path: Path, head: str) -> bool:
    lower = head.lower()
    if not any(tag in lower for tag in ("<!doctype html", "<html", "<body")):
        return False
    return bool(
        _TITLE.search(head, 0, 65536)
        or _HEADING.search(head, 0, 65536)
        or ('class="response-content"' in head and 'class="prompt-text-display"' in head)
    )


def read(path: Path) -> Iterator[Record]:
    text = read_text(path)
    model = _model_name(text)
    iteration: int | None = None
    prompt_number: int | None = None
    title: str | None = None
    prompt: str | None = None
    count = 0
    line, counted = 1, 0
    pos = 0
    while True:
        match = _BLOCK.search(text, pos)
        if match is None:
            break
        line += text.count("\n", counted, match.start())
        counted = match.start()
        end = _END.search(text, match.end())
        if end is None:
            raise InputError(path, f'unterminated <div class="{match["kind"]}">', line)
        body = text[match.end():end.start()]
        pos = end.end()
        kind = match["kind"].lower()
        if kind == "iteration-header":
            found = _ITERATION.search(_plain(body))
            if found is None:
                raise InputError(path, 'iteration header without "Iteration N"', line)
            iteration = int(found.group(1))
        elif kind == "prompt-header":
            ref = _PROMPT_REF.search(match.group(0)) or _PROMPT_REF.search(text, pos, pos + 400)
            if ref is None:
                raise InputError(path, "prompt header without a prompt-K-P element id", line)
            prompt_number = int(ref.group(2))
            title = _without_score(_plain(body)) or None
            prompt = None
        elif kind == "prompt-text-display":
            prompt = _text(body)
        else:
            if prompt_number is None:
                raise InputError(path, "model output before any prompt header", line)
            if iteration is None:
                raise InputError(path, 'model output before any "Iteration N" header', line)
            count += 1
            yield Record(
                prompt_id=f"{prompt_number}.{iteration}",
                response=_text(body),
                model=model,
                prompt=prompt,
                extra={
                    "prompt_number": prompt_number,
                    "iteration": iteration,
                    "title": title,
                    "prompt_set": PROMPT_SET,
                },
                line=line,
                # The three iterations are seeded variants of one prompt: one resampling unit.
                group=str(prompt_number),
            )
            prompt_number, prompt = None, None
    if count == 0:
        raise InputError(path, 'no model outputs (no <div class="response-content">) in this page')
    if not _CLOSED.search(text[-4096:]):
        # Cut exactly between two outputs, a page would otherwise pass with part of its outputs.
        raise InputError(path, f"the page stops after {count} output{'s' if count != 1 else ''} without its closing </html>: it looks "
                               "cut short (save the whole page)")


def _without_score(title: str) -> str:
    """``title`` less a trailing dash and score ("Title — Score: 17.2" -> "Title")."""
    found = _SCORE.search(title)
    if found is None:
        return title
    head = title[: found.start()].rstrip()
    if not head.endswith(tuple(_DASHES)):
        return title
    return head.rstrip(_DASHES).rstrip()


def _model_name(text: str) -> str | None:
    found = _TITLE.search(text, 0, 65536) or _HEADING.search(text, 0, 2**20)
    if found is None:
        return None
    return _unescape(_TAG.sub("", found.group(1))).strip() or None


def _plain(fragment: str) -> str:
    """Visible text of a small header fragment: toggle icon and tags dropped, spaces collapsed."""
    fragment = _TAG.sub(" ", _ICON.sub(" ", fragment))
    return " ".join(_unescape(fragment).split())


def _text(body: str) -> str:
    """The text of a prompt or output block: label removed, page indentation trimmed."""
    body = _LABEL.sub("", body, count=1)
    body = _TAIL.sub("", body, count=1)
    body = _BR.sub("\n", body)
    return _unescape(body)


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
