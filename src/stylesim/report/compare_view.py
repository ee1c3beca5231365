"""The view-model of a ``compare`` result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import fmt
from .charts import (
    ForestInput,
    Histogram,
    MarkInput,
    RefInput,
    Responsive,
    forest_pair,
    histogram_chart,
    histogram_pair,
    mini_cis,
)
from .common import (
    as_list,
    as_map,
    data_section,
    footer,
    get,
    identity_cards,
    level,
    openers_table,
    panel_note,
    phrases,
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
from .prompts_view import PromptsView, prompt_index, prompts_view


@dataclass
class NullChart:
    label: str
    p: str
    chart: Histogram | None


@dataclass
class WideNullChart:
    label: str
    p: str
    chart: Responsive | None


@dataclass
class OpenerCard:
    name: str
    openers: Table
    closers: Table


@dataclass
class CompareView:
    kind: str
    header: Header
    nav: list[NavItem]
    verdict: Verdict
    figures: list[KeyFigure]
    name_a: str
    name_b: str
    level: str
    has_panel: bool
    agreement: Responsive | None
    position: Responsive | None
    closeness: Responsive | None
    bootstrap: Responsive | None
    families_agreement: Table | None
    families: Table
    profiles: Table | None
    nulls: list[NullChart]
    equality: WideNullChart | None
    equality_hypothesis: str
    phrases: Phrases | None
    formatting: Table | None
    openers: list[OpenerCard]
    ablations: Table | None
    prompts: PromptsView | None
    identity: list[IdentityCard]
    stylometry: Table | None
    data: DataSection
    footer: Footer


def _interval_rows(items: list[tuple[str, str, Mapping]], lvl: str) -> list[list[Cell]]:
    """Rows of (label, description, {estimate, ci_low, ci_high}) with a shared-axis interval glyph."""
    glyphs = mini_cis([(m.get("estimate"), m.get("ci_low"), m.get("ci_high")) for _, _, m in items],
                      [f"{label}: {fmt.est(m.get('estimate'))} ({lvl} CI {fmt.ci(m.get('ci_low'), m.get('ci_high'))})"
                       for label, _, m in items])
    return [[Cell(label, sub=desc, head=True),
             Cell(fmt.est(m.get("estimate")), sort=fmt.sort_key(m.get("estimate")), num=True, strong=True),
             Cell(fmt.ci(m.get("ci_low"), m.get("ci_high")), sort=fmt.sort_key(m.get("ci_low")), ci=glyph)]
            for (label, desc, m), glyph in zip(items, glyphs)]


def _family_resemblance(family: Mapping) -> Mapping:
    """A family's resemblance on the scale its panel rank uses: centred when the run centred (schema 2
    ``resemblance.centred``), else uncentred; schema 1 kept it in the family's own estimate keys."""
    pair = as_map(family.get("resemblance"))
    if not pair:
        return family
    return as_map(pair.get("centred")) or as_map(pair.get("uncentred"))


def _rank_cell(rank: object, n_panel: int, pvalue: object) -> Cell:
    return Cell(f"{fmt.count(rank)} of {n_panel}" if rank is not None else fmt.NA, sort=fmt.sort_key(rank),
                sub=f"p = {fmt.pval(pvalue)}", num=True)


