"""Small pieces of the verdicts' wording: names isolated from the text around them, counts with
their noun, shares of resamples, and who a ranking leans on. Kept apart from the verdicts
themselves (verdict.py, verdict_attribute.py), which import them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def isolate(name: object) -> str:
    """A user-supplied name wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, so a
    right-to-left name cannot reorder the numbers around it (the text form of HTML's <bdi>)."""
    return f"\u2068{name}\u2069"


def counted(n: int, word: str, many: str | None = None) -> str:
    """``1 panel model``, ``3 panel models``: a count with its noun agreeing."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def percent_of(share: float, digits: int = 0, under: str = "under ", over: str = "over ") -> str:
    """A share as a percentage that never rounds a share short of all to 100% ("over 99%"), nor
    one above none to 0% ("under 1%"); the report's tables pass "<" and ">"."""
    shown = f"{100 * share:.{digits}f}"
    if share < 1 and float(shown) >= 100:
        return f"{over}{100 - 10 ** -digits:.{digits}f}%"
    if share > 0 and float(shown) <= 0:
        return f"{under}{10 ** -digits:.{digits}f}%"
    return f"{shown}%"


def share_text(share: float) -> str:
    """A share of resamples in words: 0.995 is "over 99%", not "100%" (nor 0.004 "0%")."""
    return percent_of(share)


def leaning_clause(names: list[str], rows: Sequence[Mapping]) -> str:
    """"X and Y are among those left out", "X is kept in the panel", or both joined, for
    ``robustness._leaning``'s rows (``names`` their names as the caller prints them; rows without
    a direction, from results before 0.3.15, are absences)."""
    groups: dict[str, list[str]] = {}
    for name, row in zip(names, rows):
        groups.setdefault("kept" if row.get("direction") == "kept" else "left_out", []).append(name)
    parts = []
    for direction, members in groups.items():
        listed = members[0] if len(members) == 1 else f"{', '.join(members[:-1])} and {members[-1]}"
        verb = "is" if len(members) == 1 else "are"
        parts.append(f"{listed} {verb} {'kept in the panel' if direction == 'kept' else 'among those left out'}")
    return " and ".join(parts)
