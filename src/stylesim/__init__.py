"""stylesim: how alike are two LLMs' language patterns, and how strong is that evidence?

The public API::

    import stylesim
    result = stylesim.compare("a.jsonl", "b.jsonl", panel=["c.jsonl"], seed=0)
    result.similarity["overall"]        # {"estimate", "ci_low", "ci_high"}
"""

from __future__ import annotations

__version__ = "0.1.0"

from .attribute import attribute  # noqa: E402
from .compare import compare  # noqa: E402
from .corpus import Corpus, align, load_corpus  # noqa: E402
from .errors import AlignmentError, InputError, StylesimError  # noqa: E402
from .result import Result, load_result  # noqa: E402

__all__ = [
    "__version__",
    "compare",
    "attribute",
    "load_corpus",
    "align",
    "Corpus",
    "Result",
    "load_result",
    "StylesimError",
    "InputError",
    "AlignmentError",
]
