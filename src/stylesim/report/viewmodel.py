"""Result mapping -> view-model: plain dataclasses of formatted text and SVG geometry.

One builder per result kind; templates only place what these return.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ConfigurationError
from .attribute_view import AttributeView, attribute_view
from .compare_view import CompareView, compare_view
from .matrix_view import MatrixView, matrix_view
from .reproduce_view import ReproduceView, reproduce_view

View = CompareView | AttributeView | MatrixView | ReproduceView

BUILDERS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "compare": compare_view,
    "attribute": attribute_view,
    "matrix": matrix_view,
    "reproduce-eqbench": reproduce_view,
}

# What a result must hold for a page to make sense; everything else is optional.
REQUIRED: dict[str, dict[str, type]] = {
    "compare": {"models": dict, "similarity": dict, "families": dict, "verdict": dict},
    "attribute": {"models": dict, "candidates": list, "families": dict, "verdict": dict},
    "matrix": {"models": list, "verdict": dict},
    "reproduce-eqbench": {"models": dict, "reproduced": dict, "verdict": dict},
}
MODEL_KEYS = {"compare": ("a", "b"), "attribute": ("student",), "matrix": (), "reproduce-eqbench": ()}


def build_view(data: Mapping[str, Any]) -> View:
    """The view-model for a result mapping (``kind`` picks the builder)."""
    kind = data.get("kind") if isinstance(data, Mapping) else None
    if not isinstance(kind, str) or kind not in BUILDERS:  # a list or a mapping is no kind either
        raise ConfigurationError(
            f"no HTML report for results of kind {str(kind)[:40]!r}; reports exist for {', '.join(BUILDERS)}"
        )
    for key, kind_of in REQUIRED[kind].items():
        if not isinstance(data.get(key), kind_of):
            raise ConfigurationError(f"this {kind} result has no usable {key!r} block, so no report can be built")
    for key in MODEL_KEYS[kind]:
        if not isinstance(data["models"].get(key), str):
            raise ConfigurationError(f"this {kind} result does not name model {key!r}")
    if kind == "reproduce-eqbench":
        pair = data["reproduced"].get("pair")
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, str) for n in pair)):
            raise ConfigurationError("this reproduce-eqbench result does not name its pair of models")
    return BUILDERS[kind](data)
