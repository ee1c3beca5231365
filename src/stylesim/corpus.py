"""Corpora of model outputs: loading (any format), hygiene, and alignment by prompt."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from . import formats, hygiene
from .errors import InputError
from .identity import find_identity_statements
from .parallel import run_tasks
from .records import Record

log = logging.getLogger(__name__)

MAX_EXAMPLES = 5
# Longer responses are cut to this many characters before any feature or check sees them (and
# counted): a 50 MB "response" would otherwise cost gigabytes of n-gram ids. About 20,000 words.
MAX_RESPONSE_CHARS = 120_000


@dataclass
class Output:
    """One cleaned output: ``text`` is what style features see (names masked), ``raw`` the original."""

    prompt_id: str
    sample: int
    text: str
    raw: str
    prompt: str | None = None
    truncated: bool = False
    refusal: bool = False
    group: str | None = None  # prompts of one group are resampled together (see Record.group)


@dataclass
class Corpus:
    """The outputs of one model, keyed by prompt id."""

    name: str
    path: str
    format: str
    outputs: list[Output]
    prompts: dict[str, str | None]
    hygiene: hygiene.HygieneReport
    metadata: dict[str, object] = field(default_factory=dict)
    # The name came from the file's name (the records name no model): two such names that happen to
    # match ("model.jsonl" in two folders) do not make two files one model.
    named_by_file: bool = False

    def by_prompt(self) -> dict[str, list[Output]]:
        """Outputs grouped by prompt id, samples in order."""
        groups: dict[str, list[Output]] = {}
        for output in self.outputs:
            groups.setdefault(output.prompt_id, []).append(output)
        for group in groups.values():
            group.sort(key=lambda o: o.sample)
        return groups


def _check_path(path: Path) -> None:
    if not path.exists():
        raise InputError(path, "a symbolic link to nothing (or a loop of links)" if path.is_symlink() else "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not a file of outputs")
    if not path.is_file():
        raise InputError(path, "is not a regular file (a named pipe or device?); save the outputs to a file")
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty")


def load_records(path: str | Path, *, format: str | None = None) -> tuple[str, Iterable[Record]]:
    """Detect (or take) the format of ``path`` and return its name and a record iterator."""
    path = Path(path)
    _check_path(path)
    if format:  # a compressed file is refused by name with --format too, not as invalid UTF-8
        formats.read_head(path, whole_first_record=False)
    reader = formats.get(format) if format else formats.detect(path)
    return reader.name, reader.read(path)


def load_corpus(
    path: str | Path,
    *,
    format: str | None = None,
    model: str | None = None,
    mask_identity: bool = True,
) -> Corpus:
    """Read one model's outputs from ``path``, clean them and report what cleaning did.

    Parameters
    ----------
    path
        A file in any supported format (see :mod:`stylesim.formats`).
    format
        Force a format by name instead of detecting it from the content.
    model
        Keep only this model's outputs when the file holds several; also names the corpus.
    mask_identity
        Replace model and vendor names with a neutral token in the text style features see.

    Raises
    ------
    InputError
        Naming the file (and line) for unreadable, empty or inconsistent input.
    """
    path = Path(path)
    format_name, records = load_records(path, format=format)
    report = hygiene.HygieneReport()
    outputs: list[Output] = []
    prompts: dict[str, str | None] = {}
    prompt_lines: dict[str, int | None] = {}
    seen_samples: dict[str, set[int]] = {}
    seen_records: dict[tuple[str, int, str], int | None] = {}  # (prompt id, sample, response) -> first line
    repeats, repeated = 0, None
    answered_again: set[str] = set()  # prompt ids with a further, different answer under one sample
    model_counts: dict[str, int] = {}
    metadata: dict[str, object] = {}
    for record in records:
        if model is not None and record.model is not None and record.model != model:
            continue
        report.records_read += 1
        if record.model:
            model_counts[record.model] = model_counts.get(record.model, 0) + 1
        _check_prompt_consistency(path, record, prompts, prompt_lines)
        samples = seen_samples.setdefault(record.prompt_id, set())
        sample = record.sample
        key = (record.prompt_id, sample, record.response)
        if sample in samples:
            first_line = seen_records.get(key)
            if first_line is not None and repeated is None:
                repeated = (record.line, first_line)
            repeats += first_line is not None
            if first_line is None:
                answered_again.add(record.prompt_id)
            sample = max(samples) + 1
            report.duplicates_renumbered += 1
        seen_records.setdefault(key, record.line)
        samples.add(sample)
        for key in ("prompt_set", "temperature"):
            value = record.extra.get(key) if key == "prompt_set" else record.temperature
            if value is not None and key not in metadata:
                metadata[key] = value
        output = _clean(record, sample, report, mask_identity)
        if output is not None:
            outputs.append(output)
    if report.records_read == 0:
        if model is not None:
            raise InputError(path, f"no outputs of model {model!r} in this file")
        raise InputError(path, "no outputs in this file")
    if not outputs:
        raise InputError(path, "every output is empty")
    if len(model_counts) > 1 and model is None:
        names = ", ".join(sorted(model_counts)[:5])
        raise InputError(
            path, f"holds outputs of {len(model_counts)} models ({names}); stylesim reads one model per file: "
            "split it into one file per model (or, from Python, pass model= to stylesim.load_corpus)"
        )
    if repeats:
        line, first = repeated
        log.warning("%s%s: %d record(s) repeat an earlier one exactly (prompt id, sample and response%s); "
                    "each is counted as a further sample. Was the file written twice?", path,
                    f":{line}" if line else "", repeats, f", as line {first}" if first else "")
    several = sum(1 for samples in seen_samples.values() if len(samples) > 1)
    if answered_again and several < 0.5 * len(seen_samples):
        # A few prompts answered twice in a file of single answers: a slip more often than a design.
        log.warning("%s: %d prompt(s) of %d have more than one answer under the same prompt id (and sample); "
                    "each further answer is counted as another sample of that prompt", path,
                    len(answered_again), len(seen_samples))
    name = clean_name(model or (next(iter(model_counts)) if model_counts else _name_from_path(path)))
    if mask_identity:
        _mask_own_name(outputs, name, report)
        _mask_claimed_names(outputs, report)
    report.kept = len(outputs)
    report.prompts_answered = len({output.prompt_id for output in outputs})
    report.same_text_other_prompts, report.same_text_example = _same_text_across_prompts(outputs)
    if report.prompts_answered and report.same_text_other_prompts >= 0.5 * report.prompts_answered:
        log.warning("%s: to %d of its %d prompts every answer is word for word an answer it gave to another "
                    "prompt (e.g. %r); it makes few per-prompt choices, so its agreement with other models says "
                    "mostly how they differ from the rest", path, report.same_text_other_prompts,
                    report.prompts_answered, report.same_text_example[:40])
    return Corpus(
        name=name,
        path=str(path),
        format=format_name,
        outputs=outputs,
        prompts=prompts,
        hygiene=report,
        metadata=metadata,
        named_by_file=not (model or model_counts),
    )


# Bidirectional controls and other invisible format or control characters: a name holding U+202E
# would reverse the text after it wherever it is shown (verdicts, tables, the terminal).
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def load_corpora(paths: Sequence[str | Path], *, format: str | None = None) -> list[Corpus]:
    """:func:`load_corpus` of each path, in order; several files load in parallel worker processes
    (their warnings are shown in path order, and the first bad file in order is the error)."""
    if len(paths) < 4:
        return [load_corpus(p, format=format) for p in paths]
    loaded = run_tasks({f"load:{i}": partial(load_corpus, p, format=format) for i, p in enumerate(paths)})
    return [loaded[f"load:{i}"] for i in range(len(paths))]  # type: ignore[misc]


def clean_name(name: str) -> str:
    """A model name fit for display: invisible and direction-changing characters removed,
    whitespace runs collapsed (the name's visible text is kept whole)."""
    cleaned = " ".join(_INVISIBLE.sub("", " ".join(name.split())).split())  # "a\nb" is "a b", not "ab"
    return cleaned or "model"


def _name_from_path(path: Path) -> str:
    stem = path.stem
    if stem in {"model_outputs", "outputs", "results", "answers"} and path.parent.name:
        return path.parent.name
    return stem


def _check_prompt_consistency(
    path: Path, record: Record, prompts: dict[str, str | None], lines: dict[str, int | None]
) -> None:
    known = prompts.get(record.prompt_id)
    if record.prompt_id not in prompts:
        prompts[record.prompt_id] = record.prompt
        lines[record.prompt_id] = record.line
    elif known is None and record.prompt is not None:
        prompts[record.prompt_id] = record.prompt
    elif (
        known is not None
        and record.prompt is not None
        and normalise_prompt(known) != normalise_prompt(record.prompt)
    ):
        first = lines.get(record.prompt_id)
        where = f" (first seen at line {first})" if first else ""
        raise InputError(
            path,
            f"prompt_id {record.prompt_id!r} appears again with a different prompt{where}",
            record.line,
        )


def _clean(
    record: Record, sample: int, report: hygiene.HygieneReport, mask_identity: bool
) -> Output | None:
    response = record.response
    if len(response) > MAX_RESPONSE_CHARS:
        response = response[:MAX_RESPONSE_CHARS]
        report.over_long_cut += 1
    raw, had_reasoning = hygiene.clean_response(response)
    if had_reasoning:
        report.reasoning_stripped += 1
    if not raw:
        report.empty_dropped += 1
        return None
    truncated = (record.finish_reason or "").lower() in {"length", "max_tokens"}
    report.truncated += truncated
    refusal = hygiene.is_refusal(raw)
    if refusal:
        report.refusals += 1
        if len(report.refusal_examples) < MAX_EXAMPLES:
            report.refusal_examples.append({"prompt_id": record.prompt_id, "text": raw[:240]})
    for name, excerpt in find_identity_statements(raw):
        report.identity_statements += 1
        report.identity_claims[name] += 1
        if len(report.identity_examples) < MAX_EXAMPLES:
            report.identity_examples.append(
                {"prompt_id": record.prompt_id, "claims": name, "text": excerpt}
            )
    text = raw
    if mask_identity:
        text, count = hygiene.mask_names(raw)
        report.names_masked += count
    return Output(
        prompt_id=record.prompt_id,
        sample=sample,
        text=text,
        raw=raw,
        prompt=record.prompt,
        truncated=truncated,
        refusal=refusal,
        group=record.group,
    )


def _same_text_across_prompts(outputs: list[Output]) -> tuple[int, str]:
    """How many prompts get only answers that are, word for word, an answer to another prompt
    (samples of one prompt may repeat each other), and the most repeated such text ("" when none)."""
    prompts_of: dict[str, set[str]] = {}
    for output in outputs:
        prompts_of.setdefault(output.raw, set()).add(output.prompt_id)
    shared = {text: len(ids) for text, ids in prompts_of.items() if len(ids) > 1}
    own: dict[str, bool] = {}  # prompt id -> has an answer given to no other prompt
    for output in outputs:
        own[output.prompt_id] = own.get(output.prompt_id, False) or output.raw not in shared
    example = min(shared, key=lambda text: (-shared[text], text)) if shared else ""
    return sum(1 for has_own in own.values() if not has_own), example


def _mask_own_name(outputs: list[Output], name: str, report: hygiene.HygieneReport) -> None:
    """Mask the corpus's own model name (e.g. 'lyra' from 'vendor/lyra-13b') in its texts. A name
    that is one word is masked only when it is rare in English, as a claimed name is: a model
    named (or a file called) "teacher", "would-3b" or "Granite" would otherwise lose a common word
    from its texts alone, and look less like every other model (an outside audit measured
    resemblance 0.845 against 0.863 for the same texts under other file names)."""
    base = re.split(r"[/_]", name)[-1]
    stem = re.split(r"[-\s.]", base)[0]
    candidates = [c for c in dict.fromkeys((base, stem)) if len(c) >= 4 and not c.isdigit()
                  and (re.search(r"[-\s.]", c) or _rare_word(c))]
    if not candidates:
        return
    for output in outputs:
        output.text, count = hygiene.mask_names(output.text, candidates, vendors=False)  # masked at loading
        report.names_masked += count


def _mask_claimed_names(outputs: list[Output], report: hygiene.HygieneReport) -> None:
    """Mask the makers and names a corpus claims for itself ("made by Foxglove AI") that the fixed
    list of vendors does not know, in all its texts: like a known vendor, a claimed name is identity,
    reported apart, and never style. A claim of several words is masked whole, and its first word
    too when that word is rare in English ("Foxglove", not "Open"); a one-word claim only when it is
    rare (a claimed "Assistant" or "Atlas" would otherwise mask the common word everywhere)."""
    names: set[str] = set()
    for claimed in report.identity_claims:
        if hygiene.mask_names(claimed)[1]:
            continue  # names a known vendor or model: masked already
        first = claimed.split()[0].strip("-")
        if first != claimed:
            names.add(claimed)
        if len(first) >= 4 and _rare_word(first):
            names.add(first)
    if not names:
        return
    ordered = sorted(names, key=lambda n: (-len(n), n))  # "Foxglove AI" before "Foxglove"
    for output in outputs:
        output.text, count = hygiene.mask_names(output.text, ordered, vendors=False)  # masked at loading
        report.names_masked += count


def _rare_word(word: str) -> bool:
    """Rarer in general English than about one use in a million words (wordfreq's Zipf scale < 3)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") < 3.0


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)  # every input of one prompt set repeats the same prompts
def normalise_prompt(text: str) -> str:
    """Prompt text for matching: NFC, lower case, whitespace collapsed, edges stripped."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()
