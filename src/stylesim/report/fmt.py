"""Number and text formatting for the report: every number on the page goes through here.

Conventions (one place, so the page is consistent):
- resemblance-scale values (estimates, CI ends, ceilings): 3 decimals, a true minus sign;
- confidence intervals: "0.277 to 0.335";
- p-values: two significant digits ("0.5", "0.0035", "0.0005"), scientific below 0.0005
  ("1.2e-4");
- test statistics: 3 significant digits;
- missing values: "n/a".
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import Any

from markupsafe import escape

from ..stats import resampling
from ..verdict_words import percent_of

NA = "n/a"
MINUS = "\u2212"


def number(value: Any) -> float | None:
    """A finite float, or None for anything else (None, NaN, strings, booleans)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _minus(text: str) -> str:
    return text.replace("-", MINUS) if text.startswith("-") else text


def est(value: Any, digits: int = 3) -> str:
    """A resemblance-scale value: ``0.305``, ``−0.036``."""
    v = number(value)
    if v is None:
        return NA
    text = f"{v:.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return _minus(text)


def ci_label(entry: Any, level: str, digits: int = 3) -> str:
    """``95% CI 0.277 to 0.335`` for an ``{estimate, ci_low, ci_high}`` mapping; for an estimate
    whose interval was withheld (its resamples too often undefined, method.md "Intervals"), says
    so instead of "n/a"."""
    entry = entry if isinstance(entry, Mapping) else {}
    low, high = entry.get("ci_low"), entry.get("ci_high")
    if number(entry.get("estimate")) is not None and (number(low) is None or number(high) is None):
        return f"no {level} CI: unstable over prompt resamples"
    return f"{level} CI {ci(low, high, digits)}"


def ci(low: Any, high: Any, digits: int = 3) -> str:
    """A confidence interval: ``0.277 to 0.335``."""
    if number(low) is None or number(high) is None:
        return NA
    return f"{est(low, digits)} to {est(high, digits)}"


def permutation_floor(data: Any) -> float | None:
    """The smallest p-value a permutation or sign-flip test of B draws can give, 1 / (B + 1)."""
    return resampling.permutation_floor(number((data.get("parameters") or {}).get("permutations"))
                                        if hasattr(data, "get") else None)


def pval_bounded(value: Any, floor: float | None) -> str:
    """:func:`pval`, as "≤ p" at a permutation test's ``floor`` (the test cannot say how much smaller)."""
    v = number(value)
    at_floor = floor is not None and v is not None and resampling.at_floor(v, floor)
    return f"\u2264 {pval(value)}" if at_floor else pval(value)


def p_relation(value: Any, floor: float | None) -> str:
    """"= p", or "≤ p" at a permutation test's ``floor``: what follows a "p"."""
    text = pval_bounded(value, floor)
    return text if text.startswith("\u2264") else f"= {text}"


def pval(value: Any) -> str:
    """A p-value, printed as the verdicts print it (:func:`stylesim.stats.resampling.p_text`):
    ``0.5``, ``0.167``, ``0.0035``, ``0.0005``, ``0.00012``, ``1.2e-5``."""
    v = number(value)
    return NA if v is None else resampling.p_text(v)


def floor_range(block: Any) -> str:
    """A left-out view's smallest possible p: one value, or "X to Y" where its runs differ (panel
    models without a score in some runs take no part in their p-values)."""
    low, high = number(block.get("pvalue_floor")), number(block.get("pvalue_floor_max"))
    if high is None or low is None or abs(high - low) < 1e-9:
        return pval(low)
    return f"{pval(low)} to {pval(high)}, by which panel models with a score are kept"


def sig(value: Any, digits: int = 3) -> str:
    """A statistic with ``digits`` significant digits: ``0.018``, ``132``, ``−1.49``."""
    v = number(value)
    if v is None:
        return NA
    if v == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(v)))
    if magnitude >= 6 or magnitude <= -5:
        mantissa, exponent = f"{v:.{digits - 1}e}".split("e")
        return _minus(f"{mantissa}e{int(exponent)}")
    decimals = max(0, digits - 1 - magnitude)
    return _minus(f"{v:.{decimals}f}")


