"""View-model pieces every report kind shares: header, verdict, phrases, identity, data and method."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import __version__
from . import fmt
from .charts import share_bar
from .parts import (
    Cell,
    Column,
    DataSection,
    Example,
    ExampleGroup,
    Footer,
    IdentityCard,
    IdentityExample,
    OwnPhrase,
    OwnPhrases,
    Phrases,
    SharedPhrase,
    Snippet,
    Table,
    Verdict,
)

# Why ranks by resemblance carry no p-value in the reports (method.md, "The strength of a resemblance").
RESEMBLANCE_RANK_NOTE = ("descriptive, with no p-value: models whose general style is more or less distinctive are "
                         "not exchangeable on this scale")
SNIPPET_CHARS = 300  # identity / refusal examples
MAX_IDENTITY_EXAMPLES = 6
MAX_PHRASES = 40  # per phrase list
MAX_SNIPPETS = 2  # keyword-in-context lines per shared phrase and model
MAX_OWN_SNIPPETS = 1  # ... per phrase one model over-uses alone

# Cleaning steps: (short column heading, what it counts).
HYGIENE_LABELS = {
    "records_read": ("Read", "Records read"),
    "kept": ("Kept", "Kept for analysis"),
    "empty_dropped": ("Empty", "Empty answers dropped"),
    "reasoning_stripped": ("Reasoning", "Reasoning blocks removed"),
    "truncated": ("Cut off", "Answers cut off (length limit)"),
    "refusals": ("Refusals", "Answers that open with a refusal or a \"cannot\" and do not go on to answer (kept in the analysis; a pattern match: \"I can't …, but here is …\" followed by an answer is not counted)"),
    "identity_statements": ("Self-ID", "Self-identification statements"),
    "names_masked": ("Masked", "Model/vendor names masked"),
    "duplicates_renumbered": ("Renumbered", "Duplicate prompt ids renumbered"),
    "over_long_cut": ("Over-long", "Responses cut to 120,000 characters"),
    "same_text_other_prompts": ("Repeated", "Prompts whose every answer is word for word the model's answer to "
                                "another prompt"),
}

# Hygiene counts kept in the JSON but not given a column (the page has room for so many):
# the prompts a model answered are in the coverage table.
_HYGIENE_NOT_SHOWN = ("prompts_answered",)

PARAMETER_LABELS = {
    "seed": "Random seed",
    "resamples": "Bootstrap resamples (over prompts)",
    "permutations": "Permutations (sign flips over prompts)",
    "confidence": "Confidence level",
    "interval_level": "Percentile level used for that confidence (widened for few prompts; Hesterberg 2015)",
    "families": "Feature families",
    "embeddings": "Sentence embeddings",
    "embedding_model": "Embedding model",
    "min_prompts": "Minimum prompts in common",
}

PromptIndex = Mapping[str, str]  # prompt id -> "#p-N" anchor


def get(data: Any, *keys: Any, default: Any = None) -> Any:
    """``data[k1][k2]...`` or ``default`` when any level is missing or of the wrong type."""
    for key in keys:
        if isinstance(data, Mapping) and key in data:
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and -len(data) <= key < len(data):
            data = data[key]
        else:
            return default
    return default if data is None else data


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def as_map(value: Any) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def groups_note(coverage: Mapping) -> str:
    """"in G prompt groups" when the matched prompts are variants of fewer prompts, else ""."""
    units, matched = coverage.get("prompt_units"), coverage.get("matched_prompts")
    if isinstance(units, int) and isinstance(matched, int) and units < matched:
        return f"in {fmt.count(units)} prompt groups"
    return ""


def answered_note(data: Mapping, answered: str) -> str:
    """The "Prompts compared" card's note: who answered them, and their groups if any."""
    return "; ".join(filter(None, [answered, groups_note(as_map(data.get("coverage")))]))


def prompts_label(data: Mapping) -> str:
    """"96 prompts", or "96 prompts in 32 prompt groups" when prompts come in groups."""
    coverage = as_map(data.get("coverage"))
    return " ".join(filter(None, [f"{fmt.count(coverage.get('matched_prompts'))} prompts", groups_note(coverage)]))


def family_resemblance(family: Mapping) -> Mapping:
    """A family's resemblance on the scale its panel rank uses: centred when the run centred (schema 2
    ``resemblance.centred``), else uncentred; schema 1 kept it in the family's own estimate keys."""
    pair = as_map(family.get("resemblance"))
    if not pair:
        return family
    return as_map(pair.get("centred")) or as_map(pair.get("uncentred"))


def level(data: Mapping) -> str:
    conf = fmt.number(get(data, "parameters", "confidence"))
    return f"{round(100 * conf)}%" if conf is not None else "95%"


