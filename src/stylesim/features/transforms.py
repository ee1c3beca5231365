"""Text transforms for ablation views: where does a resemblance live?"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from .text import WORD, sentences

_PUNCTUATION = re.compile(r"[^\w\s]|_", re.UNICODE)


def raw(text: str) -> str:
    return text


def without_punctuation(text: str) -> str:
    """Letters, digits and spaces only: removes markdown, dashes and quotes."""
    return re.sub(r"[ \t]+", " ", _PUNCTUATION.sub(" ", text))


def markdown_skeleton(text: str) -> str:
    """Every word becomes ``w``; punctuation, markdown marks and line structure stay."""
    return WORD.sub("w", re.sub(r"\d+", "0", text))


def shuffled_words(text: str, seed: int = 0) -> str:
    """The same words in a random order (per line), which destroys phrasing but keeps vocabulary."""
    rng = random.Random(f"{seed}:{len(text)}:{text[:32]}")
    lines = []
    for line in text.split("\n"):
        tokens = line.split()
        rng.shuffle(tokens)
        lines.append(" ".join(tokens))
    return "\n".join(lines)


def opener_only(text: str) -> str:
    """The first sentence alone."""
    parts = sentences(text)
    return parts[0] if parts else ""


ABLATIONS: dict[str, tuple[str, Callable[[str], str]]] = {
    "raw": ("Raw text (model names unmasked)", raw),
    "no_punctuation": ("Without punctuation", without_punctuation),
    "skeleton": ("Markdown skeleton only", markdown_skeleton),
    "shuffled": ("Word order shuffled", shuffled_words),
    "openers": ("First sentence only", opener_only),
}
