"""The view-model of an ``attribute`` result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..verdict_words import leaning_clause
from . import fmt
from .charts import ForestInput, RefInput, Responsive, forest_pair, mini_cis
from .common import (
    answered_note,
    as_list,
    as_map,
    data_section,
    footer,
    get,
    halves_note,
    identity_cards,
    level,
    panel_note,
    phrases,
    prompts_label,
    verdict,
)
from .parts import (
    Cell,
    Column,
    DataSection,
    Footer,
    Header,
    IdentityCard,
    KeyFigure,
    NavItem,
    Phrases,
    Table,
    Verdict,
)


@dataclass
class AttributeView:
    kind: str
    header: Header
    nav: list[NavItem]
    verdict: Verdict
    figures: list[KeyFigure]
    student: str
    top: str
    level: str
    has_panel: bool
    by_agreement: bool  # ranked by same-prompt agreement (t), not by resemblance
    forest: Responsive | None
    candidates: Table
    families: Table | None
    robustness: Table | None
    robustness_note: str
    half_panel: Table | None
    half_panel_note: str
    neighbours: Table | None
    phrases: Phrases | None
    identity: list[IdentityCard]
    data: DataSection
    footer: Footer


def _statistic(data: Mapping) -> str:
    """What the candidates are ranked by: same-prompt agreement, or resemblance without a background."""
    first = as_map((as_list(data.get("candidates")) or [{}])[0])
    return "agreement" if first.get("statistic") == "agreement" else "resemblance"


def _forest(data: Mapping, student: str, lvl: str) -> Responsive | None:
    agreement = _statistic(data) == "agreement"
    rows = []
    for i, c in enumerate(as_list(data.get("candidates"))):
        c = as_map(c)
        rows.append(ForestInput(fmt.text(c.get("name")), c.get("score"), c.get("ci_low"), c.get("ci_high"),
                                kind="target" if i == 0 else "other",
                                note="top candidate" if i == 0 else f"candidate ranked {i + 1}"))
    panel = as_map(data.get("panel"))
    for m in as_list(panel.get("models")):
        m = as_map(m)
        value = m.get("score") if "score" in m else m.get("similarity")
        rows.append(ForestInput(fmt.text(m.get("name")), value, m.get("ci_low"), m.get("ci_high"),
                                kind="panel", note="panel model (reference)"))
    if not rows:
        return None
    refs = [RefInput("panel median", panel.get("median"), "median", note="a typical panel model")] if panel else []
    if not agreement:
        ceiling = panel.get("ceiling")
        ceiling_map = as_map(ceiling)
        refs.append(RefInput("ceiling", ceiling_map.get("estimate") if ceiling_map else ceiling, "ceiling",
                             ceiling_map.get("ci_low"), ceiling_map.get("ci_high"), note=f"{student}'s self-similarity"))
    label = "same-prompt agreement with" if agreement else "resemblance to"
    return forest_pair(rows, refs, axis_label=f"{label} {student}", level=lvl,
                  desc=f"Each candidate's {label} {student} with its {lvl} confidence interval"
                       + ("; panel models are reference marks." if panel else "."))


def _candidates(data: Mapping, lvl: str, has_panel: bool) -> Table:
    cands = [as_map(c) for c in as_list(data.get("candidates"))]
    glyphs = mini_cis([(c.get("score"), c.get("ci_low"), c.get("ci_high")) for c in cands],
                      [f"{fmt.text(c.get('name'))}: {fmt.est(c.get('score'))} ({lvl} CI "
                       f"{fmt.ci(c.get('ci_low'), c.get('ci_high'))})" for c in cands],
                      extra=[v for v in [fmt.number(get(data, "panel", "median"))] if v is not None])
    by_t = _statistic(data) == "agreement"
    rows = []
    for c, glyph in zip(cands, glyphs):
        index = as_map(c.get("closeness_index"))
        row = [Cell(fmt.count(c.get("rank")), sort=fmt.sort_key(c.get("rank")), num=True),
               Cell(fmt.text(c.get("name")), sub=fmt.text(c.get("path") or ""), head=True),
               Cell(fmt.est(c.get("score")), sort=fmt.sort_key(c.get("score")), num=True, strong=True),
               Cell(fmt.ci(c.get("ci_low"), c.get("ci_high")), sort=fmt.sort_key(c.get("ci_low")), ci=glyph)]
        if by_t:
            row.append(Cell(fmt.est(c.get("t"), 2), sort=fmt.sort_key(c.get("t")), num=True))
        if has_panel:
            row += [Cell(fmt.pval(c.get("pvalue")), sort=fmt.sort_key(c.get("pvalue")), num=True),
                    Cell(fmt.est(index.get("estimate"), 2), sort=fmt.sort_key(index.get("estimate")), num=True,
                         sub=fmt.ci_label(index, lvl, 2) if index else "")]
        if any("top_share" in x for x in cands):
            row.append(Cell(fmt.percent(c.get("top_share")), sort=fmt.sort_key(c.get("top_share")), num=True))
        rows.append(row)
    score = "Agreement" if _statistic(data) == "agreement" else "Resemblance"
    together = ("Simultaneous: the candidates' intervals cover together, so the top candidate's holds although "
                "it was picked by the data" if len(cands) > 1 else "")
    columns = [Column("Rank", True), Column("Candidate"), Column(score, True), Column(f"{lvl} CI", False, together)]
    if by_t:
        columns.append(Column("t", True, "Studentised agreement: the agreement in units of its prompt-to-prompt noise (the per-prompt "
                                         "terms' sum over their root sum of squares). "
                                         "Candidates are ranked by it, so a wide interval can rank below a smaller "
                                         "estimate."))
    if has_panel:
        columns += [Column("p vs panel", True, "How likely the best of this many candidates, were they "
                           "like the panel models, would score at least this high"),
                    Column("Closeness index", True, "Cross-prompt resemblance (never partialled for --base): "
                           "0 = the panel median, 1 = the student's self-similarity. Below 0: less alike in general "
                           "style than the median panel model, which a candidate first by same-prompt agreement can "
                           "be (the two measure different things)")]
    if any("top_share" in x for x in cands):
        columns.append(Column("Ranked first", True, "Share of prompt resamples in which it comes first"))
    return Table(id="t-candidates", caption="Candidates, best first", columns=columns, rows=rows, filter=len(rows) > 8)


def _families(data: Mapping) -> Table | None:
    fams = {k: as_map(v) for k, v in as_map(data.get("families")).items()}
    cands = [as_map(c) for c in as_list(data.get("candidates"))]
    panel_names = [fmt.text(m) for m in as_list(get(data, "models", "panel", default=[]))]
    # Base models are partialled out of the student, not compared with it: no row.
    base_names = {fmt.text(m) for m in as_list(get(data, "models", "base", default=[]))}
    names: list[str] = [fmt.text(c.get("name")) for c in cands]
    for f in fams.values():
        names += [fmt.text(n) for n in as_map(f.get("estimates")) if fmt.text(n) not in names
                  and fmt.text(n) not in base_names]
    if not fams or not names:
        return None
    agreement = _statistic(data) == "agreement"
    by_candidate = {fmt.text(c.get("name")): as_map(c.get("families_agreement" if agreement else "families"))
                    for c in cands}
    # One row per model and one column per family: a panel of any size adds rows, not width.
    values = {}
    for key, f in fams.items():
        estimates = {fmt.text(k): v for k, v in as_map(f.get("agreement" if agreement else "estimates")).items()}
        values[key] = [estimates.get(n, by_candidate.get(n, {}).get(key)) for n in names]
    rows = [[Cell(n, sub="panel" if n in panel_names else "candidate", head=True)]
            + [Cell(fmt.est(values[key][i]), sort=fmt.sort_key(values[key][i]), num=True) for key in fams]
            for i, n in enumerate(names)]
    columns = [Column("Model")] + [
        Column(fmt.text(f.get("label") or key), True, fmt.text(f.get("description") or "")) for key, f in fams.items()]
    caption = "Same-prompt agreement" if agreement else "Resemblance"
    return Table(id="t-att-families", caption=f"{caption} with the student per model and feature family",
                 columns=columns, rows=rows, filter=len(rows) > 8)


def _runs_table(data: Mapping, key: str, first: tuple[str, Callable[[Mapping], Cell]], p_label: str, p_help: str,
                id: str, caption: str) -> tuple[Table | None, str, Mapping, str]:  # noqa: A002
    """A left-out view (``data[key]``) as one row per run: what was left out (``first``: heading
    and cell), the top candidate then, and the original top's agreement, t and p-value in that run.
    Returns the table (None with the reason when the view was not computed), the block and its top."""
    block = as_map(data.get(key))
    top = fmt.text(block.get("candidate"))
    if not block.get("computed"):
        reason = fmt.text(block.get("reason") or "")
        return None, (f"Not computed: {reason}." if reason else ""), block, top
    runs = [as_map(r) for r in as_list(block.get("runs"))]
    rows = [[first[1](r),
             Cell(fmt.text(r.get("top")), strong=fmt.text(r.get("top")) != top),
             Cell(fmt.est(r.get("agreement")), sort=fmt.sort_key(r.get("agreement")), num=True),
             Cell(fmt.est(r.get("t"), 2), sort=fmt.sort_key(r.get("t")), num=True),
             Cell(fmt.pval(r.get("pvalue")), sort=fmt.sort_key(r.get("pvalue")), num=True)]
            for r in runs]
    columns = [Column(first[0]), Column("Top candidate then"), Column(f"{top}'s agreement", True, name=True),
               Column(f"{top}'s t", True, name=True), Column(f"{top}'s {p_label}", True, p_help, name=True)]
    return Table(id=id, caption=caption, columns=columns, rows=rows, filter=len(rows) > 8), "", block, top


def _robustness(data: Mapping) -> tuple[Table | None, str]:
    """Each other candidate and panel model left out in turn: does the top candidate stay on top?"""
    table, reason, block, top = _runs_table(
        data, "leave_one_out",
        ("Left out", lambda r: Cell(fmt.text(r.get("left_out")), sub=fmt.text(r.get("role")), head=True)),
        "p vs panel", "Max-statistic p-value against the panel that remains",
        "t-att-robustness", "One model left out at a time")
    if table is None:
        return None, reason
    stays, total = block.get("stays_top"), block.get("analyses")
    single = fmt.number(block.get("candidates")) == 1
    note = ("With one candidate there is nothing to overtake it; only its p-value can move." if single else
            f"{top} stays the top candidate in {fmt.count(stays)} of {fmt.count(total)} analyses with one model "
            "left out.")
    prange = as_list(block.get("pvalue_range"))
    if len(prange) == 2:
        note += f" Its p vs panel then ranges from {fmt.pval(prange[0])} to {fmt.pval(prange[1])}."
    return table, note


def _half_panel(data: Mapping) -> tuple[Table | None, str]:
    """Halves of the panel left out: does the top candidate lean on a group of panel models?"""
    table, reason, block, top = _runs_table(
        data, "half_panel",
        ("Panel models left out", lambda r: Cell(", ".join(fmt.text(n) for n in as_list(r.get("left_out"))),
                                                 head=True)),
        "p vs kept half", "Max-statistic p-value against the panel models kept",
        "t-att-half-panel", "Half of the panel left out")
    if table is None:
        return None, reason
    draws = fmt.count(block.get("draws"))
    which = halves_note(block)
    tops = [as_map(t) for t in as_list(block.get("tops"))]
    others = [f"{fmt.text(t.get('name')) or 'no candidate'} in {fmt.count(t.get('count'))}" for t in tops
              if fmt.text(t.get("name")) != top]
    if fmt.number(block.get("candidates")) == 1:
        note = f"{which} With one candidate there is nothing to overtake it; only its t and p-value can move."
    else:
        note = f"{which} {top} stays the top candidate in {fmt.count(block.get('stays_top'))} of {draws}"
        note += f" (otherwise {', '.join(others)})." if others else "."
    leaning = [as_map(r) for r in as_list(block.get("leaning"))]
    if leaning:
        note += f" The top changes most often when {leaning_clause([fmt.text(r.get('name')) for r in leaning], leaning)}."
    ts, ps = as_map(block.get("t")), as_map(block.get("pvalue"))
    if ts:
        note += (f" {top}'s t: median {fmt.est(ts.get('median'), 2)}, from {fmt.est(ts.get('min'), 2)} to "
                 f"{fmt.est(ts.get('max'), 2)}.")
    if ps:
        kept_models = fmt.plural(int(fmt.number(block.get("kept")) or 0), "panel model")
        note += (f" Its p vs the kept half: median {fmt.pval(ps.get('median'))}, from {fmt.pval(ps.get('min'))} "
                 f"to {fmt.pval(ps.get('max'))}; with {kept_models} the smallest possible is "
                 f"{fmt.floor_range(block)}.")
    return table, note


def _neighbours(data: Mapping) -> Table | None:
    """For each candidate, the panel models that agree with it most, beside the student."""
    block = as_map(data.get("candidate_neighbours"))
    if not block.get("computed"):
        return None
    student = fmt.text(as_map(data.get("models")).get("student"))
    rows = []
    for row in (as_map(r) for r in as_list(block.get("candidates"))):
        nearest = [as_map(n) for n in as_list(row.get("panel"))][:3]
        cells = [Cell(fmt.text(n.get("name")), sub=f"agreement {fmt.est(n.get('agreement'))}") for n in nearest]
        rows.append([Cell(fmt.text(row.get("candidate")), head=True),
                     Cell(fmt.est(row.get("student")), sort=fmt.sort_key(row.get("student")), num=True),
                     *cells, *[Cell("") for _ in range(3 - len(cells))]])
    columns = [Column("Candidate"), Column(f"{student}'s agreement", True, name=True),
               Column("Nearest panel model"), Column("2nd"), Column("3rd")]
    return Table(id="t-att-neighbours", caption="Panel models that agree most with each candidate", columns=columns,
                 rows=rows, filter=len(rows) > 8)


def attribute_view(data: Mapping[str, Any]) -> AttributeView:
    models = as_map(data.get("models"))
    student = fmt.text(models.get("student"))
    panel_names = [fmt.text(m) for m in as_list(models.get("panel"))]
    cands = [as_map(c) for c in as_list(data.get("candidates"))]
    lvl = level(data)
    has_panel = bool(as_map(data.get("panel")))
    top = cands[0] if cands else {}
    block = as_map(data.get("phrases"))
    top_name = fmt.text(block.get("candidate") or top.get("name") or "the top candidate")
    figures = [KeyFigure("Closest candidate", fmt.text(top.get("name")),
                         f"{_statistic(data)} {fmt.est(top.get('score'))}, {lvl} CI {fmt.ci(top.get('ci_low'), top.get('ci_high'))}")]
    if has_panel:
        figures.append(KeyFigure("p vs panel (top candidate)", f"p = {fmt.pval(top.get('pvalue'))}",
                                 f"panel median {fmt.est(get(data, 'panel', 'median'))}"))
    if "top_share" in top:
        figures.append(KeyFigure("Ranked first in", fmt.percent(top.get("top_share")), "of prompt resamples"))
    figures.append(KeyFigure("Candidates", fmt.count(len(cands)),
                             f"panel: {fmt.plural(len(panel_names), 'model')}" if panel_names else "no panel"))
    figures.append(KeyFigure("Prompts compared", fmt.count(get(data, "coverage", "matched_prompts")),
                             answered_note(data, "answered by every model")))
    robustness = _robustness(data)
    half_panel = _half_panel(data)
    view = AttributeView(
        kind="attribute",
        header=Header(title=f"stylesim: which model does {student} write like?",
                      heading=f"Which candidate does {student}'s writing resemble most?",
                      kicker="stylesim attribution report",
                      meta=[f"student: {student}", f"{fmt.plural(len(cands), 'candidate')}",
                            f"panel: {', '.join(panel_names)}" if panel_names else "no panel",
                            prompts_label(data)]),
        nav=[], verdict=verdict(data, "Verdict", panel_note(panel_names, student, data.get("panel_inputs_dropped") or 0)), figures=figures,
        student=student, top=top_name, level=lvl, has_panel=has_panel,
        by_agreement=_statistic(data) == "agreement", forest=_forest(data, student, lvl),
        candidates=_candidates(data, lvl, has_panel), families=_families(data),
        robustness=robustness[0], robustness_note=robustness[1], half_panel=half_panel[0],
        half_panel_note=half_panel[1], neighbours=_neighbours(data),
        phrases=phrases(block, student, top_name, {}, prefix="aph"), identity=identity_cards(data, {}),
        data=data_section(data), footer=footer(data),
    )
    view.nav = [NavItem(anchor, label) for anchor, label, present in [
        ("verdict", "Verdict", True), ("candidates", "Candidates", True),
        ("robustness", "Leave out", any([view.robustness, view.robustness_note, view.half_panel,
                                         view.half_panel_note, view.neighbours])),
        ("families", "Feature families", view.families is not None),
        ("phrases", "Phrases", view.phrases is not None), ("identity", "Identity", bool(view.identity)),
        ("data", "Data and method", True),
    ] if present]
    return view