def _families(data: Mapping, lvl: str, n_panel: int | None) -> tuple[Table | None, Table]:
    """Two tables of at most six columns each (one wide table did not fit a laptop screen):
    same-prompt agreement per family, then resemblance and the equality tests per family."""
    fams = [(fmt.text(f.get("label") or key), fmt.text(f.get("description") or ""), f)
            for key, f in ((k, as_map(v)) for k, v in as_map(data.get("families")).items())]
    agreement_table = None
    if any(as_map(f.get("agreement")) for _, _, f in fams):
        rows = _interval_rows([(label, desc, as_map(f.get("agreement"))) for label, desc, f in fams], lvl)
        columns = [Column("Feature family"),
                   Column("Agreement", True, "Same-prompt agreement beyond what the other models say"),
                   Column(f"{lvl} CI")]
        if n_panel:
            columns.append(Column("Rank", True, "Place among the compared models as A's neighbour by agreement"))
            for row, (_, _, f) in zip(rows, fams):
                agreement = as_map(f.get("agreement"))
                row.append(_rank_cell(agreement.get("panel_rank"), n_panel, agreement.get("panel_pvalue")))
        agreement_table = Table(id="t-families-agreement", caption="Same-prompt agreement per feature family",
                                columns=columns, rows=rows)
    rows = _interval_rows([(label, desc, _family_resemblance(f)) for label, desc, f in fams], lvl)
    for row, (_, _, f) in zip(rows, fams):
        row += [Cell(fmt.pval(f.get("pvalue")), sort=fmt.sort_key(f.get("pvalue")), num=True),
                Cell(fmt.pval(f.get("pvalue_adjusted")), sort=fmt.sort_key(f.get("pvalue_adjusted")), num=True)]
        if n_panel:
            row.append(_rank_cell(f.get("panel_rank"), n_panel, f.get("panel_pvalue")))
    centred = bool(resemblance_of(data, "centred"))
    columns = [Column("Feature family"),
               Column("Resemblance" + (" (centred)" if centred else ""), True,
                      "Cross-prompt style resemblance" + (", centred on the pooled models" if centred else "")),
               Column(f"{lvl} CI"),
               Column("p (equality)", True, "Within-prompt permutation test: can the outputs be told apart?"),
               Column("Holm p", True, "Holm-adjusted for testing several families")]
    if n_panel:
        columns.append(Column("Rank", True, "Place among the compared models as A's neighbour by resemblance"))
    return agreement_table, Table(id="t-families", caption="Resemblance and equality tests per feature family",
                                  columns=columns, rows=rows)


def _profiles(data: Mapping, a: str, b: str) -> Table | None:
    """Whole-corpus n-gram profiles: cosine and min-max (Ruzicka) similarity with A, per model."""
    block = as_map(data.get("lexical_profiles"))
    models = [fmt.text(m) for m in as_list(block.get("models"))]
    families = [(fmt.text(as_map(f).get("label") or k), as_map(f)) for k, f in as_map(block.get("families")).items()]
    if not models or not families:
        return None
    rows = []
    for i, name in enumerate(models):
        row = [Cell(name, head=True, strong=name == b, sub="B" if name == b else "")]
        for _, f in families:
            for key in ("cosine", "ruzicka"):
                values = as_list(f.get(key))
                value = values[i] if i < len(values) else None
                row.append(Cell(fmt.est(value), sort=fmt.sort_key(value), num=True))
        rows.append(row)
    columns = [Column("Model")] + [Column(f"{label}: {measure}", True, tip)
                                   for label, _ in families
                                   for measure, tip in (("cosine", "Cosine of the mean tf-idf profiles"),
                                                        ("min-max", "Ruzicka: sum of minima over sum of maxima"))]
    return Table(id="t-profiles", caption=f"Whole-corpus n-gram profiles compared with {a}'s (descriptive)",
                 columns=columns, rows=rows)


def _agreement(data: Mapping, a: str, b: str, lvl: str) -> Responsive | None:
    """Every model's same-prompt agreement with A (the primary ranking), between the panel median
    and, with several samples per prompt, A's agreement with a second sample of itself."""
    panel = as_map(data.get("panel"))
    block = as_map(panel.get("agreement"))
    rows = []
    for m in as_list(panel.get("models")):
        m = as_map(m)
        name = fmt.text(m.get("name"))
        rows.append(ForestInput(label=name, estimate=m.get("agreement"), low=m.get("agreement_ci_low"),
                                high=m.get("agreement_ci_high"), kind="target" if name == b else "panel",
                                note="the model in question" if name == b else "panel model"))
    if not rows or not block:
        return None
    refs = [RefInput("panel median", block.get("median"), "median", note="a typical panel model")]
    ceiling = as_map(block.get("ceiling"))
    if ceiling:
        refs.append(RefInput("ceiling", ceiling.get("estimate"), "ceiling", ceiling.get("ci_low"), ceiling.get("ci_high"),
                             note=f"{a} against a second sample of itself"))
    return forest_pair(rows, refs, axis_label=f"same-prompt agreement with {a}", level=lvl,
                       desc=f"Each model's same-prompt agreement with {a} with its {lvl} confidence interval, "
                            "sorted from the closest.")


