"""The naive reference of issue 11: mean-centred word-bigram cosine, no calibration.

Each model's lower-cased word-bigram relative frequencies over the prompts every model answered
(bigrams seen in at least two models), centred on the mean over the models given, and the cosine
of two centred profiles. Issue 11 reports that on held-out lineage sets this plain score put an
acceptable teacher first as often as stylesim 0.2 did, so it is the floor stylesim must beat;
``reference.py`` and ``lineage.py`` print it beside stylesim's own ranking.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

WORD = re.compile(r"\w+")


def bigram_profiles(texts: Sequence[Sequence[str]]) -> np.ndarray:
    """(models, bigrams) relative frequencies of lower-cased word bigrams seen in two or more models."""
    counts = []
    for model_texts in texts:
        counter: Counter[tuple[str, str]] = Counter()
        for text in model_texts:
            words = WORD.findall(text.lower())
            counter.update(zip(words, words[1:]))
        counts.append(counter)
    seen = Counter(gram for counter in counts for gram in counter)
    vocabulary = sorted(gram for gram, models in seen.items() if models >= 2)
    index = {gram: i for i, gram in enumerate(vocabulary)}
    profiles = np.zeros((len(texts), len(vocabulary)))
    for m, counter in enumerate(counts):
        for gram, count in counter.items():
            if gram in index:
                profiles[m, index[gram]] = count
    return profiles / np.maximum(profiles.sum(axis=1, keepdims=True), 1)


def naive_scores(texts: Sequence[Sequence[str]]) -> np.ndarray:
    """(models, models) cosine of mean-centred bigram profiles (0 for a profile at the mean)."""
    centred = bigram_profiles(texts)
    centred = centred - centred.mean(axis=0)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    centred = np.divide(centred, norms, out=np.zeros_like(centred), where=norms > 0)
    return centred @ centred.T


def aligned_texts(alignment) -> list[list[str]]:
    """Each model's answers over the aligned prompts, a prompt's samples joined into one text."""
    return [[" ".join(o.text for o in alignment.outputs[m][i]) for i in range(alignment.n_prompts)]
            for m in range(len(alignment.corpora))]
