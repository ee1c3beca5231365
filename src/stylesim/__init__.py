"""stylesim: how alike are two LLMs' language patterns, and how strong is that evidence?

The public API::

    import stylesim
    result = stylesim.compare("a.jsonl", "b.jsonl", panel=["c.jsonl"], seed=0)
    result.similarity["uncentred"]      # {"estimate", "ci_low", "ci_high"}
"""

from __future__ import annotations

__version__ = "0.3.17"

# First, before scipy is imported: scipy reads SOURCE_DATE_EPOCH as an integer and raises on
# anything else; importing _env sets a malformed value aside (see _env).
from . import _env  # noqa: F401
from .alignment import align
from .attribute import attribute
from .compare import compare
from .corpus import Corpus, load_corpus
from .errors import AlignmentError, InputError, StylesimError
from .result import Result, load_result

__all__ = [
    "AlignmentError",
    "Corpus",
    "InputError",
    "Result",
    "StylesimError",
    "__version__",
    "align",
    "attribute",
    "compare",
    "load_corpus",
    "load_result",
]