def _position(data: Mapping, a: str, b: str, lvl: str) -> tuple[Responsive | None, Responsive | None]:
    panel = as_map(data.get("panel"))
    rows = []
    for m in as_list(panel.get("models")):
        m = as_map(m)
        name = fmt.text(m.get("name"))
        rows.append(ForestInput(label=name, estimate=m.get("similarity"), low=m.get("ci_low"), high=m.get("ci_high"),
                                kind="target" if name == b else "panel",
                                note="the model in question" if name == b else "panel model"))
    ceiling = as_map(panel.get("ceiling"))
    refs = [RefInput("panel median", panel.get("median"), "median", note="a typical panel model"),
            RefInput("ceiling", ceiling.get("estimate"), "ceiling", ceiling.get("ci_low"), ceiling.get("ci_high"),
                     note=f"{a}'s self-similarity")]
    position = forest_pair(rows, refs, axis_label=f"resemblance to {a}", level=lvl,
                      desc=f"Each model's resemblance to {a} with its {lvl} confidence interval, "
                           "between the panel median and the ceiling.") if rows else None
    index = as_map(panel.get("closeness_index"))
    closeness = None
    if fmt.number(index.get("estimate")) is not None:
        closeness = forest_pair(
            [ForestInput(b, index.get("estimate"), index.get("ci_low"), index.get("ci_high"), "target")],
            [RefInput("0 = typical panel model", 0.0, "median", show_value=False),
             RefInput(f"1 = {a}'s self-similarity", 1.0, "ceiling", show_value=False)],
            axis_label="closeness index", level=lvl,
            desc=f"Closeness index of {b}: 0 is a typical panel model, 1 is {a}'s self-similarity.")
    return position, closeness


def resemblance_of(data: Mapping, key: str) -> Mapping:
    """``similarity.centred`` or ``similarity.uncentred`` ({} when absent). Schema 1 results had one
    name, ``overall``, for whichever of the two the run computed (``centred_on_panel``)."""
    similarity = as_map(data.get("similarity"))
    if "uncentred" in similarity or "centred" in similarity:
        return as_map(similarity.get(key))
    return as_map(similarity.get("overall")) if (key == "centred") == bool(data.get("centred_on_panel")) else {}


def _bootstrap(data: Mapping, lvl: str) -> Responsive | None:
    overall = resemblance_of(data, "uncentred")
    marks = [MarkInput("estimate", overall.get("estimate"), "estimate"),
             MarkInput("self-similarity", 1.0, "ceiling", "as alike as each model is to itself")]
    draws = get(data, "similarity", "bootstrap", default=[])
    draws = as_map(draws).get("uncentred") if isinstance(draws, Mapping) else draws
    return histogram_pair(as_list(draws), marks,
                          band=(overall.get("ci_low"), overall.get("ci_high")), value_fmt=fmt.est,
                          axis_label="resemblance (bootstrap draws)",
                          desc=f"Bootstrap distribution of the resemblance, with its {lvl} interval.")


def _nulls(data: Mapping) -> tuple[list[NullChart], WideNullChart | None]:
    charts = []
    for key, f in as_map(data.get("families")).items():
        f = as_map(f)
        test = as_map(f.get("test"))
        if not test.get("null"):
            continue
        label = fmt.text(f.get("label") or key)
        chart = histogram_chart(as_list(test.get("null")), [MarkInput("observed", test.get("statistic"), "observed")],
                                axis_label="test statistic", desc=f"Null distribution for {label}")
        charts.append(NullChart(label=label, p=fmt.pval(f.get("pvalue")), chart=chart))
    eq = as_map(data.get("equality"))
    equality = None
    if eq.get("null"):
        equality = WideNullChart(
            label="All families combined", p=fmt.pval(eq.get("pvalue")),
            chart=histogram_pair(as_list(eq.get("null")), [MarkInput("observed", eq.get("statistic"), "observed")],
                                 axis_label="combined test statistic",
                                 desc="Null distribution of the combined equality test"))
    return charts, equality


