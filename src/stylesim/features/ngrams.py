"""A fast n-gram vectorizer: integer-coded tokens, n-gram ids computed with numpy.

It follows scikit-learn's CountVectorizer/TfidfVectorizer shape (``fit``, ``transform``,
``get_feature_names_out``) but builds n-grams as integer arithmetic on token-id arrays rather
than joined strings, which is several times faster for word 1-3-grams and character 3-5-grams
on thousands of long answers. Weighting matches TfidfVectorizer(sublinear_tf=True,
smooth_idf=True, norm="l2").
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from .text import words

Tokenizer = Callable[[str], Sequence[str]]
_INT64_LIMIT = 2**62
CHUNK = 1000  # texts per counting pass
# Texts whose n-grams are counted with one sort (measured faster than larger or smaller batches).
GRAM_BATCH = 128
# A batch's (text, n-gram) keys are packed into one integer below this (fewer texts where needed).
PACK_LIMIT = _INT64_LIMIT
# The fitting pass keeps its per-chunk n-gram ids for the matrix pass while they total at most
# this many entries (16 bytes each); beyond it they are recomputed, to bound memory.
REUSE_ENTRIES = 12_000_000


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
    def _token_ids(self, texts: Sequence[str], grow: bool) -> list[np.ndarray]:
        """Token-id arrays (0 = unknown), growing the token vocabulary when ``grow``."""
        if self.tokenizer is char_tokens:
            return self._char_codes(texts, grow)
        out = []
        if grow:
            # A new token gets the next id (1, 2, ... in order of first appearance) from the
            # dictionary's own __missing__, so the lookup runs in C (map) rather than a loop.
            growing: defaultdict[str, int] = defaultdict(itertools.count(1).__next__)
            growing.update(self.tokens_)
            lookup = growing.__getitem__
            for text in texts:
                tokens = self.tokenizer(text)
                if not isinstance(tokens, (list, tuple)):
                    tokens = list(tokens)  # any iterable, as the tokenizer's contract allows
                out.append(np.fromiter(map(lookup, tokens), dtype=np.int32, count=len(tokens)))
            self.tokens_ = dict(growing)
            return out
        vocabulary = self.tokens_
        for text in texts:
            out.append(np.array([vocabulary.get(t, 0) for t in self.tokenizer(text)], dtype=np.int32))
        return out

    def _grams(self, ids_per_text: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct n-gram ids per text, with the (chunk-relative) text index and count of each.

        Texts are counted a batch at a time with one sort of (text, n-gram) keys packed into one
        integer, several times faster than one ``np.unique`` per text for word-length texts. A
        batch holds ``GRAM_BATCH`` texts, or fewer where the n-gram ids are large (big
        vocabularies, or alphabets such as Chinese), so the keys always fit in 64 bits. The
        result: per text in order, its n-gram ids ascending.
        """
        span = (self.ngram_range[1] + 1) * self.base_ ** self.ngram_range[1]  # every n-gram id is below this
        batch = max(1, min(GRAM_BATCH, PACK_LIMIT // span))
        parts = [self._batch_grams(ids_per_text[start : start + batch], start, span)
                 for start in range(0, len(ids_per_text), batch)]
        parts = [part for part in parts if part[0].size]
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32)
        return tuple(np.concatenate([part[i] for part in parts]) for i in range(3))  # type: ignore[return-value]

    def _batch_grams(self, ids_per_text: Sequence[np.ndarray], offset: int,
                     span: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        low, high = self.ngram_range
        base = self.base_
        lengths = np.fromiter((codes.size for codes in ids_per_text), dtype=np.int64, count=len(ids_per_text))
        # Every text's ids in one array with a 0 (the unknown id) after each, so that no n-gram
        # spans two texts: an n-gram holding an unknown id is dropped, as within one text.
        codes = np.zeros(int(lengths.sum()) + len(ids_per_text), dtype=np.int64)
        filled = np.ones(codes.size, dtype=bool)
        filled[np.cumsum(lengths + 1) - 1] = False
        if codes.size > len(ids_per_text):
            codes[filled] = np.concatenate(ids_per_text)
        owner = np.repeat(np.arange(len(ids_per_text), dtype=np.int64), lengths + 1)
        keys = []
        for n in range(low, high + 1):
            size = codes.size - n + 1
            if size <= 0:
                continue
            gram = np.zeros(size, dtype=np.int64)
            valid = np.ones(size, dtype=bool)
            for k in range(n):
                part = codes[k : k + size]
                gram = gram * base + part
                valid &= part > 0
            keys.append(owner[:size][valid] * span + gram[valid] + n * base**high)
        key = np.concatenate(keys) if keys else np.zeros(0, np.int64)
        if key.size == 0:
            return key, np.zeros(0, np.int32), np.zeros(0, np.int32)
        key.sort()
        first = np.ones(key.size, dtype=bool)
        first[1:] = key[1:] != key[:-1]
        starts = np.flatnonzero(first)
        counts = np.diff(np.append(starts, key.size)).astype(np.int32)
        key = key[starts]
        return key % span, (key // span + offset).astype(np.int32), counts

    def _char_codes(self, texts: Sequence[str], grow: bool) -> list[np.ndarray]:
        """Character ids via numpy on code points (the per-character dict lookup is too slow).

        One text's code points at a time, and ids as 16-bit integers where the alphabet allows:
        for 160,000 answers the ids are the largest thing held besides the result. When fitting,
        each text's code points are therefore made twice (alphabet, then ids) rather than held."""

        def points(text: str) -> np.ndarray:
            return np.frombuffer(" ".join(text.lower().split()).encode("utf-32-le"), dtype=np.uint32)

        if grow:
            seen: set[str] = set()
            for t in texts:
                seen.update(" ".join(t.lower().split()))
            self.tokens_ = {c: i + 1 for i, c in enumerate(sorted(seen, key=ord))}
        known = np.array(sorted(ord(c) for c in self.tokens_), dtype=np.uint32)
        dtype = np.uint16 if known.size < 2**16 - 1 else np.int32
        # A code point's id by table lookup (0 = not in the alphabet); the table spans the
        # largest known code point, at most 1.1 million entries.
        table = np.zeros(int(known.max()) + 2 if known.size else 1, dtype=dtype)
        table[known] = np.arange(1, known.size + 1)
        beyond = table.size - 1  # an unknown code point above every known one maps here (id 0)
        out = []
        for t in texts:
            p = points(t)
            out.append(table[np.minimum(p, beyond)])
        return out

    # -- scikit-learn-like API ------------------------------------------------------------------
    def fit(self, texts: Sequence[str], y: object = None) -> NgramVectorizer:
        """Learn the vocabulary and idf from ``texts`` (no matrix is built)."""
        self._fit(texts, keep_ids=False)
        return self

    def fit_transform(self, texts: Sequence[str], y: object = None) -> sp.csr_matrix:
        """Learn the vocabulary and idf from ``texts`` and return their weighted counts.

        Texts are tokenised once; n-grams are counted in chunks of ``CHUNK`` texts (document
        frequencies first, the matrix second), so memory stays near the size of the result.
        """
        ids, kept = self._fit(texts, keep_ids=True)
        return self._matrix(ids, kept)

    def _fit(self, texts: Sequence[str], *, keep_ids: bool) -> tuple[list[np.ndarray], list | None]:
        self.tokens_: dict[str, int] = {}
        ids = self._token_ids(texts, grow=True)
        if self.tokenizer is not char_tokens and self.tokens_:
            # Number tokens in sorted order, not by first appearance, so n-gram ids (and the ties
            # at the max_features cut, broken by id) do not depend on the order of the texts.
            remap = np.zeros(len(self.tokens_) + 1, dtype=np.int32)
            ordered = sorted(self.tokens_)
            for new_id, token in enumerate(ordered, start=1):
                remap[self.tokens_[token]] = new_id
            self.tokens_ = {token: new_id for new_id, token in enumerate(ordered, start=1)}
            ids = [remap[codes] for codes in ids]
        self.base_ = len(self.tokens_) + 1  # id 0 is reserved for unknown tokens
        if self.base_ ** self.ngram_range[1] * (self.ngram_range[1] + 1) >= _INT64_LIMIT:
            raise ValueError("token vocabulary too large for integer n-gram ids")
        unique = np.zeros(0, np.int64)
        frequency = np.zeros(0, np.int64)
        totals = np.zeros(0, np.int64)
        # Chunks' counts wait here until they outnumber the merged ones, then merge in one sort:
        # merging every chunk into the growing total would sort it once per chunk.
        pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        pending_size = 0
        # Keep each chunk's n-grams for the matrix pass only when all of them are known to fit
        # (an upper bound from the token counts), so large inputs never hold them.
        low, high = self.ngram_range
        bound = sum(max(len(c) - low + 1, 0) for c in ids) * (high - low + 1)
        kept: list | None = [] if keep_ids and bound <= REUSE_ENTRIES else None
        for start in range(0, len(ids), CHUNK):
            grams, owners, counts = self._grams(ids[start : start + CHUNK])
            if kept is not None:
                kept.append((grams, owners, counts))
            pending.append(_chunk_counts(grams, counts))
            chunk_unique = pending[-1][0]
            pending_size += chunk_unique.size
            if pending_size >= unique.size:
                unique, frequency, totals = _merge([(unique, frequency, totals), *pending])
                pending, pending_size = [], 0
        if pending:
            unique, frequency, totals = _merge([(unique, frequency, totals), *pending])
        if unique.size == 0:
            raise ValueError("empty vocabulary: no n-grams in these texts")
        keep = np.flatnonzero(frequency >= self.min_df)
        if self.max_features is not None and keep.size > self.max_features:
            order = np.lexsort((unique[keep], -totals[keep]))[: self.max_features]
            keep = np.sort(keep[order])
        if keep.size == 0:
            raise ValueError("empty vocabulary: no n-gram reaches min_df")
        self.gram_ids_ = unique[keep]
        self.idf_ = np.log((1 + len(texts)) / (1 + frequency[keep])) + 1.0
        return ids, kept

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self._matrix(self._token_ids(texts, grow=False))

    def _matrix(
        self,
        ids: Sequence[np.ndarray],
        counted: list | None = None,
    ) -> sp.csr_matrix:
        """The weighted matrix, built chunk by chunk into buffers sized by an upper bound.

        The buffers are allocated untouched (np.empty), so only the entries written take memory:
        the peak is the result plus one chunk, never the result twice. ``counted`` holds each
        chunk's ``_grams`` output when the fitting pass kept it.
        """
        low, high = self.ngram_range
        capacity = sum(max(len(c) - low + 1, 0) for c in ids) * (high - low + 1)
        data = np.empty(capacity, dtype=np.float32)
        indices = np.empty(capacity, dtype=np.int32)
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        at = 0
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            if counted:
                grams, owners, occurrences = counted[start // CHUNK]
                counted[start // CHUNK] = None  # freed as the matrix grows
            else:
                grams, owners, occurrences = self._grams(chunk)
            columns = np.searchsorted(self.gram_ids_, grams)
            columns = np.clip(columns, 0, self.gram_ids_.size - 1)
            hit = self.gram_ids_[columns] == grams
            piece = self._weight(_count_matrix(owners[hit], columns[hit], occurrences[hit], len(chunk), self.gram_ids_.size))
            data[at : at + piece.nnz] = piece.data
            indices[at : at + piece.nnz] = piece.indices
            indptr[start + 1 : start + 1 + len(chunk)] = piece.indptr[1:] + at
            at += piece.nnz
            del piece, grams, owners, occurrences, columns, hit
        matrix = sp.csr_matrix((len(ids), self.gram_ids_.size), dtype=np.float32)
        # Assigned directly: the constructor would copy the (untouched, oversized) buffers.
        matrix.data, matrix.indices, matrix.indptr = data[:at], indices[:at], indptr
        return matrix

    def _weight(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        if self.weighting == "count":
            return counts
        # float32 halves the memory of the largest matrices (character n-grams of many texts);
        # products are accumulated in float64 downstream.
        weighted = counts.astype(np.float32)
        weighted.data = 1.0 + np.log(weighted.data)
        weighted.data *= self.idf_.astype(np.float32)[weighted.indices]
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1), dtype=np.float64).ravel())
        norms[norms == 0] = 1.0
        weighted.data *= np.repeat(1.0 / norms, np.diff(weighted.indptr)).astype(np.float32)
        return weighted

    def get_feature_names_out(self) -> np.ndarray:
        vocabulary = {v: k for k, v in self.tokens_.items()}
        base = self.base_
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


def _chunk_counts(grams: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct n-grams of a chunk with their document frequency and total count.

    ``grams`` holds each text's distinct n-grams (so a gram's entries are its documents) and
    ``counts`` their counts. A plain sort gives the distinct grams and their frequencies (about
    twice as fast as ``np.unique`` with an inverse); only the entries counted more than once add
    to the totals beyond the frequency. Integer sums, so the totals are exact as before."""
    ordered = np.sort(grams)
    first = np.ones(ordered.size, dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    unique = ordered[starts]
    frequency = np.diff(np.append(starts, ordered.size))
    repeated = counts > 1
    extra = np.bincount(np.searchsorted(unique, grams[repeated]), weights=counts[repeated] - 1.0,
                        minlength=unique.size)
    return unique, frequency, frequency + extra


def _merge(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of id arrays (each with per-id frequencies and totals), the counts added up."""
    ids = np.concatenate([part[0] for part in parts])
    merged, inverse = np.unique(ids, return_inverse=True)
    frequency = np.bincount(inverse, weights=np.concatenate([part[1] for part in parts]), minlength=merged.size)
    totals = np.bincount(inverse, weights=np.concatenate([part[2] for part in parts]), minlength=merged.size)
    return merged, frequency.astype(np.int64), totals.astype(np.int64)


def _count_matrix(
    rows: np.ndarray, columns: np.ndarray, values: np.ndarray, n_rows: int, n_columns: int
) -> sp.csr_matrix:
    """CSR from (row, column, count) triples whose (row, column) pairs are already distinct."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    indptr[1:] = np.bincount(rows, minlength=n_rows)
    np.cumsum(indptr, out=indptr)
    # Rows arrive grouped and in order, so the triples are already in CSR order.
    return sp.csr_matrix((values.astype(np.int32), columns.astype(np.int32), indptr), shape=(n_rows, n_columns))
