"""Over-used vocabulary (the "slop profile"), and log-odds for distinctive phrases.

Two measures of over-use, both credited to published work:

* against general English: a word's rate in the pooled outputs divided by its wordfreq frequency
  (as in EQ-Bench's and slop-forensics' slop profiles). Words wordfreq has never seen get a floor
  frequency so they cannot explode the ratio, and a word must occur across several prompts so
  names taken from one prompt do not count;
* against the other models present: log-odds ratios with an informative Dirichlet prior
  (Monroe, Colaresi & Quinn 2008, "Fightin' Words"), used to name the phrases each model
  over-uses relative to the pooled background.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .text import words

# zipf 1.5 ~ 3 per 100 million words: below anything wordfreq lists for common English.
DEFAULT_FLOOR_ZIPF = 1.5


def english_frequency(word: str, floor: float) -> float:
    """wordfreq's English frequency for ``word``, never below ``floor``."""
    from wordfreq import word_frequency

    return max(word_frequency(word, "en"), floor)


class OverusedVocabulary:
    """Counts of the words the pooled outputs over-use most against general English.

    Parameters
    ----------
    n_words
        How many over-used words to keep as features.
    min_letters
        Shortest word considered.
    min_prompts
        A word must occur in answers to at least this many distinct prompts (or texts, when no
        groups are given).
    min_count
        A word must occur at least this often in the pooled texts.
    floor_zipf
        Frequency floor (zipf scale) for words wordfreq does not know.
    """

    def __init__(
        self,
        *,
        n_words: int = 600,
        min_letters: int = 3,
        min_prompts: int = 3,
        min_count: int = 5,
        floor_zipf: float = DEFAULT_FLOOR_ZIPF,
    ) -> None:
        self.n_words = n_words
        self.min_letters = min_letters
        self.min_prompts = min_prompts
        self.min_count = min_count
        self.floor_zipf = floor_zipf

    def fit(self, texts: Sequence[str], groups: Sequence[str] | None = None) -> OverusedVocabulary:
        """Choose the vocabulary from pooled texts; ``groups`` (prompt keys) count prompt spread."""
        groups = list(groups) if groups is not None else [str(i) for i in range(len(texts))]
        counts: Counter[str] = Counter()
        spread: dict[str, set[str]] = {}
        for text, group in zip(texts, groups):
            tokens = [w for w in words(text) if len(w) >= self.min_letters and w.isalpha()]
            counts.update(tokens)
            for token in set(tokens):
                spread.setdefault(token, set()).add(group)
        total = sum(counts.values()) or 1
        floor = 10 ** (self.floor_zipf - 9)
        scored = []
        for word, count in counts.items():
            if count < self.min_count or len(spread[word]) < self.min_prompts:
                continue
            ratio = (count / total) / english_frequency(word, floor)
            scored.append((np.log(ratio), word))
        scored.sort(key=lambda item: (-item[0], item[1]))
        chosen = scored[: self.n_words]
        self.vocabulary_ = {word: i for i, (_, word) in enumerate(chosen)}
        self.log_ratio_ = np.array([score for score, _ in chosen])
        # Only over-use counts: words used less than in general English get no weight.
        self.weights_ = np.clip(self.log_ratio_, 0.0, None)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Rows of log(1 + count) weighted by log over-use ratio, L2-normalised."""
        rows, cols, values = [], [], []
        for row, text in enumerate(texts):
            counted = Counter(w for w in words(text) if w in self.vocabulary_)
            for word, count in counted.items():
                column = self.vocabulary_[word]
                rows.append(row)
                cols.append(column)
                values.append(np.log1p(count) * self.weights_[column])
        matrix = sp.csr_matrix(
            (values, (rows, cols)), shape=(len(texts), len(self.vocabulary_)), dtype=float
        )
        return _l2_normalise(matrix)

    def fit_transform(self, texts: Sequence[str], groups: Sequence[str] | None = None) -> sp.csr_matrix:
        return self.fit(texts, groups).transform(texts)

    def get_feature_names_out(self) -> np.ndarray:
        names = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
        return np.array(names, dtype=object)


def _l2_normalise(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def log_odds_dirichlet(
    counts: np.ndarray, background: np.ndarray, *, prior_strength: float | None = None
) -> np.ndarray:
    """z-scores of log-odds ratios with an informative Dirichlet prior (Monroe et al. 2008).

    Parameters
    ----------
    counts
        Feature counts of the group of interest, shape (n_features,).
    background
        Feature counts of the comparison group (the rest), same shape.
    prior_strength
        Total pseudo-count of the prior, spread in proportion to the pooled counts. Defaults to
        the size of the smaller group, so the prior neither dominates nor vanishes.

    Returns
    -------
    numpy.ndarray
        One z-score per feature; large positive values are over-used by the group of interest.
    """
    counts = np.asarray(counts, dtype=float)
    background = np.asarray(background, dtype=float)
    pooled = counts + background
    n_group, n_rest = counts.sum(), background.sum()
    if prior_strength is None:
        prior_strength = max(min(n_group, n_rest), 1.0)
    alpha = prior_strength * pooled / max(pooled.sum(), 1.0)
    alpha = np.maximum(alpha, 1e-3)
    alpha0 = alpha.sum()
    # The "everything else" counts get the same floor as the prior: with a one-word vocabulary
    # they are 0, and log(0) made the z-scores infinite (and printed numpy's warning).
    log_odds_group = np.log(counts + alpha) - np.log(np.maximum(n_group + alpha0 - counts - alpha, 1e-3))
    log_odds_rest = np.log(background + alpha) - np.log(np.maximum(n_rest + alpha0 - background - alpha, 1e-3))
    variance = 1.0 / (counts + alpha) + 1.0 / (background + alpha)
    return (log_odds_group - log_odds_rest) / np.sqrt(variance)