def verdict(data: Mapping, kicker: str, panel_note: str) -> Verdict:
    v = as_map(data.get("verdict"))
    return Verdict(
        headline=fmt.text(v.get("headline") or "No verdict was recorded in this result."),
        details=[fmt.text(d) for d in as_list(v.get("details"))],
        caveats=[fmt.text(c) for c in as_list(v.get("caveats"))] or [
            "Resemblance in language patterns is not proof of distillation.",
            "A shared teacher model, overlapping training data or a shared base model can each "
            "produce the same resemblance.",
        ],
        panel_note=panel_note, kicker=kicker,
    )


def panel_note(panel_names: list[str], role: str, dropped: int = 0) -> str:
    if not panel_names:
        why = (f"Every panel input given ({dropped}) was dropped as repeating another input (see the "
               "notes)" if dropped else "No reference panel was given")
        return (f"{why}. Nothing here says how alike two unrelated models are "
                "on these prompts, so there is no floor to judge the resemblance against.")
    names = ", ".join(panel_names)
    return (f"The reference panel ({fmt.plural(len(panel_names), 'model')}: {names}) answered the same "
            f"prompts. It is the reference: how close other models come to {role}, a floor for an "
            "unrelated model only where none of them is a relative of it (another version, size or "
            "fine-tune). With fewer than about 19 panel models the test is coarse.")


def footer(data: Mapping) -> Footer:
    return Footer(
        version=fmt.text(data.get("stylesim_version")), renderer=__version__,
        created=fmt.text(data.get("created")),
        caveat="Resemblance in language patterns is not proof of distillation: a shared teacher, "
               "shared training data or a shared base model can produce it too.",
    )


def snippets(items: Any, index: PromptIndex, limit: int = MAX_SNIPPETS) -> list[Snippet]:
    out = []
    for k in as_list(items)[:limit]:
        k = as_map(k)
        pid = fmt.text(k.get("prompt_id", ""))
        out.append(Snippet(left=fmt.text(k.get("left", "")), match=fmt.text(k.get("match", "")),
                           right=fmt.text(k.get("right", "")), prompt_id=pid, href=index.get(pid, "")))
    return out


def phrases(block: Any, name_a: str, name_b: str, index: PromptIndex, prefix: str = "ph") -> Phrases | None:
    block = as_map(block)
    if not block:
        return None
    shared = []
    # With a panel the shared phrases are scored by log-odds z against it; without one, single words
    # by their log over-use against general English (evidence.phrase_evidence), under their own key.
    rows = [as_map(p) for p in as_list(block.get("shared"))[:MAX_PHRASES]]
    score_key = "log_overuse" if any("log_overuse_a" in p for p in rows) else "log_odds_z"
    for p in rows:
        phrase, phrase_title = fmt.token(p.get("phrase"))
        shared.append(SharedPhrase(
            phrase=phrase, phrase_title=phrase_title, count_a=fmt.count(p.get("count_a")),
            count_b=fmt.count(p.get("count_b")), z_a=fmt.est(p.get(f"{score_key}_a"), 2),
            z_b=fmt.est(p.get(f"{score_key}_b"), 2), sort_count_a=fmt.sort_key(p.get("count_a")),
            sort_count_b=fmt.sort_key(p.get("count_b")),
            sort_z=fmt.sort_key(min(fmt.number(p.get(f"{score_key}_a")) or 0, fmt.number(p.get(f"{score_key}_b")) or 0)),
            snippets_a=snippets(p.get("kwic_a"), index), snippets_b=snippets(p.get("kwic_b"), index),
        ))
    own = []
    for key, owner, other in (("a_only", name_a, name_b), ("b_only", name_b, name_a)):
        rows = []
        for p in as_list(block.get(key))[:MAX_PHRASES]:
            p = as_map(p)
            mine, theirs = ("count_a", "count_b") if key == "a_only" else ("count_b", "count_a")
            phrase, phrase_title = fmt.token(p.get("phrase"))
            rows.append(OwnPhrase(
                phrase=phrase, phrase_title=phrase_title, count_own=fmt.count(p.get(mine)),
                count_other=fmt.count(p.get(theirs)), z=fmt.est(p.get("log_odds_z"), 2),
                sort_count=fmt.sort_key(p.get(mine)), sort_z=fmt.sort_key(p.get("log_odds_z")),
                snippets=snippets(p.get("kwic"), index, MAX_OWN_SNIPPETS),
            ))
        own.append(OwnPhrases(id=f"{prefix}-{key}", heading=f"Phrases {owner} over-uses and {other} does not",
                              owner=owner, other=other, rows=rows))
    lengths = [len(as_list(block.get(k))) for k in ("shared", "a_only", "b_only")]
    note = (f"Showing the first {MAX_PHRASES} phrases of each list." if max(lengths) > MAX_PHRASES else "")
    if score_key == "log_overuse":
        score = ("Over-use", "Natural log of how many times more often the model uses the word than general "
                 "English does (wordfreq); shown for single words only, the lower of the two sorts")
    else:
        score = ("z", "Log-odds z of over-use against the background (the lower of the two sorts)")
    return Phrases(id=prefix, name_a=name_a, name_b=name_b, background=fmt.text(block.get("background", "n/a")),
                   shared=shared, own=own, note=note, score_label=score[0], score_title=score[1])


