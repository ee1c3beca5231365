"""Who is who in an analysis: the focus models (A and B, or the student and its candidates), the
panel, and the base models partialled out; and the hygiene that keeps a model out of its own panel.

A panel that contains A or B (the same file, a renamed copy, or the same model under another
name) makes every rank meaningless: the copy agrees with A perfectly and pushes B down. Inputs
are therefore matched by name, by resolved path, by a hash of their responses (with their prompt
ids, and without them or the model's own name), and by their answers to the prompts two inputs
share (a copy of part of a file, perhaps with a line edited: identical on at least 95% of at
least ``MIN_SHARED_FOR_COPY`` shared prompts); a later input that matches an earlier one is
dropped with a one-line warning naming both (of two panel inputs, the one with fewer prompts).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Corpus, normalise_prompt
from .errors import ConfigurationError

log = logging.getLogger(__name__)

# Two inputs that give word-for-word the same answers to at least COPY_SHARE of the prompts they
# share, and share at least this many, are one model (one is a copy of part of the other); fewer
# could agree by chance (a handful of identical refusals).
MIN_SHARED_FOR_COPY = 20
# ... or to all but a few of them: an edited line does not make a copy another model.
COPY_SHARE = 0.95
# Only answers of at least this many words count towards either.
MIN_COPY_WORDS = 5


def content_hash(corpus: Corpus) -> str:
    """SHA-256 of the responses keyed by prompt and sample, in sorted order (file layout and the
    model's name do not count)."""
    digest = hashlib.sha256()
    for output in sorted(corpus.outputs, key=lambda o: (o.prompt_id, o.sample)):
        for part in (output.prompt_id, str(output.sample), output.raw):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()


def responses_hash(corpus: Corpus) -> str | None:
    """SHA-256 of (prompt text, cleaned response) pairs, in sorted order, ignoring prompt ids and
    the model's own name (masked): the same outputs under other prompt ids (another tool's export,
    aligned on prompt text) or with another model's name hash alike. None when a prompt text is
    missing: such files align by id only, so a copy under other ids could not be compared anyway,
    and responses alone would match two models that give the same answers to different prompts."""
    if any(output.prompt is None for output in corpus.outputs):
        return None
    digest = hashlib.sha256()
    for prompt, text in sorted((normalise_prompt(o.prompt or ""), o.text) for o in corpus.outputs):
        for part in (prompt, text):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """What an input is compared on: its whole-file hashes, and its answers per prompt (by prompt
    id, and by normalised prompt text where every output gives one) for copies of part of a file."""

    content: str
    responses: str | None
    by_id: dict[str, tuple[str, ...]]
    by_text: dict[str, tuple[str, ...]] | None

    @classmethod
    def of(cls, corpus: Corpus) -> Fingerprint:
        by_id: dict[str, list[tuple[int, str]]] = {}
        by_text: dict[str, list[tuple[int, str]]] | None = {}
        for output in corpus.outputs:
            by_id.setdefault(output.prompt_id, []).append((output.sample, output.text))
            if by_text is not None and output.prompt is not None:
                by_text.setdefault(normalise_prompt(output.prompt), []).append((output.sample, output.text))
            else:
                by_text = None
        def answers(group: dict[str, list[tuple[int, str]]]) -> dict[str, tuple[str, ...]]:
            # Short answers ("Yes", "42") are left out: two different models give many alike.
            return {key: tuple(text for _, text in sorted(items)) for key, items in group.items()
                    if sum(len(text.split()) for _, text in items) >= MIN_COPY_WORDS}

        return cls(content_hash(corpus), responses_hash(corpus), answers(by_id),
                   answers(by_text) if by_text is not None else None)


def _copied_part(a: dict[str, tuple[str, ...]] | None, b: dict[str, tuple[str, ...]] | None) -> tuple[int, int]:
    """(prompts answered alike, prompts shared) when ``a`` and ``b`` share at least
    MIN_SHARED_FOR_COPY prompts and answer at least COPY_SHARE of them word for word alike (one of
    them is a copy, perhaps with a line edited); else (0, 0). One pass, which stops once more
    prompts differ than a copy of even the smaller input may have: two different models cost a
    few looks, whatever the number of prompts."""
    if a is None or b is None:
        return 0, 0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    most = int(len(small) * (1 - COPY_SHARE))  # no more can differ in a copy (shared <= len(small))
    shared = differ = 0
    for key, answers in small.items():  # the counts do not depend on the order
        other = large.get(key)
        if other is None:
            continue
        shared += 1
        if other != answers:
            differ += 1
            if differ > most:
                return 0, 0
    if shared < MIN_SHARED_FOR_COPY or differ > int(shared * (1 - COPY_SHARE)):
        return 0, 0
    return shared - differ, shared


def _path_key(corpus: Corpus) -> str | None:
    try:
        return str(Path(corpus.path).resolve()) if corpus.path else None
    except OSError:
        return None


def _same(a: Corpus, b: Corpus, prints: dict[int, Fingerprint], *, by_name: bool) -> str | None:
    """Why ``b`` is the same model or content as ``a`` (None if it is not); the most specific
    reason first (one file given twice also has one name)."""
    path_a, path_b = _path_key(a), _path_key(b)
    if path_a is not None and path_a == path_b:
        return "the same file"
    first, second = prints[id(a)], prints[id(b)]
    if first.content == second.content:
        return "identical responses"
    if first.responses is not None and first.responses == second.responses:
        return "identical responses (under other prompt ids or names)"
    alike, shared = max(_copied_part(first.by_id, second.by_id), _copied_part(first.by_text, second.by_text))
    if shared:
        how_many = f"all {shared}" if alike == shared else f"{alike} of the {shared}"
        return f"identical responses to {how_many} prompts both answered"
    if by_name and a.name == b.name and not (a.named_by_file or b.named_by_file):
        return "the same model name"
    return None


def unique_names(corpora: Sequence[Corpus]) -> None:
    """Two kept inputs with one display name (e.g. different sampling runs) get distinct names."""
    seen: set[str] = set()
    for corpus in corpora:
        if corpus.name in seen:
            path = Path(corpus.path)
            # The file's name, then its folder and name ("run2/model" for run1/model.jsonl and
            # run2/model.jsonl), then a number.
            options = [path.stem, f"{path.parent.name}/{path.stem}" if path.parent.name else ""]
            candidate = next((o for o in options if o and o not in seen), corpus.name)
            suffix = 2
            while candidate in seen:
                candidate = f"{corpus.name} ({suffix})"
                suffix += 1
            log.warning("%s: another input is also named %s; this one is shown as %s",
                        corpus.path or corpus.name, corpus.name, candidate)
            corpus.name = candidate
        seen.add(corpus.name)


@dataclass
class Roles:
    """The corpora of one analysis in order: focus models, then panel, then base models."""

    corpora: list[Corpus]
    n_focus: int
    n_panel: int
    n_base: int
    dropped: list[str] = field(default_factory=list)
    # Focus models kept although they repeat the first one (a model compared with itself).
    same_as_first: list[str] = field(default_factory=list)
    # Panel inputs dropped or taken out (copies of other inputs, or given as --base too).
    panel_dropped: int = 0

    @property
    def panel_indices(self) -> list[int]:
        return list(range(self.n_focus, self.n_focus + self.n_panel))

    @property
    def base_indices(self) -> list[int]:
        start = self.n_focus + self.n_panel
        return list(range(start, start + self.n_base))

    @property
    def panel(self) -> list[Corpus]:
        return [self.corpora[m] for m in self.panel_indices]

    @property
    def bases(self) -> list[Corpus]:
        return [self.corpora[m] for m in self.base_indices]

    def check_base_background(self, pair: str = "the pair compared") -> None:
        """Partialling base models centres the fit on the models that are neither the pair nor a
        base (:func:`stylesim.stats.partial.common_terms`): refuse fewer than two of them."""
        spare = len(self.corpora) - 2 - self.n_base
        if self.n_base and spare < 2:
            raise ConfigurationError(
                f"--base needs at least two models besides {pair} and the {self.n_base} base model(s), "
                f"to centre on; this analysis has {max(spare, 0)}: add {2 - max(spare, 0)} more panel model(s)")

    @classmethod
    def build(
        cls,
        focus: Sequence[Corpus],
        panel: Sequence[Corpus] = (),
        base: Sequence[Corpus] = (),
        *,
        first: Sequence[str] = (),
        keep_focus_duplicates: int = 2,
        names_count: bool = True,
    ) -> Roles:
        """Order the inputs and drop every one that repeats an earlier input.

        The first ``keep_focus_duplicates`` focus models are always kept (comparing a model with
        a copy of itself is a legitimate check); any later input (a candidate, a panel or base
        model) that is the same model or content as an earlier one is dropped, with a warning,
        except a base that is a focus model (by file or content): that is refused, because the
        analysis would otherwise run with nothing partialled out.
        ``first`` labels the leading focus models in messages ("A", "B", "student"). A shared
        model name counts only against a focus model (panel files often share a generic name),
        and never when either name was taken from a file's name (``model.jsonl`` in two folders);
        paths and content count everywhere. ``names_count=False`` ignores names altogether.
        """
        prints = {id(c): Fingerprint.of(c) for c in [*focus, *panel, *base]}
        kept: list[Corpus] = []
        counts = [0, 0, 0]
        dropped: list[str] = []
        same_as_first: list[str] = []
        panel_dropped = 0
        # A model given as --base and also in the panel (often through a named panel) is a base:
        # it is partialled out, so its panel copy goes (else the later --base copy would).
        panel = list(panel)
        for corpus in base:
            if any(_same(f, corpus, prints, by_name=False) for f in focus):
                continue  # a compared model given as a base: refused below
            for other in [p for p in panel if _same(p, corpus, prints, by_name=False)]:
                panel.remove(other)
                message = (f"{other.path or other.name}: taken out of the panel, it is also given as --base "
                           f"({corpus.path or corpus.name}); a base is partialled out, not ranked")
                log.warning("%s", message)
                dropped.append(message)
                panel_dropped += 1
        for group, items in enumerate((focus, panel, base)):
            for position, corpus in enumerate(items):
                if group == 0 and position < keep_focus_duplicates:
                    if kept and (why := _same(kept[0], corpus, prints, by_name=False)):
                        message = (f"{corpus.path or corpus.name}: {why} as {kept[0].path or kept[0].name}; "
                                   "the comparison is of a model with itself")
                        log.warning("%s", message)
                        same_as_first.append(message)
                    kept.append(corpus)
                    counts[group] += 1
                    continue
                # A base is never the same model as a focus model by name alone: a fine-tune is often
                # served under its base's name, and a base dropped for that would leave no control.
                match = next(((other, why) for index, other in enumerate(kept)
                              if (why := _same(other, corpus, prints, by_name=index < counts[0] and names_count
                                               and group != 2))),
                             None)
                if match is not None:
                    other, why = match
                    index = kept.index(other)
                    label = f" ({first[index]})" if index < len(first) else ""
                    if group == 2 and index < counts[0]:
                        # Refused, not dropped: the analysis would run with nothing partialled out
                        # while the user asked for a base.
                        role = first[index] if index < len(first) else "a candidate"
                        reason = ("a model cannot be partialled out of itself" if index == 0 else
                                  f"a model cannot be both {role} and a base")
                        raise ConfigurationError(f"{corpus.path or corpus.name}: refused as --base, {why} as "
                                                 f"{other.path or other.name}{label}; {reason}")
                    reason = ("a model cannot sit in its own panel or candidate list" if index < len(first) else
                              "each model counts once")
                    movable = index >= (counts[0] if group == 1 else keep_focus_duplicates)
                    if group < 2 and movable and \
                            len(prints[id(corpus)].by_id) > len(prints[id(other)].by_id):
                        # Two panel inputs (or candidates, or matrix models) of one model: the one that
                        # answered more prompts stays, or a part copy given first would cut every
                        # model's prompts down to its own. A and B, or the student, stay as given.
                        kept[index], corpus, other = corpus, other, corpus
                        reason += "; the input that answered more prompts is kept"
                    message = f"{corpus.path or corpus.name}: dropped, {why} as {other.path or other.name}{label}; {reason}"
                    log.warning("%s", message)
                    dropped.append(message)
                    panel_dropped += group == 1
                    continue
                kept.append(corpus)
                counts[group] += 1
        if counts[0] < min(len(focus), 2):
            raise ConfigurationError("the inputs repeat one model (the same file, name or responses; see the "
                                     "warnings above): the analysis needs at least two different models")
        unique_names(kept)
        return cls(kept, counts[0], counts[1], counts[2], dropped, same_as_first, panel_dropped)
