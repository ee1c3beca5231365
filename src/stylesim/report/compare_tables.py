"""The tables of a ``compare`` report: per feature family, n-gram profiles, formatting habits,
ablations and Delta distances."""

from __future__ import annotations

from collections.abc import Mapping

from . import fmt
from .charts import mini_cis
from .common import RESEMBLANCE_RANK_NOTE, as_list, as_map, family_resemblance
from .parts import Cell, Column, Table


def resemblance_of(data: Mapping, key: str) -> Mapping:
    """``similarity.centred`` or ``similarity.uncentred`` ({} when absent). Schema 1 results had one
    name, ``overall``, for whichever of the two the run computed (``centred_on_panel``)."""
    similarity = as_map(data.get("similarity"))
    if "uncentred" in similarity or "centred" in similarity:
        return as_map(similarity.get(key))
    return as_map(similarity.get("overall")) if (key == "centred") == bool(data.get("centred_on_panel")) else {}


def interval_rows(items: list[tuple[str, str, Mapping]], lvl: str) -> list[list[Cell]]:
    """Rows of (label, description, {estimate, ci_low, ci_high}) with a shared-axis interval glyph."""
    glyphs = mini_cis([(m.get("estimate"), m.get("ci_low"), m.get("ci_high")) for _, _, m in items],
                      [f"{label}: {fmt.est(m.get('estimate'))} ({lvl} CI {fmt.ci(m.get('ci_low'), m.get('ci_high'))})"
                       for label, _, m in items])
    return [[Cell(label, sub=desc, head=True),
             Cell(fmt.est(m.get("estimate")), sort=fmt.sort_key(m.get("estimate")), num=True, strong=True),
             Cell(fmt.ci(m.get("ci_low"), m.get("ci_high")), sort=fmt.sort_key(m.get("ci_low")), ci=glyph)]
            for (label, desc, m), glyph in zip(items, glyphs)]


def _rank_cell(rank: object, n_panel: int, pvalue: object = None) -> Cell:
    """A panel rank, with its p-value under it where one is given."""
    return Cell(f"{fmt.count(rank)} of {n_panel}" if rank is not None else fmt.NA, sort=fmt.sort_key(rank),
                sub=f"p = {fmt.pval(pvalue)}" if pvalue is not None else "", num=True)


def families(data: Mapping, lvl: str, n_panel: int | None) -> tuple[Table | None, Table]:
    """Two tables of at most six columns each (one wide table did not fit a laptop screen):
    same-prompt agreement per family, then resemblance and the equality tests per family."""
    fams = [(fmt.text(f.get("label") or key), fmt.text(f.get("description") or ""), f)
            for key, f in ((k, as_map(v)) for k, v in as_map(data.get("families")).items())]
    agreement_table = None
    if any(as_map(f.get("agreement")) for _, _, f in fams):
        rows = interval_rows([(label, desc, as_map(f.get("agreement"))) for label, desc, f in fams], lvl)
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
    rows = interval_rows([(label, desc, family_resemblance(f)) for label, desc, f in fams], lvl)
    floor = fmt.permutation_floor(data)
    for row, (_, _, f) in zip(rows, fams):
        # At the permutation floor p is only bounded ("≤"), and so is its Holm adjustment: the
        # families below it in the step-down order are at the floor too.
        at_floor = fmt.pval_bounded(f.get("pvalue"), floor).startswith("\u2264")
        adjusted = fmt.pval(f.get("pvalue_adjusted"))
        row += [Cell(fmt.pval_bounded(f.get("pvalue"), floor), sort=fmt.sort_key(f.get("pvalue")), num=True),
                Cell(f"\u2264 {adjusted}" if at_floor and f.get("pvalue_adjusted") is not None else adjusted,
                     sort=fmt.sort_key(f.get("pvalue_adjusted")), num=True)]
        if n_panel:
            row.append(_rank_cell(f.get("panel_rank"), n_panel))  # descriptive: see RESEMBLANCE_RANK_NOTE
    centred = bool(resemblance_of(data, "centred"))
    columns = [Column("Feature family"),
               Column("Resemblance" + (" (centred)" if centred else ""), True,
                      "Cross-prompt style resemblance" + (", centred on the pooled models" if centred else "")),
               Column(f"{lvl} CI"),
               Column("p (equality)", True, "Within-prompt permutation test: can the outputs be told apart?"),
               Column("Holm p", True, "Holm-adjusted for testing several families")]
    if n_panel:
        columns.append(Column("Rank", True, "Place among the compared models as A's neighbour by resemblance; "
                              + RESEMBLANCE_RANK_NOTE))
    return agreement_table, Table(id="t-families", caption="Resemblance and equality tests per feature family",
                                  columns=columns, rows=rows)


def profiles(data: Mapping, a: str, b: str) -> Table | None:
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


def formatting(data: Mapping) -> Table | None:
    block = as_map(data.get("formatting"))
    models = [fmt.text(m) for m in as_list(block.get("models"))]
    rows = []
    for r in as_list(block.get("rows")):
        r = as_map(r)
        unit = fmt.text(r.get("unit") or "")
        values = as_list(r.get("values"))
        habit, original = fmt.token(r.get("feature"))
        rows.append([Cell(habit, head=True, title=original), Cell(unit)]
                    + [Cell(fmt.rate(v, unit), sort=fmt.sort_key(v), num=True) for v in values[:len(models)]])
    if not rows:
        return None
    return Table(id="t-formatting", caption="Formatting and phrasing habits per model",
                 columns=[Column("Habit"), Column("Unit")] + [Column(m, True, name=True) for m in models], rows=rows,
                 filter=True)


def ablations(data: Mapping, lvl: str) -> Table | None:
    items = [(fmt.text(v.get("label") or k), "", v)
             for k, v in ((k, as_map(v)) for k, v in as_map(data.get("ablations")).items())]
    if not items:
        return None
    rows = interval_rows(items, lvl)
    columns = [Column("View"), Column("Resemblance", True), Column(f"{lvl} CI")]
    measured = "Resemblance"
    if any(as_map(v.get("agreement")) for _, _, v in items):
        agreement = interval_rows([(label, "", as_map(v.get("agreement"))) for label, _, v in items], lvl)
        rows = [[row[0], *agree[1:], *row[1:]] for row, agree in zip(rows, agreement)]
        columns = [Column("View"), Column("Agreement", True), Column(f"{lvl} CI"), *columns[1:]]
        measured = "Agreement and resemblance"  # agreement needs a background: not without a panel
    return Table(id="t-ablations", caption=f"{measured} under each ablation view", columns=columns, rows=rows)


def stylometry(data: Mapping, a: str) -> Table | None:
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
