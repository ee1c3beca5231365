"""Ablation views: the layout-token similarity of A and B on transformed texts (raw, no
punctuation, markdown skeleton, shuffled words, first sentences), which shows where a resemblance
lives. Descriptive: no test is built on them."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from .alignment import Alignment
from .same_prompt import anchor_agreement, sample_norms
from .similarity import anchor_similarity
from .stats.moments import FoldCentre, unit_means
from .stats.resampling import unit_weights

# The ablation views are descriptive: their background is the first few panel models by name, so their
# cost does not grow with a large panel (each view re-tokenises every text it uses).
ABLATION_BACKGROUND = 8


def first_by_name(corpora, models, limit: int = ABLATION_BACKGROUND) -> list[int]:  # noqa: ANN001
    """The first ``limit`` of ``models`` (indices into ``corpora``) in order of model name, so that a
    descriptive view's background does not depend on the order the files were given in."""
    return sorted(models, key=lambda m: (corpora[m].name, m))[:limit]


def view_models(corpora, order: Sequence[int], other: int) -> list[int]:  # noqa: ANN001
    """The models of an ablation view: the anchor, ``other``, then at most ``ABLATION_BACKGROUND``
    of the rest by name (``other`` in its own background would count its answers twice)."""
    return [order[0], other] + first_by_name(corpora, [m for m in order[1:] if m != other])


def background_subset(alignment: Alignment, models: Sequence[int]) -> Alignment:
    """The same prompts with only ``models`` (in that order)."""
    return dataclasses.replace(alignment, corpora=[alignment.corpora[m] for m in models],
                               outputs=[alignment.outputs[m] for m in models])


def ablation_task(key, alignment, order, other, weights, centre, seed, groups=None):
    """The layout-token similarity of the anchor and ``other`` on one transformed view, against a
    background of at most ``ABLATION_BACKGROUND`` other models. ``groups`` are the full
    alignment's resampling units (the cut-down alignment would work out its own from fewer models)."""
    from .features.lexical import layout_ngrams
    from .features.transforms import ABLATIONS, shuffled_words

    models = view_models(alignment.corpora, order, other)
    alignment = background_subset(alignment, models)
    order, other = [0, *range(1, len(models))], 1
    from .analysis import _FOLD_SEED
    from .flat import flatten
    from .flat import per_prompt_matrices as _matrices

    flat = flatten(alignment, raw=(key == "raw"))
    transform = ABLATIONS[key][1]
    if key == "shuffled":
        texts = [shuffled_words(t, seed) for t in flat.texts]
    else:
        texts = [transform(t) for t in flat.texts]
    try:
        features = layout_ngrams().fit_transform(texts)
    except ValueError:
        return None
    matrices = _matrices(features, flat)
    # The resemblance pairs different units (see analysis._outcome).
    units = [unit_means(m, groups) for m in matrices]
    center = FoldCentre(units, np.random.default_rng(_FOLD_SEED)) if centre else None
    pair = [units[order[0]], units[other]]
    views = {"resemblance": anchor_similarity(pair, unit_weights(weights, groups), center=center,
                                              shrink=centre).ratio[1]}
    agreement = anchor_agreement(matrices, sample_norms(features, flat.rows), weights, anchor=order[0])
    if agreement is not None:
        views["agreement"] = agreement.ratio[other]
    return views
