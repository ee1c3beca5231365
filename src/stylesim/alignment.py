"""Aligning corpora by prompt: the prompts every model answered, matched by id or by prompt text."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .corpus import Corpus, Output, normalise_prompt
from .errors import AlignmentError, ConfigurationError
from .units import prompt_units

log = logging.getLogger(__name__)

# The fewest prompts in common any analysis accepts, whatever --min-prompts says (five folds).
MIN_PROMPTS_FLOOR = 5

# Where the threshold can be changed (reproduce has no such option).
MIN_PROMPTS_HINT = " (compare, attribute and matrix change this with --min-prompts)"


@dataclass
class Alignment:
    """Prompts shared by several corpora.

    ``keys`` are the aligned prompt keys; ``outputs[m][i]`` lists corpus ``m``'s outputs for key
    ``i`` (one per sample). ``by`` says whether ids or normalised prompt texts were matched.
    """

    corpora: list[Corpus]
    keys: list[str]
    outputs: list[list[list[Output]]]
    prompts: list[str | None]
    by: str
    dropped: dict[str, int]

    @property
    def n_prompts(self) -> int:
        return len(self.keys)

    @cached_property
    def prompt_groups(self) -> np.ndarray | None:
        """The resampling unit of each aligned prompt, numbered 0..G-1 in order of first
        appearance; None when every prompt is its own unit (see :mod:`stylesim.units`)."""
        return prompt_units(self.outputs, [c.name for c in self.corpora])

    def shortfall(self, n_focus: int, *, keep: float = 0.9) -> dict[str, object] | None:
        """When the other models (panel, base) cut the prompts the first ``n_focus`` models share
        to fewer than ``keep`` of them: ``{shared_by_focus, matched, lacking: [{name, missing}]}``,
        the models that lack some of those prompts, most first (ties by name); else None."""
        if len(self.corpora) <= n_focus:
            return None
        # Prompts each model has an answer to (an answer dropped as empty does not count).
        answered = [c.by_prompt() for c in self.corpora]
        if self.by == "prompt id":
            sets = [set(ids) for ids in answered]
        else:
            sets = [{normalise_prompt(p) for pid in ids if (p := c.prompts.get(pid)) is not None}
                    for c, ids in zip(self.corpora, answered)]
        shared = set.intersection(*sets[:n_focus])
        if self.n_prompts >= keep * len(shared):
            return None
        lacking = sorted(((len(shared - sets[m]), self.corpora[m].name) for m in range(n_focus, len(self.corpora))),
                         key=lambda item: (-item[0], item[1]))
        lacking = [{"name": name, "missing": missing} for missing, name in lacking if missing]
        if not lacking:  # the cut is not the other models' (e.g. text and id alignment differ)
            return None
        return {"shared_by_focus": len(shared), "matched": self.n_prompts, "lacking": lacking}

    @property
    def n_units(self) -> int:
        """How many resampling units (prompt groups) the aligned prompts make."""
        return int(self.prompt_groups.max()) + 1 if self.prompt_groups is not None else len(self.keys)

    def coverage(self) -> dict[str, object]:
        """Counts for the report: matched prompts, resampling units (prompt groups) and what each side lost."""
        return {
            "matched_prompts": len(self.keys),
            "prompt_units": self.n_units,
            "aligned_by": self.by,
            "dropped": dict(self.dropped),
            "per_model": {
                corpus.name: {
                    "prompts": len(corpus.prompts),
                    "outputs": len(corpus.outputs),
                    "aligned_outputs": sum(len(group) for group in self.outputs[m]),
                }
                for m, corpus in enumerate(self.corpora)
            },
        }


def check_min_prompts(min_prompts: int) -> None:
    """Refuse a --min-prompts below what an analysis needs (before any work)."""
    if isinstance(min_prompts, bool) or not isinstance(min_prompts, (int, np.integer)) or min_prompts < MIN_PROMPTS_FLOOR:
        raise ConfigurationError(f"--min-prompts must be at least {MIN_PROMPTS_FLOOR} (got {min_prompts}): "
                                 "the prompt bootstrap and the cross-fitting folds need that many")


def align(corpora: Sequence[Corpus], *, min_prompts: int = 20) -> Alignment:
    """Pair corpora on the prompts they all answered.

    Prompt ids are matched first; where ids match fewer prompts than normalised prompt texts do
    (files from different tools), texts are matched instead.

    Raises
    ------
    AlignmentError
        When fewer than ``min_prompts`` prompts are shared, or they are variants (one resampling
        unit each group, see :mod:`stylesim.units`) of fewer than ``min_prompts`` prompts.
    """
    if len(corpora) < 2:
        raise AlignmentError("need at least two corpora to align")
    min_prompts = max(min_prompts, 1)  # no prompts in common is never enough
    groups = [corpus.by_prompt() for corpus in corpora]
    by_id = set.intersection(*(set(g) for g in groups))
    text_maps: list[dict[str, str]] | None = None
    if all(all(p is not None for p in c.prompts.values()) for c in corpora):
        text_maps = []
        for corpus, group in zip(corpora, groups):
            mapping: dict[str, str] = {}
            for prompt_id in group:
                prompt = corpus.prompts.get(prompt_id)
                # A blank prompt text names no prompt: it pairs with nothing (every blank one
                # would otherwise pair with every other, as one text).
                if prompt is not None and (key := normalise_prompt(prompt)):
                    mapping.setdefault(key, prompt_id)
            text_maps.append(mapping)
        by_text = set.intersection(*(set(m) for m in text_maps))
    else:
        by_text = set()
    conflicts = _id_conflicts(corpora, sorted(by_id)) if len(by_text) <= len(by_id) else []
    renumbered = [c for c in conflicts if c[3]]
    if renumbered:
        key, first, second, _ = renumbered[0]
        where = (f"{len(renumbered)} of the {len(by_id)} shared prompt ids name another prompt in one file "
                 f"than in another (e.g. id {key!r} in {_label(corpora[first])} and {_label(corpora[second])}): "
                 "the files number their prompts differently")
        if text_maps is None:
            lacking = next(c for c in corpora if any(p is None for p in c.prompts.values()))
            raise AlignmentError(f"{where}, and {_label(lacking)} gives no prompt texts to pair them by; "
                                 "renumber the files consistently")
        if len(by_text) < min_prompts:
            raise AlignmentError(f"{where}, and only {len(by_text)} prompt texts match (at least {min_prompts} "
                                 "are needed to pair them by text); renumber the files consistently")
        log.warning("%s, so the %d prompts are matched by prompt text", where, len(by_text))
    left_out: set[str] = set()
    if conflicts and not renumbered:
        left_out = {c[0] for c in conflicts}
        key, first, second, _ = conflicts[0]
        log.warning("%d of the %d shared prompt ids name unrelated prompt texts in two files (e.g. id %r in %s and "
                    "%s; fewer than half their words shared): left out", len(conflicts), len(by_id), key,
                    _label(corpora[first]), _label(corpora[second]))
        by_id -= left_out
    if text_maps is not None and (len(by_text) > len(by_id) or renumbered):
        keys = sorted(by_text)
        ids_per_corpus = [[m[k] for k in keys] for m in text_maps]
        by = "prompt text"
    else:
        # Ids can share a natural key ("q1" and "q001"): the id itself breaks the tie, so the
        # order never depends on the set's (hash-seeded) iteration order.
        keys = sorted(by_id, key=lambda key: (_natural_key(key), key))
        ids_per_corpus = [keys for _ in corpora]
        by = "prompt id"
    dropped = {
        corpus.name: len(group) - len(keys) for corpus, group in zip(corpora, groups)
    }
    if len(keys) < min_prompts:
        names = " and ".join(c.name for c in corpora) if len(corpora) <= 3 else f"{len(corpora)} corpora"
        if len(corpora) > 3:  # name the input that shares least with the others (A itself, perhaps)
            # Ids left out as naming unrelated prompts are not shared (the hint named an input
            # as sharing 48 prompts beside "no prompts in common", before 0.3.17).
            ids = [set(g) - left_out for g in groups]
            texts = [set(m) for m in text_maps] if text_maps is not None else ids
            best = [max(max(len(ids[i] & ids[j]), len(texts[i] & texts[j])) for j in range(len(corpora)) if j != i)
                    for i in range(len(corpora))]
            worst = int(np.argmin(best))  # the first of equals, in input order
            names += (f" (fewest: {corpora[worst].path or corpora[worst].name} shares at most {best[worst]} "
                      "with any other input)")
        detail = "no prompts" if not keys else f"only {len(keys)} prompt{'s' if len(keys) != 1 else ''}"
        raise AlignmentError(
            f"{names} have {detail} in common (by id or by prompt text); at least {min_prompts} "
            f"are needed{MIN_PROMPTS_HINT}"
        )
    outputs = [
        [group[prompt_id] for prompt_id in ids]
        for group, ids in zip(groups, ids_per_corpus)
    ]
    first_prompts = corpora[0].prompts
    prompts = [first_prompts.get(pid) for pid in ids_per_corpus[0]]
    if any(p is None for p in prompts):
        for m, corpus in enumerate(corpora[1:], start=1):
            for i, pid in enumerate(ids_per_corpus[m]):
                if prompts[i] is None:
                    prompts[i] = corpus.prompts.get(pid)
    alignment = Alignment(
        corpora=list(corpora), keys=keys if by == "prompt id" else ids_per_corpus[0],
        outputs=outputs, prompts=prompts, by=by, dropped=dropped,
    )
    units = alignment.prompt_groups
    if units is not None and (distinct := int(units.max()) + 1) < min_prompts:
        raise AlignmentError(
            f"the {len(keys)} prompts in common are variants of only {distinct} "
            f"prompt{'s' if distinct != 1 else ''} "
            f"(prompt_group); at least {min_prompts} different prompts are needed{MIN_PROMPTS_HINT}"
        )
    return alignment


def _id_conflicts(corpora: Sequence[Corpus], keys: Sequence[str]) -> list[tuple[str, int, int, bool]]:
    """Shared prompt ids that name different prompts in two inputs: ``(id, first input, second
    input, renumbered)`` for each, the inputs as indices.

    Two inputs' texts for one id name different prompts when either text is another id's prompt
    in the other input (``renumbered``: the files were numbered in different orders), or when they
    share fewer than half their words (a prompt replaced under its old id). A small edit (a
    benchmark's revised prompt: "spacepunk" for "sci-fi", a stray template tag) is the same
    prompt. Inputs without a prompt text for an id, or with a blank one, are not compared (a file
    of empty prompts made every shared id look like an unrelated prompt, before 0.3.17)."""
    texts = [{key: text for key, p in corpus.prompts.items() if p is not None and (text := normalise_prompt(p))}
             for corpus in corpora]
    owners: dict[int, dict[str, set[str]]] = {}  # per input, made when needed: text -> its ids

    def ids_of(index: int, text: str) -> set[str]:
        if index not in owners:
            owners[index] = {}
            for key, value in texts[index].items():
                owners[index].setdefault(value, set()).add(key)
        return owners[index].get(text, set())

    conflicts = []
    for key in keys:
        first: int | None = None
        for index in range(len(corpora)):
            text = texts[index].get(key)
            if text is None:
                continue
            if first is None:
                first = index
                continue
            other = texts[first][key]
            if text == other:
                continue
            renumbered = bool(ids_of(first, text) - {key} or ids_of(index, other) - {key})
            if renumbered or _word_overlap(text, other) < 0.5:
                conflicts.append((key, first, index, renumbered))
                break
    return conflicts


def _word_overlap(a: str, b: str) -> float:
    """Jaccard overlap of two texts' word sets (1 for two texts without words)."""
    first, second = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    union = first | second
    return len(first & second) / len(union) if union else 1.0


def _label(corpus: Corpus) -> str:
    return corpus.path or corpus.name


def note_shortfall(alignment: Alignment, n_focus: int) -> dict[str, object] | None:
    """:meth:`Alignment.shortfall`, with a warning naming the models that cut the prompts."""
    cut = alignment.shortfall(n_focus)
    if cut:
        worst = ", ".join(f"{row['name']} lacks {row['missing']}" for row in cut["lacking"][:3])
        log.warning("only %d of the %d prompts the compared models share are analysed: the other models lack "
                    "the rest (%s)", cut["matched"], cut["shared_by_focus"], worst)
    return cut


def _natural_key(text: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]
