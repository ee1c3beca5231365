"""Backgrounds that n-gram over-use is measured against.

* ``human``: a published human writing profile (slop-forensics' ``human_slop_profile.json``:
  ``top_bigrams`` / ``top_trigrams`` as ``{ngram, frequency}`` lists, with ``num_texts_analyzed``
  and ``avg_length``). Only the most frequent human n-grams are listed, so an n-gram missing
  from the list is rarer in human writing than the least frequent listed one: it is treated as
  infinitely over-used (and ranked among such n-grams by its count).
* ``pooled``: computed offline from the inputs themselves and blind to any labels: for each
  model, the n-gram counts of all the *other* input models pooled, with a pseudo-count of 0.5.
  Used when no human profile is given (stylesim downloads nothing and has no hidden data path).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..result import read_json_file
from . import tokens
from .profile import ModelProfile, english_frequency


@dataclass
class HumanProfile:
    """n-gram counts of a human writing profile and the characters they were counted over."""

    path: str
    name: str
    texts: int
    chars: float
    ngrams: dict[int, dict[str, int]]

    def describe(self) -> dict[str, object]:
        return {
            "kind": "human",
            "path": self.path,
            "profile": self.name,
            "texts": self.texts,
            "characters": round(self.chars),
            "bigrams_listed": len(self.ngrams[2]),
            "trigrams_listed": len(self.ngrams[3]),
            "description": (
                "n-grams ranked by over-use against a published human writing profile: "
                "(model count / model characters) / (human count / human characters); n-grams the "
                "profile does not list count as infinitely over-used and are ranked by count"
            ),
        }


def load_human_profile(path: str | Path) -> HumanProfile:
    """Read a human n-gram profile; raise :class:`InputError` naming the file when it is unusable."""
    path = Path(path)
    data = read_json_file(path)
    if isinstance(data, dict) and "top_bigrams" not in data and len(data) == 1:
        data = next(iter(data.values()))
    if not isinstance(data, dict) or not isinstance(data.get("top_bigrams"), list):
        raise InputError(path, "not a human n-gram profile (no 'top_bigrams' list)")
    try:
        texts = int(data["num_texts_analyzed"])
        chars = float(texts * float(data["avg_length"]))
    except (KeyError, TypeError, ValueError, OverflowError):
        raise InputError(path, "the profile lacks a usable 'num_texts_analyzed' and 'avg_length'") from None
    if not math.isfinite(chars) or chars <= 0:
        raise InputError(path, "the profile counts no characters" if chars <= 0 else
                         "'num_texts_analyzed' times 'avg_length' is not a finite number")
    grams = {n: _listed(data.get(key) or [], n, path) for n, key in ((2, "top_bigrams"), (3, "top_trigrams"))}
    return HumanProfile(str(path), str(data.get("model_name", "human")), texts, chars, grams)


def _listed(entries: list, n: int, path: Path) -> dict[str, int]:
    """Profile n-grams re-tokenised the way model n-grams are (so keys compare equal)."""
    out: dict[str, int] = {}
    for entry in entries:
        if not isinstance(entry, dict) or "ngram" not in entry or "frequency" not in entry:
            raise InputError(path, "each n-gram entry needs 'ngram' and 'frequency'")
        frequency = entry["frequency"]
        whole = isinstance(frequency, int) or (isinstance(frequency, float) and frequency.is_integer())
        if isinstance(frequency, bool) or not whole or frequency < 0:
            raise InputError(path, f"n-gram {str(entry['ngram'])[:40]!r}: 'frequency' must be a whole number "
                                   f"of at least 0, not {str(frequency)[:40]}")
        stream = tokens.ngram_tokens(tokens.normalize(str(entry["ngram"])))
        if len(stream) == n:
            key = " ".join(stream)
            out[key] = out.get(key, 0) + int(frequency)
    return out


def attach_human(profiles: Sequence[ModelProfile], human: HumanProfile) -> None:
    """Give each profile the human counts of its candidate n-grams (and the smoothed variant)."""
    scale = {n: _association(human, n) for n in (2, 3)}
    for profile in profiles:
        for n in (2, 3):
            vocab = (profile.bigrams if n == 2 else profile.trigrams).vocab
            counts = np.array([human.ngrams[n].get(g, 0) for g in vocab], dtype=float)
            profile.background[n] = counts
            estimate = np.array([scale[n] * _product(g) for g in vocab])
            profile.smoothed[n] = np.where(counts > 0, counts / human.chars, np.maximum(estimate, 1e-15))
        profile.background_chars = human.chars
        profile.background_kind = "human"


def _product(gram: str) -> float:
    out = 1.0
    for word in gram.split():
        out *= english_frequency(word)
    return out


def _association(human: HumanProfile, n: int) -> float:
    """Median of (human rate per character) / (product of wordfreq frequencies) over listed n-grams.

    Scales the independence estimate given to n-grams the profile does not list (sensitivity
    variant only).
    """
    ratios = [(count / human.chars) / p for gram, count in human.ngrams[n].items() if (p := _product(gram)) > 0]
    return float(np.median(ratios)) if ratios else 1.0


def attach_pooled(profiles: Sequence[ModelProfile], *, as_background: bool = True) -> None:
    """Leave-one-out pooled counts: every other input model's counts added together.

    Counts come from the full token streams (not only the n-grams a model used in three or
    more prompts), for every n-gram that is a candidate for some model. With ``as_background``
    they become the ranking background; otherwise they are kept for the sensitivity table.
    """
    chars_total = float(sum(p.chars.sum() for p in profiles))
    for n in (2, 3):
        tables = [p.bigrams if n == 2 else p.trigrams for p in profiles]
        pooled: dict[str, int] = dict.fromkeys(set().union(*(t.vocab for t in tables)), 0)
        per_model: list[dict[str, int]] = []
        for profile in profiles:
            counts: dict[str, int] = {}
            for stream in profile.streams or []:
                for gram in tokens.ngrams(stream, n):
                    if gram in pooled:
                        counts[gram] = counts.get(gram, 0) + 1
            for gram, count in counts.items():
                pooled[gram] += count
            per_model.append(counts)
        for profile, table, own in zip(profiles, tables, per_model):
            profile.pooled[n] = np.array([pooled[g] - own.get(g, 0) for g in table.vocab], dtype=float)
    for profile in profiles:
        profile.pooled_chars = max(chars_total - float(profile.chars.sum()), 1.0)
        profile.streams = None
        if as_background:
            profile.background = dict(profile.pooled)
            profile.background_chars = profile.pooled_chars
            profile.background_kind = "pooled"


def describe_pooled(n_models: int) -> dict[str, object]:
    return {
        "kind": "pooled",
        "path": None,
        "models": n_models,
        "description": (
            "no human profile was given: n-grams ranked by over-use against the other input models "
            "pooled (leave-one-out, pseudo-count 0.5), a background computed offline and blind to "
            "labels; the published figure used a human writing profile instead"
        ),
    }


def describe_none() -> dict[str, object]:
    return {
        "kind": "frequency",
        "path": None,
        "description": "no background: n-grams ranked by count (one model and no human profile)",
    }