def identity_cards(data: Mapping, index: PromptIndex) -> list[IdentityCard]:
    """Self-identification evidence: the result's ``identity`` block, else the hygiene counts."""
    source = as_map(data.get("identity"))
    cards = []
    if source:
        items = [(name, info.get("statements"), info.get("claims"), info.get("examples"))
                 for name, info in source.items() if isinstance(info, Mapping)]
    else:
        items = [(name, h.get("identity_statements"), h.get("identity_claims"), h.get("identity_examples"))
                 for name, h in as_map(data.get("hygiene")).items() if isinstance(h, Mapping)]
    for name, statements, claims, examples in items:
        merged: dict[tuple[str, str], IdentityExample] = {}
        for e in as_list(examples):
            e = as_map(e)
            pid, text = fmt.text(e.get("prompt_id", "")), fmt.text(e.get("text", ""))
            claim = fmt.text(e.get("claims", ""))
            if (pid, text) in merged:
                if claim not in merged[(pid, text)].claims.split(", "):
                    merged[(pid, text)].claims += f", {claim}"
                continue
            merged[(pid, text)] = IdentityExample(prompt_id=pid, claims=claim,
                                                  text=fmt.clip(text, SNIPPET_CHARS)[0], href=index.get(pid, ""))
        cards.append(IdentityCard(
            name=fmt.text(name), statements=fmt.count(statements if statements is not None else 0),
            claims=[f"{fmt.text(k)} \u00d7{fmt.count(v)}" for k, v in as_map(claims).items()],
            examples=list(merged.values())[:MAX_IDENTITY_EXAMPLES],
        ))
    return cards


def _prompt_set(value: Any) -> str:
    """A prompt set as recorded by ``stylesim collect`` ({name, version, sha256}) or a plain label."""
    if isinstance(value, Mapping):
        name = fmt.text(value.get("name"))
        version = value.get("version")
        digest = str(value.get("sha256") or "")[:12]
        label = f"{name} v{version}" if version is not None else name
        return f"{label} (sha256 {digest}…)" if digest else label
    return fmt.text(value)


def _inputs_table(data: Mapping) -> Table:
    rows = []
    for item in as_list(data.get("inputs")):
        item = as_map(item)
        rows.append([Cell(fmt.text(item.get("name")), head=True), Cell(fmt.text(item.get("path"))),
                     Cell(fmt.text(item.get("format"))), Cell(_prompt_set(item.get("prompt_set"))),
                     Cell(fmt.text(item.get("temperature")), num=True)])
    return Table(id="t-inputs", caption="Input files",
                 columns=[Column("Model"), Column("File"), Column("Format"), Column("Prompt set"),
                          Column("Temperature", num=True)], rows=rows, sortable=False)


def _coverage(data: Mapping) -> tuple[Table, str]:
    cov = as_map(data.get("coverage"))
    dropped = as_map(cov.get("dropped"))
    rows = []
    for name, info in as_map(cov.get("per_model")).items():
        info = as_map(info)
        rows.append([Cell(fmt.text(name), head=True)] + [
            Cell(fmt.count(info.get(k)), sort=fmt.sort_key(info.get(k)), num=True)
            for k in ("prompts", "outputs", "aligned_outputs")
        ] + [Cell(fmt.count(dropped.get(name)), sort=fmt.sort_key(dropped.get(name)), num=True)])
    note = (f"{fmt.count(cov.get('matched_prompts'))} prompts answered by every model were compared, "
            f"matched by {fmt.text(cov.get('aligned_by'))}.")
    if groups_note(cov):
        note += (f" They are variants of {fmt.count(cov.get('prompt_units'))} different prompts (prompt groups); "
                 "each group is resampled as one unit, and the cross-prompt resemblance pairs only different groups.")
    return Table(id="t-coverage", caption="Prompts and outputs per model",
                 columns=[Column("Model"), Column("Prompts", True), Column("Outputs", True),
                          Column("Outputs used", True), Column("Prompts dropped", True)],
                 rows=rows), note