def _formatting(data: Mapping) -> Table | None:
    block = as_map(data.get("formatting"))
    models = [fmt.text(m) for m in as_list(block.get("models"))]
    rows = []
    for r in as_list(block.get("rows")):
        r = as_map(r)
        unit = fmt.text(r.get("unit") or "")
        values = as_list(r.get("values"))
        rows.append([Cell(fmt.text(r.get("feature")), head=True), Cell(unit)]
                    + [Cell(fmt.rate(v, unit), sort=fmt.sort_key(v), num=True) for v in values[:len(models)]])
    if not rows:
        return None
    return Table(id="t-formatting", caption="Formatting and phrasing habits per model",
                 columns=[Column("Habit"), Column("Unit")] + [Column(m, True) for m in models], rows=rows,
                 filter=True)


def _ablations(data: Mapping, lvl: str) -> Table | None:
    items = [(fmt.text(v.get("label") or k), "", v)
             for k, v in ((k, as_map(v)) for k, v in as_map(data.get("ablations")).items())]
    if not items:
        return None
    rows = _interval_rows(items, lvl)
    columns = [Column("View"), Column("Resemblance", True), Column(f"{lvl} CI")]
    if any(as_map(v.get("agreement")) for _, _, v in items):
        agreement = _interval_rows([(label, "", as_map(v.get("agreement"))) for label, _, v in items], lvl)
        rows = [[row[0], *agree[1:], *row[1:]] for row, agree in zip(rows, agreement)]
        columns = [Column("View"), Column("Agreement", True), Column(f"{lvl} CI"), *columns[1:]]
    return Table(id="t-ablations", caption="Agreement and resemblance under each ablation view",
                 columns=columns, rows=rows)


def _stylometry(data: Mapping, a: str) -> Table | None:
    block = as_map(data.get("stylometry"))
    models = [fmt.text(m) for m in as_list(block.get("models"))]
    deltas = [as_map(d) for d in as_list(block.get("delta"))]
    if not models or not deltas:
        return None
    rows = []
    for m, name in enumerate(models):
        for kind, label in (("burrows", "Burrows' Delta"), ("cosine", "Cosine Delta")):
            values = [as_list(d.get(kind))[m] if m < len(as_list(d.get(kind))) else None for d in deltas]
            rows.append([Cell(name, sub=label, head=True)]
                        + [Cell(fmt.est(v), sort=fmt.sort_key(v), num=True) for v in values])
    columns = [Column("Model and measure")] + [
        Column(f"{fmt.count(d.get('n_words'))} words", True, "Number of most frequent words used") for d in deltas]
    return Table(id="t-delta", caption=f"Delta distances from {a}'s word-frequency profile (smaller = closer)",
                 columns=columns, rows=rows)


def _figures(data: Mapping, lvl: str) -> list[KeyFigure]:
    centred = bool(resemblance_of(data, "centred"))
    overall = resemblance_of(data, "centred" if centred else "uncentred")
    figures = [KeyFigure("Resemblance (centred)" if centred else "Resemblance (uncentred)", fmt.est(overall.get("estimate")),
                         f"{lvl} CI {fmt.ci(overall.get('ci_low'), overall.get('ci_high'))}")]
    panel = as_map(data.get("panel"))
    agreement = as_map(get(data, "agreement", "overall"))
    if agreement:
        figures.insert(0, KeyFigure("Same-prompt agreement", fmt.est(agreement.get("estimate")),
                                    f"{lvl} CI {fmt.ci(agreement.get('ci_low'), agreement.get('ci_high'))}"
                                    + (f"; panel median {fmt.est(get(panel, 'agreement', 'median'))}" if panel else "")))
    if panel:
        index = as_map(panel.get("closeness_index"))
        figures += [
            KeyFigure("Rank by agreement", f"{fmt.count(panel.get('rank'))} of {fmt.count(panel.get('n'))}",
                      f"p = {fmt.pval(panel.get('pvalue'))}"),
            KeyFigure("Closeness index (resemblance)", fmt.est(index.get("estimate"), 2),
                      f"{lvl} CI {fmt.ci(index.get('ci_low'), index.get('ci_high'), 2)}; 0 = panel, 1 = ceiling"),
            KeyFigure("Ceiling (self-similarity)", fmt.est(get(panel, "ceiling", "estimate")),
                      f"panel median {fmt.est(panel.get('median'))}"),
        ]
    eq = as_map(data.get("equality"))
    if eq:
        figures.append(KeyFigure("Told apart? (equality test)", f"p = {fmt.pval(eq.get('pvalue'))}",
                                 "small p: distinguishable, as most model pairs are"))
    n_models = len(as_list(data.get("inputs"))) or 2
    figures.append(KeyFigure("Prompts compared", fmt.count(get(data, "coverage", "matched_prompts")),
                             "answered by both models" if n_models == 2 else f"answered by all {n_models} models"))
    return figures


