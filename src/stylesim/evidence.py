"""Evidence a reader can inspect: distinctive phrases in context, formatting habits, openers and
closers, and Delta distances. Texts in, plain JSON-ready structures out."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from .features import overused, phrasing, stylometry
from .features.ngrams import NgramVectorizer, word_tokens
from .features.text import FUNCTION_WORDS, sentences, words

KWIC_WIDTH = 70


def _phrase_counts(texts_by_model: Sequence[Sequence[str]]):
    vectorizer = NgramVectorizer(word_tokens, ngram_range=(1, 3), min_df=3, weighting="count")
    pooled = [t for texts in texts_by_model for t in texts]
    try:
        matrix = vectorizer.fit_transform(pooled)
    except ValueError:
        return None, None
    counts = []
    start = 0
    for texts in texts_by_model:
        counts.append(np.asarray(matrix[start : start + len(texts)].sum(axis=0)).ravel())
        start += len(texts)
    return vectorizer.get_feature_names_out(), np.vstack(counts)


def _informative(phrase: str) -> bool:
    tokens = phrase.split()
    return not all(t in FUNCTION_WORDS for t in tokens) and not any("modelname" in t for t in tokens)


def merge_overlapping(candidates: Sequence[int], names: Sequence[str], top: int) -> list[int]:
    """The best-first ``candidates`` (indices into ``names``) without repeats of one phrase: a
    phrase inside an already listed longer one is dropped, and a longer phrase takes the place of
    the listed parts it contains ("the heart", "heart of", "the heart of" -> "the heart of")."""
    chosen: list[int] = []
    for index in candidates:
        phrase = f" {names[index]} "
        if any(phrase in f" {names[j]} " for j in chosen):
            continue
        inside = [j for j in chosen if f" {names[j]} " in phrase]
        if inside:
            position = chosen.index(inside[0])
            chosen = [j for j in chosen if j not in inside]
            chosen.insert(position, index)
        else:
            chosen.append(index)
        if len(chosen) >= top:
            break
    return chosen


def keyword_in_context(
    phrase: str, texts: Sequence[tuple[str, str]], limit: int = 2, lowered: Sequence[str] | None = None
) -> list[dict[str, str]]:
    """Up to ``limit`` snippets around ``phrase`` from ``(prompt_id, text)`` pairs.

    ``lowered`` (the texts lower-cased, same order) lets a plain substring test skip texts that
    cannot match before the regular expression runs.
    """
    # Phrase names fold typographic apostrophes to ASCII (text.words); match either spelling.
    parts = [re.escape(p).replace("'", "['’]") for p in phrase.split()]
    pattern = re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)", re.IGNORECASE)
    first = phrase.split()[0].lower() if phrase.split() else ""
    spellings = {first, first.replace("'", "’")}
    out = []
    for index, (prompt_id, text) in enumerate(texts):
        if lowered is not None and not any(s in lowered[index] for s in spellings):
            continue
        match = pattern.search(text)
        if match:
            left = text[max(0, match.start() - KWIC_WIDTH) : match.start()]
            right = text[match.end() : match.end() + KWIC_WIDTH]
            out.append({"prompt_id": prompt_id, "left": left.replace("\n", " "),
                        "match": match.group(0), "right": right.replace("\n", " ")})
            if len(out) >= limit:
                break
    return out


def distinctive_phrases(
    texts_a: Sequence[tuple[str, str]],
    texts_b: Sequence[tuple[str, str]],
    panel_texts: Sequence[Sequence[str]],
    *,
    top: int = 25,
) -> dict[str, object]:
    """Phrases A and B both over-use, and those each over-uses alone.

    With a panel the background is the panel's pooled counts (log-odds with an informative
    Dirichlet prior). Without one, shared phrases are words both over-use against general
    English (wordfreq), and each model's own phrases are log-odds of A against B.
    """
    only_a = [t for _, t in texts_a]
    only_b = [t for _, t in texts_b]
    groups = [only_a, only_b, *panel_texts]
    names, counts = _phrase_counts(groups)
    lower_a = [t.lower() for t in only_a]
    lower_b = [t.lower() for t in only_b]
    result: dict[str, object] = {"shared": [], "a_only": [], "b_only": []}
    if names is None:
        return {**result, "background": "none"}
    keep = np.array([_informative(p) for p in names])
    count_a, count_b = counts[0], counts[1]
    z_a_vs_b = overused.log_odds_dirichlet(count_a, count_b)
    if panel_texts:
        background = counts[2:].sum(axis=0)
        z_a = overused.log_odds_dirichlet(count_a, background)
        z_b = overused.log_odds_dirichlet(count_b, background)
        shared_score = np.minimum(z_a, z_b)
        result["background"] = f"pooled outputs of {len(panel_texts)} panel model{'' if len(panel_texts) == 1 else 's'}"
    else:
        floor = 10 ** (overused.DEFAULT_FLOOR_ZIPF - 9)
        total_a, total_b = max(len(words(" ".join(only_a))), 1), max(len(words(" ".join(only_b))), 1)
        z_a = np.full(len(names), np.nan)
        z_b = np.full(len(names), np.nan)
        for i, phrase in enumerate(names):
            if keep[i] and " " not in phrase and len(phrase) >= 3 and count_a[i] >= 3 and count_b[i] >= 3:
                reference = overused.english_frequency(phrase, floor)
                z_a[i] = np.log((count_a[i] / total_a) / reference)
                z_b[i] = np.log((count_b[i] / total_b) / reference)
        shared_score = np.minimum(z_a, z_b)
        result["background"] = "general English word frequencies (wordfreq)"
    score_key = "log_odds_z" if panel_texts else "log_overuse"

    def entry(i: int, score_a: float, score_b: float) -> dict[str, object]:
        phrase = str(names[i])
        return {
            "phrase": phrase,
            "count_a": int(count_a[i]),
            "count_b": int(count_b[i]),
            f"{score_key}_a": round(float(score_a), 3),
            f"{score_key}_b": round(float(score_b), 3),
            "kwic_a": keyword_in_context(phrase, texts_a, lowered=lower_a),
            "kwic_b": keyword_in_context(phrase, texts_b, lowered=lower_b),
        }

    finite = np.isfinite(shared_score) & keep & (count_a > 0) & (count_b > 0)
    threshold = 1.96 if panel_texts else np.log(2.0)
    order = np.argsort(-np.where(finite, shared_score, -np.inf), kind="stable")
    listed = merge_overlapping([i for i in order if finite[i] and shared_score[i] > threshold], names, top)
    result["shared"] = [entry(i, z_a[i], z_b[i]) for i in listed]
    for key, sign in (("a_only", 1.0), ("b_only", -1.0)):
        signed = sign * z_a_vs_b
        ok = keep & np.isfinite(signed) & (signed > 1.96)
        order = np.argsort(-np.where(ok, signed, -np.inf), kind="stable")
        result[key] = [
            {"phrase": str(names[i]), "count_a": int(count_a[i]), "count_b": int(count_b[i]),
             "log_odds_z": round(float(signed[i]), 3),
             "kwic": keyword_in_context(str(names[i]), texts_a if sign > 0 else texts_b,
                                        lowered=lower_a if sign > 0 else lower_b)}
            for i in merge_overlapping([i for i in order if ok[i]], names, top)
        ]
    return result


def formatting_table(model_means: Sequence[np.ndarray]) -> list[dict[str, object]]:
    """Mean phrasing-pattern rates per model: one row per feature, one value per model."""
    rows = []
    per_answer = {"mean sentence length", "sentence length spread", "log length (words)"}
    for column, name in enumerate(phrasing.FEATURE_NAMES):
        values = [float(m[column]) for m in model_means]
        if name.startswith(("opens:", "closes:")):
            kind = "share of answers"
        elif name in per_answer:
            kind = "per answer"
        else:
            kind = "per 1k words"
        rows.append({"feature": name, "unit": kind, "values": [round(v, 3) for v in values]})
    return rows


def _shape(sentence: str, n: int, from_end: bool = False) -> str:
    tokens = words(sentence)
    if not tokens:
        return "(no words)"
    return " ".join(tokens[-n:] if from_end else tokens[:n])


def openers_and_closers(texts: Sequence[str], *, top: int = 8, n_words: int = 3) -> dict[str, object]:
    """The most frequent first words of the first sentence and last words of the last one."""
    openers: Counter[str] = Counter()
    closers: Counter[str] = Counter()
    for text in texts:
        parts = sentences(text)
        if parts:
            openers[_shape(parts[0], n_words)] += 1
            closers[_shape(parts[-1], n_words, from_end=True)] += 1
    total = max(len(texts), 1)
    return {
        "openers": [{"text": t, "count": c, "share": round(c / total, 3)} for t, c in openers.most_common(top)],
        "closers": [{"text": t, "count": c, "share": round(c / total, 3)} for t, c in closers.most_common(top)],
    }


def delta_distances(
    texts_by_model: Sequence[Sequence[str]], sizes: Sequence[int] = (50, 100, 200, 500)
) -> list[dict[str, object]]:
    """Burrows' Delta and Cosine Delta from model 0 to each other model at several MFW sizes.

    Profiles are each model's pooled relative frequencies, standardised against general English
    (wordfreq) and the spread across texts, as in :class:`FunctionWordProfile`.
    """
    # Every text is tokenised once: its counts fit the vocabulary, and their sums per model are
    # the models' pooled profiles.
    counts = [[Counter(words(t)) for t in texts] for texts in texts_by_model]
    rows = []
    largest = stylometry.FunctionWordProfile(n_words=max(sizes)).fit_counts([c for model in counts for c in model])
    pooled = []
    for model in counts:
        total: Counter[str] = Counter()
        for count in model:
            total.update(count)
        pooled.append(total)
    # One frequency profile per model at the largest size; smaller sizes are prefixes of it (the
    # vocabulary is ranked).
    full = largest.transform_counts(pooled)
    kept: set[int] = set()
    for size in sizes:
        keep = len(largest.prefix(size).vocabulary_)
        # Too few words, or capped at the same vocabulary as a smaller size (a repeated column).
        if keep < min(size, 10) or keep in kept:
            continue
        kept.add(keep)
        model_profiles = full[:, :keep]
        rows.append({
            "n_words": keep,
            "burrows": [round(stylometry.burrows_delta(model_profiles[0], p), 4) for p in model_profiles[1:]],
            "cosine": [round(stylometry.cosine_delta(model_profiles[0], p), 4) for p in model_profiles[1:]],
        })
    return rows
