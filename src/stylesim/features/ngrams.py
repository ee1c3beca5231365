"""A fast n-gram vectorizer: integer-coded tokens, n-gram ids computed with numpy.

It follows scikit-learn's CountVectorizer/TfidfVectorizer shape (``fit``, ``transform``,
``get_feature_names_out``) but builds n-grams as integer arithmetic on token-id arrays rather
than joined strings, which is several times faster for word 1-3-grams and character 3-5-grams
on thousands of long answers. Weighting matches TfidfVectorizer(sublinear_tf=True,
smooth_idf=True, norm="l2").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from .text import words

Tokenizer = Callable[[str], Sequence[str]]
_INT64_LIMIT = 2**62


def word_tokens(text: str) -> Sequence[str]:
    return words(text)


def char_tokens(text: str) -> list[str]:
    """Characters of the lower-cased text with whitespace runs collapsed to one space."""
    return list(" ".join(text.lower().split()))


class NgramVectorizer:
    """Counts (optionally tf-idf) of token n-grams.

    Parameters
    ----------
    tokenizer
        Text -> tokens (``word_tokens``, ``char_tokens`` or any callable).
    ngram_range
        Smallest and largest n.
    min_df
        Keep n-grams that occur in at least this many texts.
    max_features
        Keep the most frequent n-grams (by total count) up to this many.
    weighting
        ``"tfidf"`` (sublinear tf, smoothed idf, L2 rows) or ``"count"``.
    joiner
        String placed between tokens in feature names ("" for characters).
    """

    def __init__(
        self,
        tokenizer: Tokenizer = word_tokens,
        *,
        ngram_range: tuple[int, int] = (1, 1),
        min_df: int = 1,
        max_features: int | None = None,
        weighting: str = "tfidf",
        joiner: str = " ",
    ) -> None:
        self.tokenizer = tokenizer
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.weighting = weighting
        self.joiner = joiner

    # -- encoding -----------------------------------------------------------------------------
    def _encode(self, texts: Sequence[str], grow: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct n-gram ids per text, with the text index and count of each."""
        low, high = self.ngram_range
        ids_per_text = self._char_codes(texts, grow) if self.tokenizer is char_tokens else []
        for text in texts if self.tokenizer is not char_tokens else ():
            tokens = self.tokenizer(text)
            vocabulary = self.tokens_
            if grow:
                # setdefault assigns the next id to a new token in one dictionary operation.
                ids = [vocabulary.setdefault(t, len(vocabulary) + 1) for t in tokens]
            else:
                ids = [vocabulary.get(t, 0) for t in tokens]
            ids_per_text.append(np.array(ids, dtype=np.int64))
        base = len(self.tokens_) + 1  # id 0 is reserved for unknown tokens
        if base ** high * (high + 1) >= _INT64_LIMIT:
            raise ValueError("token vocabulary too large for integer n-gram ids")
        grams, owners, counts = [], [], []
        for index, codes in enumerate(ids_per_text):
            per_text = []
            for n in range(low, high + 1):
                if codes.size < n:
                    continue
                gram = np.zeros(codes.size - n + 1, dtype=np.int64)
                valid = np.ones(codes.size - n + 1, dtype=bool)
                for k in range(n):
                    part = codes[k : codes.size - n + 1 + k]
                    gram = gram * base + part
                    valid &= part > 0
                per_text.append(gram[valid] + n * base**high)
            if not per_text:
                continue
            # Counting within each text first keeps the global sort small.
            unique, count = np.unique(np.concatenate(per_text), return_counts=True)
            grams.append(unique)
            counts.append(count)
            owners.append(np.full(unique.size, index, dtype=np.int64))
        if not grams:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty
        return np.concatenate(grams), np.concatenate(owners), np.concatenate(counts)

    def _char_codes(self, texts: Sequence[str], grow: bool) -> list[np.ndarray]:
        """Character ids via numpy on code points (the per-character dict lookup is too slow)."""
        points = [
            np.frombuffer(" ".join(t.lower().split()).encode("utf-32-le"), dtype=np.uint32)
            for t in texts
        ]
        if grow:
            alphabet = np.unique(np.concatenate(points)) if points else np.zeros(0, np.uint32)
            self.tokens_ = {chr(c): i + 1 for i, c in enumerate(alphabet.tolist())}
        known = np.array(sorted(ord(c) for c in self.tokens_), dtype=np.uint32)
        out = []
        for p in points:
            position = np.clip(np.searchsorted(known, p), 0, max(known.size - 1, 0))
            hit = known[position] == p if known.size else np.zeros(p.size, bool)
            out.append(np.where(hit, position + 1, 0).astype(np.int64))
        return out

    # -- scikit-learn-like API ------------------------------------------------------------------
    def fit(self, texts: Sequence[str], y: object = None) -> NgramVectorizer:
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Sequence[str], y: object = None) -> sp.csr_matrix:
        self.tokens_: dict[str, int] = {}
        grams, owners, occurrences = self._encode(texts, grow=True)
        if grams.size == 0:
            raise ValueError("empty vocabulary: no n-grams in these texts")
        unique, inverse = np.unique(grams, return_inverse=True)
        counts = _count_matrix(owners, inverse, occurrences, len(texts), unique.size)
        document_frequency = np.diff(counts.tocsc().indptr)
        keep = np.flatnonzero(document_frequency >= self.min_df)
        if self.max_features is not None and keep.size > self.max_features:
            totals = np.asarray(counts[:, keep].sum(axis=0)).ravel()
            order = np.lexsort((unique[keep], -totals))[: self.max_features]
            keep = np.sort(keep[order])
        if keep.size == 0:
            raise ValueError("empty vocabulary: no n-gram reaches min_df")
        self.gram_ids_ = unique[keep]
        counts = counts[:, keep].tocsr()
        n_texts = len(texts)
        self.idf_ = np.log((1 + n_texts) / (1 + document_frequency[keep])) + 1.0
        return self._weight(counts)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        grams, owners, occurrences = self._encode(texts, grow=False)
        columns = np.searchsorted(self.gram_ids_, grams)
        columns = np.clip(columns, 0, self.gram_ids_.size - 1)
        hit = self.gram_ids_[columns] == grams
        counts = _count_matrix(
            owners[hit], columns[hit], occurrences[hit], len(texts), self.gram_ids_.size
        )
        return self._weight(counts)

    def _weight(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        if self.weighting == "count":
            return counts
        weighted = counts.astype(np.float64)
        weighted.data = 1.0 + np.log(weighted.data)
        weighted = weighted @ sp.diags(self.idf_)
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ weighted)

    def get_feature_names_out(self) -> np.ndarray:
        vocabulary = {v: k for k, v in self.tokens_.items()}
        base = len(self.tokens_) + 1
        high = self.ngram_range[1]
        names = []
        for gram in self.gram_ids_.tolist():
            n, rest = divmod(gram, base**high)
            parts = []
            for _ in range(n):
                rest, code = divmod(rest, base)
                parts.append(vocabulary.get(code, "?"))
            names.append(self.joiner.join(reversed(parts)))
        return np.array(names, dtype=object)


def _count_matrix(
    rows: np.ndarray, columns: np.ndarray, values: np.ndarray, n_rows: int, n_columns: int
) -> sp.csr_matrix:
    """CSR from (row, column, count) triples whose (row, column) pairs are already distinct."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.add.at(indptr, rows + 1, 1)
    np.cumsum(indptr, out=indptr)
    # Rows arrive grouped and in order, so the triples are already in CSR order.
    return sp.csr_matrix((values.astype(np.int64), columns, indptr), shape=(n_rows, n_columns))