def compare_view(data: Mapping[str, Any]) -> CompareView:
    models = as_map(data.get("models"))
    a, b = fmt.text(models.get("a")), fmt.text(models.get("b"))
    panel_names = [fmt.text(m) for m in as_list(models.get("panel"))]
    lvl = level(data)
    panel = as_map(data.get("panel"))
    has_panel = bool(panel)
    n_panel = int(panel["n"]) if has_panel and fmt.number(panel.get("n")) is not None else None
    position, closeness = _position(data, a, b, lvl) if has_panel else (None, None)
    prompts = prompts_view(data, a, b)
    index = prompt_index(as_list(data.get("per_prompt")))
    nulls, equality = _nulls(data)
    families_agreement, families = _families(data, lvl, n_panel)
    oc = as_map(data.get("openers_closers"))
    openers = [OpenerCard(fmt.text(name), openers_table(fmt.text(name), "openers", as_map(v).get("openers"), f"t-open-{i}"),
                          openers_table(fmt.text(name), "closers", as_map(v).get("closers"), f"t-close-{i}"))
               for i, (name, v) in enumerate(oc.items())]
    view = CompareView(
        kind="compare",
        header=Header(title=f"stylesim: {a} vs {b}", heading=f"How alike is {b}'s writing to {a}'s?",
                      kicker="stylesim comparison report",
                      meta=[f"{a} (A) and {b} (B)",
                            f"panel: {', '.join(panel_names)}" if panel_names else "no panel",
                            f"{fmt.count(get(data, 'coverage', 'matched_prompts'))} prompts"]),
        nav=[], verdict=verdict(data, "Verdict", panel_note(panel_names, a)), figures=_figures(data, lvl),
        name_a=a, name_b=b, level=lvl, has_panel=has_panel,
        agreement=_agreement(data, a, b, lvl) if has_panel else None, position=position, closeness=closeness,
        bootstrap=None if has_panel else _bootstrap(data, lvl), families=families, families_agreement=families_agreement,
        profiles=_profiles(data, a, b),
        nulls=nulls, equality=equality,
        equality_hypothesis=fmt.text(get(data, "equality", "hypothesis", default="")),
        phrases=phrases(data.get("phrases"), a, b, index), formatting=_formatting(data), openers=openers,
        ablations=_ablations(data, lvl), prompts=prompts, identity=identity_cards(data, index),
        stylometry=_stylometry(data, a), data=data_section(data), footer=footer(data),
    )
    view.nav = [NavItem(anchor, label) for anchor, label, present in [
        ("verdict", "Verdict", True), ("position", "Where the pair sits", True),
        ("families", "Feature families", True), ("tests", "Tests", bool(nulls or equality)),
        ("phrases", "Phrases", view.phrases is not None), ("formatting", "Formatting", view.formatting is not None),
        ("openers", "Openers and closers", bool(openers)), ("ablations", "Ablations", view.ablations is not None),
        ("prompts", "Prompt by prompt", prompts is not None), ("identity", "Identity", bool(view.identity)),
        ("stylometry", "Delta", view.stylometry is not None), ("data", "Data and method", True),
    ] if present]
    return view
