"""Reproduce EQ-Bench Creative Writing v3's "Most Similar To" lists, then look at them calibrated.

eqbench.com lists, for each model, the five models whose "slop profile" is nearest by Jaccard
distance. A profile is one set: the model's 120 most over-used words (against wordfreq English
frequencies) plus its 40 most over-used bigrams and 40 trigrams (against a human writing
profile). The method is Sam Paech's (slop-forensics, MIT licence; eqbench.com); this module is
a reimplementation written for stylesim from its published description, with every choice the
description leaves open recorded in the result (see :mod:`.choices`).

What the original lacked, and this adds: a prompt bootstrap of the Jaccard distance (a CI for
the headline number) and, optionally, stylesim's calibrated comparison of the same pair on the
same outputs (:func:`stylesim.compare` with every other model as the panel).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from .._env import check_source_date_epoch
from ..compare import MIN_PERMUTATIONS
from ..corpus import Corpus, Output, load_corpus
from ..errors import ConfigurationError
from ..result import SCHEMA_VERSION, Result, clean, created_timestamp
from ..roles import Roles
from ..roles import unique_names as _unique_names
from . import background as bg
from . import choices as choice_notes
from .bootstrap import bootstrap_pair
from .distances import distance_matrix, neighbour_order
from .profile import ModelProfile, build_profile, feature_lists, feature_set

# progress(stage) or progress(stage, done, total), as in stylesim.analysis.
Progress = Callable[..., None]
CorpusLike = Corpus | str | Path

PUBLISHED_DISTANCE = 0.658
PUBLISHED: dict[str, Any] = {
    "pair": ["mistralai/Mistral-Small-3.2-24B-Instruct-2506", "deepseek-ai/DeepSeek-V3-0324"],
    "distance": PUBLISHED_DISTANCE,
    "mutual": True,
    "source": "eqbench.com Creative Writing v3, 'Most Similar To' (slop profiles)",
    "earlier": {
        "pair": ["mistralai/mistral-small-3.1-24b-instruct-2503", "deepseek-ai/DeepSeek-V3-0324"],
        "distance": 0.895,
        "note": "April 2025 slop-forensics profiles (different generations), approximate",
    },
}
log = logging.getLogger(__name__)
_PAIR_KEYS = ("mistral-small-3.2", "deepseek-v3-0324")
_EARLIER_KEYS = ("mistral-small-3.1", "deepseek-v3-0324")


def prompt_key(output: Output) -> str:
    """The unit the "in at least N prompts" rules count and the bootstrap draws: the output's
    prompt group where it declares one (EQ-Bench's ``"25.2"`` is prompt 25), else its prompt."""
    return output.group if output.group is not None else output.prompt_id


def corpus_profile(corpus: Corpus, *, keep_streams: bool = False) -> ModelProfile:
    """Count a corpus's raw outputs (before identity masking) by prompt."""
    texts = [(prompt_key(o), o.raw) for o in corpus.outputs]
    return build_profile(corpus.name, texts, keep_streams=keep_streams)


def _as_corpus(item: CorpusLike) -> Corpus:
    return item if isinstance(item, Corpus) else load_corpus(item)


def slop_feature_set(corpus: CorpusLike, human_profile: str | Path | bg.HumanProfile | None = None) -> set[str]:
    """One model's feature set: 120 over-used words, 40 bigrams and 40 trigrams, as one set.

    Without a human profile (and with one model there is nothing to pool), n-grams are ranked by
    count; :func:`reproduce_eqbench_similarity` pools the other inputs instead.
    """
    profile = corpus_profile(_as_corpus(corpus))
    if human_profile is not None:
        human = human_profile if isinstance(human_profile, bg.HumanProfile) else bg.load_human_profile(human_profile)
        bg.attach_human([profile], human)
    return feature_set(feature_lists(profile))


def nearest_lists(names: Sequence[str], distances: np.ndarray, top_k: int = 5) -> dict[str, dict]:
    """``{name: {"nearest": [{"model", "distance"}, ...]}}``, ``top_k`` per model, self excluded."""
    return {
        name: {"nearest": [{"model": names[j], "distance": round(float(distances[i, j]), 4)}
                           for j in neighbour_order(names, distances, i)[:top_k]]}
        for i, name in enumerate(names)
    }


def _find(names: Sequence[str], key: str) -> int | None:
    """The input whose name holds ``key``. Where several do (a fine-tune named after its base),
    the one whose own name (after any "org/") starts with it, then the shortest, then by name; a
    warning says which was taken."""
    hits = [i for i, n in enumerate(names) if key in n.lower()]
    if len(hits) > 1:
        def own(i: int) -> str:
            return names[i].lower().rsplit("/", 1)[-1]

        hits.sort(key=lambda i: (not own(i).startswith(key), len(own(i)), names[i]))
        log.warning("several inputs match %r (%s); using %s", key, ", ".join(names[i] for i in sorted(hits)),
                    names[hits[0]])
    return hits[0] if hits else None


def choose_pair(names: Sequence[str], distances: np.ndarray) -> tuple[int, int, str]:
    """The published pair when both are present; else Mistral-Small-3.2 and its nearest; else
    the closest mutual-nearest pair."""
    a, b = (_find(names, key) for key in _PAIR_KEYS)
    if a is not None and b is not None:
        return a, b, "the published pair"
    if a is not None:
        return a, neighbour_order(names, distances, a)[0], "Mistral-Small-3.2 and its nearest neighbour"
    nearest = {i: neighbour_order(names, distances, i)[0] for i in range(len(names))}
    # Each pair in name order, so that the order of the input files does not decide which is A.
    mutual = sorted({tuple(sorted((i, j), key=lambda m: (names[m], m))) for i, j in nearest.items() if nearest[j] == i},
                    key=lambda p: (distances[p[0], p[1]], names[p[0]]))
    if mutual:
        return mutual[0][0], mutual[0][1], "the closest mutual-nearest pair (the published pair is absent)"
    return 0, nearest[0], "the first model and its nearest neighbour (no mutual pair)"


def _rank(names: Sequence[str], distances: np.ndarray, i: int, j: int) -> int:
    return neighbour_order(names, distances, i).index(j) + 1


def _lists_json(lists: dict) -> dict[str, list[str]]:
    return {kind: list(sel.terms) for kind, sel in lists.items()}


def _sets(profiles: Sequence[ModelProfile], ranking: str = "overuse") -> list[set[str]]:
    return [feature_set(feature_lists(p, ranking=ranking)) for p in profiles]


def reproduce_eqbench_similarity(
    inputs: Sequence[CorpusLike],
    *,
    human_profile_path: str | Path | None = None,
    top_k: int = 5,
    calibrated: bool = True,
    seed: int = 0,
    embeddings: bool = False,
    n_resamples: int = 200,
    calibrated_resamples: int = 500,
    confidence: float = 0.95,
    progress: Progress | None = None,
) -> Result:
    """Reproduce the "Most Similar To" lists for ``inputs`` and report the headline pair.

    Parameters
    ----------
    inputs
        Corpora or paths (EQ-Bench result pages or any stylesim format), one model each; a
        folder contributes every file in it.
    human_profile_path
        A human n-gram profile (slop-forensics format). Without one, n-grams are ranked against
        the pooled other inputs, and the result says so.
    top_k
        Neighbours listed per model (eqbench.com shows five).
    calibrated
        Also run :func:`stylesim.compare` on the pair with every other model as the panel.
    n_resamples
        Prompt-bootstrap resamples of the Jaccard distance (0 skips the bootstrap).
    calibrated_resamples
        Resamples and permutations for the calibrated comparison.
    """
    check_source_date_epoch()  # before any work, not when the result is stamped
    if top_k < 1:
        raise ConfigurationError(f"--top-k must be at least 1 (got {top_k})")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigurationError(f"--seed must be a non-negative integer (got {seed})")
    if n_resamples < 0:
        raise ConfigurationError("--resamples cannot be negative")
    if calibrated and calibrated_resamples < MIN_PERMUTATIONS:
        # They are the calibrated comparison's permutations too, whose smallest p is 1/(N + 1).
        raise ConfigurationError(f"--calibrated-resamples must be at least {MIN_PERMUTATIONS}, so that p \u2264 0.05 is "
                                 f"possible (got {calibrated_resamples})")
    human = bg.load_human_profile(human_profile_path) if human_profile_path is not None else None
    # The same page twice would be its own nearest neighbour at distance 0: dropped, with a warning.
    corpora = Roles.build(_load_all(inputs), keep_focus_duplicates=0, names_count=False).corpora
    if len(corpora) < 2:
        raise ConfigurationError("the reproduction needs at least two models")
    _unique_names(corpora)
    if progress:
        progress("counting words and n-grams")
    profiles = [corpus_profile(c, keep_streams=True) for c in corpora]
    bg.attach_pooled(profiles, as_background=human is None)
    if human is not None:
        bg.attach_human(profiles, human)
        background = human.describe()
    else:
        background = bg.describe_pooled(len(profiles))
    names = [p.name for p in profiles]
    lists = [feature_lists(p) for p in profiles]
    sets = [feature_set(x) for x in lists]
    matrix = distance_matrix(sets)
    a, b, why = choose_pair(names, matrix)
    if progress:
        progress("bootstrapping the pair's distance over prompts")
    boot = bootstrap_pair(profiles, a, b, n_resamples=n_resamples, seed=seed, confidence=confidence,
                          progress=progress)
    reproduced = _reproduced(names, matrix, sets, lists, a, b, why, boot)
    reproduced["sensitivity"] = _sensitivity(profiles, names, a, b)
    data: dict[str, object] = {
        "stylesim_version": __version__,
        "kind": "reproduce-eqbench",
        "schema_version": SCHEMA_VERSION,
        "created": created_timestamp(),
        "parameters": {
            "top_k": top_k, "seed": seed, "n_resamples": n_resamples, "confidence": confidence,
            "calibrated": calibrated, "embeddings": embeddings,
            "calibrated_resamples": calibrated_resamples if calibrated else None,
            "human_profile": str(human_profile_path) if human_profile_path is not None else None,
            "caps": {"words": 120, "bigrams": 40, "trigrams": 40},
        },
        "background": background,
        "inputs": [{"name": c.name, "path": c.path, "format": c.format, "outputs": len(c.outputs),
                    "prompts": len(p.prompts)} for c, p in zip(corpora, profiles)],
        "models": nearest_lists(names, matrix, top_k),
        "distances": {"models": names, "matrix": clean(matrix)},
        "features": {name: _lists_json(x) for name, x in zip(names, lists)},
        "choices": choice_notes.choices(str(background["kind"]), max(len(p.prompts) for p in profiles),
                                        any(o.group is not None for c in corpora for o in c.outputs)),
        "published": PUBLISHED,
        "reproduced": reproduced,
        "calibrated": None,
    }
    if calibrated and len(corpora) > 2:
        from .calibrated import calibrated_view

        if progress:
            progress("calibrated comparison (stylesim.compare with the other models as panel)")
        data["calibrated"] = calibrated_view(
            corpora[a], corpora[b], [c for i, c in enumerate(corpora) if i not in (a, b)],
            seed=seed, embeddings=embeddings, n_resamples=calibrated_resamples,
            confidence=confidence, progress=progress)
    elif calibrated:
        log.warning("the calibrated comparison needs a third model as its panel; with two models it is skipped")
    data["verdict"] = choice_notes.verdict(data)
    return Result(data)


def _load_all(inputs: Sequence[CorpusLike]) -> list[Corpus]:
    """Corpora as given; paths loaded, and a folder contributes every file in it."""
    from ..panel import expand_inputs

    corpora: list[Corpus] = []
    for item in inputs:
        if isinstance(item, Corpus):
            corpora.append(item)
        else:
            corpora.extend(load_corpus(path) for path in expand_inputs([item]))
    return corpora




def _reproduced(names, matrix, sets, lists, a, b, why, boot) -> dict:  # noqa: ANN001
    shared = sets[a] & sets[b]
    distance = float(matrix[a, b])
    rank_ab, rank_ba = _rank(names, matrix, a, b), _rank(names, matrix, b, a)
    out = {
        "pair": [names[a], names[b]],
        "why_this_pair": why,
        "distance": round(distance, 4),
        # Only the published pair's distance is comparable with the published figure.
        "difference_from_published": round(distance - PUBLISHED_DISTANCE, 4) if why == "the published pair" else None,
        "mutual": rank_ab == 1 and rank_ba == 1,
        "rank_of_b_for_a": rank_ab,
        "rank_of_a_for_b": rank_ba,
        "feature_counts": {"a": len(sets[a]), "b": len(sets[b]), "shared": len(shared),
                           "union": len(sets[a] | sets[b])},
        "shared": {kind: [t for t in lists[a][kind].terms if t in shared] for kind in lists[a]},
        "bootstrap": boot,
        "ci": None if boot is None else {"low": boot["ci_low"], "high": boot["ci_high"], "level": boot["level"]},
    }
    i, j = (_find(names, key) for key in _EARLIER_KEYS)
    if i is not None and j is not None and i != j:
        out["earlier_pair"] = {"pair": [names[i], names[j]], "distance": round(float(matrix[i, j]), 4),
                               "rank_of_b_for_a": _rank(names, matrix, i, j)}
    return out


_VARIANTS = {
    "frequency": "n-grams ranked by count alone (how eqbench.com orders its displayed 'Top Bigrams')",
    "pooled": "n-grams ranked against the other inputs pooled (the offline default without --human-profile)",
    "smoothed": "human profile, but n-grams it does not list get an independence estimate from wordfreq "
                "(product of word frequencies, scaled to the listed n-grams) instead of infinite over-use",
}


def _sensitivity(profiles: Sequence[ModelProfile], names: Sequence[str], a: int, b: int) -> list[dict]:
    """The pair's distance when one open choice about n-grams is made differently."""
    kind = profiles[a].background_kind
    rows = []
    for ranking, label in _VARIANTS.items():
        if ranking == kind or (ranking == "smoothed" and kind != "human"):
            continue
        matrix = distance_matrix(_sets(profiles, ranking=ranking))
        rows.append({
            "variant": label,
            "distance": round(float(matrix[a, b]), 4),
            "mutual": _rank(names, matrix, a, b) == 1 and _rank(names, matrix, b, a) == 1,
            "rank_of_b_for_a": _rank(names, matrix, a, b),
        })
    return rows