def rate(value: Any, unit: str = "") -> str:
    """A formatting-habit value in its unit: shares as percentages, others 1-2 decimals."""
    v = number(value)
    if v is None:
        return NA
    if unit.startswith("share"):
        return f"{100 * v:.0f}%"
    return est(v, 1 if abs(v) >= 10 else 2)


def percent(value: Any, digits: int = 0) -> str:
    """A share as a percentage; a share short of all (or above none) never rounds to 100% (or 0%)."""
    v = number(value)
    return NA if v is None else percent_of(v, digits, under="<", over=">")


def count(value: Any) -> str:
    """An integer count with thousands separators; other values as text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    v = number(value)
    if v is not None:
        return f"{v:,.0f}" if v == int(v) else sig(v)
    return NA if value is None else str(value)


def sort_key(value: Any) -> str:
    """A machine-readable sort value for a data-sort attribute (empty when missing)."""
    v = number(value)
    return "" if v is None else repr(v)


def text(value: Any) -> str:
    """Any value as display text (untrusted; the template escapes it)."""
    if value is None:
        return NA
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(text(v) for v in value) or "none"
    if isinstance(value, float):
        return _minus(f"{value:.4g}") if math.isfinite(value) else NA
    return str(value)


def clip(value: Any, limit: int) -> tuple[str, bool]:
    """``value`` cut to at most ``limit`` characters (at a word break when one is near)."""
    s = "" if value is None else str(value)
    if len(s) <= limit:
        return s, False
    cut = s[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + " \u2026", True


# Pictographs (emoji and the like) need an emoji font; without one they draw as empty boxes.
_PICTO_BLOCKS = ((0x2300, 0x23FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF))
_DROPPED = {0x200D, 0xFE0E, 0xFE0F}  # zero-width joiner, text/emoji presentation selectors


def _pictographic(ch: str) -> bool:
    code = ord(ch)
    if 0x1F000 <= code <= 0x1FAFF:
        return True
    return unicodedata.category(ch) == "So" and any(lo <= code <= hi for lo, hi in _PICTO_BLOCKS)


def token(value: Any) -> tuple[str, str]:
    """A short model-written token (an opener, a phrase, a feature) for a table, readable without an
    emoji font: each pictograph becomes its Unicode name in brackets ("\U0001F680" -> "[ROCKET]", a
    flag -> "[FLAG US]"; joiners, presentation selectors and skin-tone modifiers are dropped).

    Returns ``(text, title)``: the title is the original token when anything was replaced, else "".
    """
    original = text(value)
    out: list[str] = []
    chars = list(original)
    i = 0
    while i < len(chars):
        ch, code = chars[i], ord(chars[i])
        if 0x1F1E6 <= code <= 0x1F1FF:  # regional indicators: two letters make a flag
            letters = ""
            while i < len(chars) and 0x1F1E6 <= ord(chars[i]) <= 0x1F1FF and len(letters) < 2:
                letters += chr(ord("A") + ord(chars[i]) - 0x1F1E6)
                i += 1
            out.append(f"[FLAG {letters}]")
            continue
        if code in _DROPPED or 0x1F3FB <= code <= 0x1F3FF or 0xE0000 <= code <= 0xE007F:
            pass
        elif code == 0x20E3:
            out.append("[KEYCAP]")
        elif _pictographic(ch):
            out.append(f"[{unicodedata.name(ch, f'U+{code:04X}')}]")
        else:
            out.append(ch)
        i += 1
    shown = "".join(out)
    return shown, ("" if shown == original else original)


def escaped_size(value: str) -> int:
    """Bytes ``value`` takes in the page once HTML-escaped and UTF-8 encoded."""
    return len(str(escape(value)).encode("utf-8"))


def humanize(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