def _hygiene(data: Mapping) -> tuple[Table, list[ExampleGroup]]:
    hyg = {k: as_map(v) for k, v in as_map(data.get("hygiene")).items()}
    names = list(hyg)
    keys: list[str] = []
    for info in hyg.values():
        keys += [k for k, v in info.items() if isinstance(v, (int, float)) and not isinstance(v, bool)
                 and k not in keys and k not in _HYGIENE_NOT_SHOWN]
    labels = [HYGIENE_LABELS.get(k, (fmt.humanize(k), fmt.humanize(k))) for k in keys]
    # One row per model and one short-headed column per step: it fits the page however many models.
    rows = [[Cell(fmt.text(n), head=True)]
            + [Cell(fmt.count(hyg[n].get(k)), sort=fmt.sort_key(hyg[n].get(k)), num=True) for k in keys]
            for n in names]
    groups = []
    for n in names:
        examples = [Example(prompt_id=fmt.text(as_map(e).get("prompt_id", "")),
                            text=fmt.clip(as_map(e).get("text", ""), SNIPPET_CHARS)[0])
                    for e in as_list(hyg[n].get("refusal_examples"))[:5]]
        if examples:
            total = int(fmt.number(hyg[n].get("refusals")) or len(examples))
            groups.append(ExampleGroup(name=fmt.text(n), label="Answers that open with a refusal", examples=examples,
                                       total=total))
    note = "; ".join(f"{short}: {long.lower()}" for short, long in labels if short != long)
    table = Table(id="t-hygiene", caption="Cleaning applied before any feature was computed",
                  columns=[Column("Model")] + [Column(short, True, long) for short, long in labels], rows=rows,
                  sortable=len(rows) > 1, filter=len(rows) > 8, note=f"Columns, per model: {note}." if note else "")
    return table, groups


def _parameters(data: Mapping) -> Table:
    params = as_map(data.get("parameters"))
    rows = []
    for key, value in params.items():
        shown = fmt.percent(value, 2) if key == "interval_level" else fmt.percent(value) if key == "confidence" \
            else fmt.text(value)
        label = PARAMETER_LABELS.get(key, fmt.humanize(key))
        if key == "permutations" and data.get("kind") == "compare":  # its equality test swaps within prompts too
            label = "Permutations (sign flips over prompts; swaps within prompts for the equality test)"
        rows.append([Cell(label, head=True), Cell(shown)])
    if "centred_on_panel" in data:  # compare and attribute; a matrix centres every pair on the other models
        rows.append([Cell("Resemblance centred on the panel", head=True),
                     Cell(fmt.text(bool(data.get("centred_on_panel"))))])
    rows.append([Cell("stylesim version (analysis)", head=True), Cell(fmt.text(data.get("stylesim_version")))])
    rows.append([Cell("stylesim version (this page)", head=True), Cell(__version__)])
    rows.append([Cell("Result created (UTC)", head=True), Cell(fmt.text(data.get("created")))])
    return Table(id="t-params", caption="Settings, seed and versions", columns=[Column("Setting"), Column("Value")],
                 rows=rows, sortable=False)


def data_section(data: Mapping) -> DataSection:
    coverage, note = _coverage(data)
    hygiene, examples = _hygiene(data)
    return DataSection(inputs=_inputs_table(data), coverage=coverage, coverage_note=note, hygiene=hygiene,
                       hygiene_examples=examples, parameters=_parameters(data),
                       definition=fmt.text(get(data, "similarity", "definition", default="")))


def openers_table(model: str, kind: str, items: Any, tid: str) -> Table:
    """The most frequent first (or last) words of a model's answers, with their share."""
    rows = []
    for item in as_list(items):
        item = as_map(item)
        words, original = fmt.token(item.get("text"))
        rows.append([Cell(words, head=True, title=original),
                     Cell(fmt.count(item.get("count")), sort=fmt.sort_key(item.get("count")), num=True),
                     Cell(fmt.percent(item.get("share")), sort=fmt.sort_key(item.get("share")), num=True,
                          bar=share_bar(item.get("share")))])
    return Table(id=tid, caption=f"{kind.capitalize()} of {model}", columns=[
        Column("Words"), Column("Count", True, "Number of answers"), Column("Share", True, "Share of answers")], rows=rows,
        empty="None recorded.")


def halves_note(block: Mapping) -> str:
    """Which halves of the panel a half-panel view ran: all of them, or seeded random draws."""
    size, kept, draws = (fmt.count(block.get(key)) for key in ("panel", "kept", "draws"))
    return (f"All {draws} ways of keeping {kept} of the {size} panel models were run." if block.get("exhaustive")
            else f"{draws} random halves (keeping {kept} of the {size} panel models) were run, seeded.")
