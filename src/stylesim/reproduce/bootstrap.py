"""The bootstrap the original lacked: the reproduced pair's Jaccard distance over resampled prompts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import cast

import numpy as np

from ..parallel import default_jobs, run_tasks
from ..result import clean, thin
from ..stats import resampling
from .distances import distance_matrix, jaccard_distance, neighbour_order
from .profile import ModelProfile, feature_lists, feature_set

Progress = Callable[..., None]


def bootstrap_pair(profiles: Sequence[ModelProfile], a: int, b: int, *, n_resamples: int, seed: int,
                   confidence: float = 0.95, progress: Progress | None = None) -> dict[str, object] | None:
    """Resample the pair's shared prompts with replacement; recompute every model's feature set.

    Other models take the same draw on the prompts they have. A resample holds about 63% of the
    prompts as distinct ones, and fewer distinct prompts make the lists noisier, so resampled
    distances run high; the reported interval is the percentile interval re-centred on the
    full-data distance (shifted back by the resample mean minus it). It describes prompt-sampling
    spread at this benchmark's size; it is not a bias-corrected estimate of the distance on many
    more prompts, which would be lower (the distance falls as prompts are added).
    """
    have_b = set(profiles[b].prompts)
    shared = [k for k in profiles[a].prompts if k in have_b]
    if len(shared) < 2 or n_resamples < 1:
        return None
    draws = resampling.bootstrap_weights(len(shared), n_resamples, resampling.as_rng(seed))
    maps = []
    for profile in profiles:
        index = {k: i for i, k in enumerate(profile.prompts)}
        maps.append([(pos, index[k]) for pos, k in enumerate(shared) if k in index])
    chunks = np.array_split(np.arange(n_resamples), max(1, min(default_jobs(), n_resamples)))
    tasks: dict[str, Callable[[], object]] = {
        str(i): partial(_resample_chunk, profiles, maps, draws[rows], a, b) for i, rows in enumerate(chunks)}
    done = cast(dict[str, tuple[np.ndarray, np.ndarray]], run_tasks(tasks, progress=_resample_progress(
        progress, f"bootstrap: {n_resamples} resamples of {len(shared)} prompts", chunks)))
    rows = np.concatenate([done[str(i)][0] for i in range(len(chunks))])  # (resamples, models): A's row
    mutual = np.concatenate([done[str(i)][1] for i in range(len(chunks))])
    distances = rows[:, b]
    full_sets = [feature_set(feature_lists(profile)) for profile in profiles]
    full = jaccard_distance(full_sets[a], full_sets[b])
    level = resampling.expanded_level(confidence, len(shared))  # as compare's intervals: method.md
    low, high = resampling.percentile_interval(distances, level)
    bias = float(np.mean(distances)) - full
    return {
        "n_resamples": n_resamples,
        "unit": "prompt",
        "prompts": len(shared),
        "level": confidence,
        "interval_level": round(level, 6),
        "method": "percentile interval re-centred on the full-data distance (shifted by the resample mean minus "
                  "it): prompt-sampling spread at this benchmark's size, not a bias-corrected estimate",
        "ci_low": clean(max(low - bias, 0.0)), "ci_high": clean(min(high - bias, 1.0)),
        "ci_allowing_pick": _allowing_pick(rows, full_sets, a, b, level),
        "percentile_ci": [clean(low), clean(high)],
        "mean": clean(float(np.mean(distances))),
        "bias": clean(bias),
        "mutual_share": round(float(mutual.mean()), 4),
        "distribution": thin(distances),
    }


def _allowing_pick(rows: np.ndarray, sets: Sequence[set[str]], a: int, b: int, level: float) -> list:
    """B's interval as one of A's whole row of distances, each re-centred as B's is: simultaneous
    over A's other models (:func:`stylesim.stats.resampling.simultaneous_intervals`), so that it
    holds although B was picked as A's nearest on these outputs. ``[low, high]``."""
    others = [j for j in range(rows.shape[1]) if j != a]
    shifts = np.array([np.mean(rows[:, j]) - jaccard_distance(sets[a], sets[j]) for j in others])
    bands = resampling.simultaneous_intervals((rows[:, others] - shifts).T, level)
    low, high = bands[others.index(b)]
    return [clean(max(low, 0.0)), clean(min(high, 1.0))]


def _resample_progress(progress: Progress | None, stage: str,
                       chunks: Sequence[np.ndarray]) -> Progress | None:
    """Report ``stage`` with resamples done of all, from run_tasks' count of chunks done."""
    if not progress:
        return None
    finished = np.concatenate([[0], np.cumsum([len(rows) for rows in chunks])])
    progress(stage, 0, int(finished[-1]))
    return lambda _key, chunks_done, _chunks: progress(stage, int(finished[chunks_done]), int(finished[-1]))


def _resample_chunk(profiles: Sequence[ModelProfile], maps: list, draws: np.ndarray, a: int,
                    b: int) -> tuple[np.ndarray, np.ndarray]:
    """A's distances to every model, and whether A and B are mutual-nearest, for each draw of
    prompt counts."""
    names = [p.name for p in profiles]
    distances = np.empty((len(draws), len(profiles)))
    mutual = np.zeros(len(draws), dtype=bool)
    for r, draw in enumerate(draws):
        sets = []
        for profile, pairs in zip(profiles, maps):
            weights = np.zeros(len(profile.prompts))
            for pos, row in pairs:
                weights[row] = draw[pos]
            sets.append(feature_set(feature_lists(profile, weights)))
        matrix = distance_matrix(sets)
        distances[r] = matrix[a]
        mutual[r] = neighbour_order(names, matrix, a)[0] == b and neighbour_order(names, matrix, b)[0] == a
    return distances, mutual
