"""Lineage check: does stylesim put each documented teacher first, and are students apart from controls?

    python benchmarks/lineage.py MANIFEST.json [--resamples 200] [--permutations 1000] [--json OUT]
    python benchmarks/lineage.py --shared [--corpora ../shared/corpora] [--write-manifest FILE]

Issue 11's goal is measured on published outputs with documented teacher -> student lineage:
every documented teacher first among the candidates, and the top candidate's p-values putting
students clearly apart from models trained on human data (AUC >= 0.95). This script measures both
on any such set, described by a manifest, so the goal can be checked on data that is not in
../shared. Each subject (student or control) is run through ``stylesim.attribute`` exactly as
``stylesim attribute SUBJECT CANDIDATES... --panel ... --base ...`` runs it, without embeddings
unless ``--embeddings`` is given.

A manifest is JSON::

    {"sets": [{
        "name": "alpaca",
        "models": {"vicuna-7b": "alpaca/vicuna-7b.json", "gpt-3.5": "alpaca/gpt-3.5.json", ...},
        "candidates": ["gpt-3.5", "gpt-4", ...],
        "panel": ["..."],
        "students": [{"model": "vicuna-7b", "teachers": ["gpt-3.5"], "base": ["llama-2-chat"]}],
        "controls": [{"model": "oasst-llama"}]
    }]}

Paths are relative to the manifest's folder (or to ``--root``). ``panel`` is optional: without it,
each subject's panel is every model of the set that is neither the subject, a candidate nor one of
its base models, so other students of the same teacher sit in a student's panel and can lower its
p vs panel; name a panel of unrelated models where the set has them. ``teachers`` lists every acceptable teacher (the best-ranked one counts);
``base`` is optional. ``--shared`` builds the manifest of the corpora in ../shared (the students
and controls of docs/validation.md, without ``--base``) and ``--write-manifest`` saves it as an
example.

Printed: one row per subject (top candidate, documented teacher's rank, the top's t, its p-value
against the panel and above the background), then per set and over all sets: how many students
put a documented teacher first, how many subjects' top p vs panel sits at its floor m / (m + K)
(where such p-values tie whatever the subjects are), and the AUC of students against controls for each of the top's
three scores (1 = every student stronger than every control; ties count one half; over all sets,
only a student and a control of the same set are compared).

Beside them, the naive reference the issue measured stylesim 0.2 against (naive.py:
mean-centred word-bigram cosine, centred on every model the set loads, over the prompts they all
answered): its top candidate and the teacher's rank for each subject, its teacher-first count, and
the AUC of the students' top cosine against the controls'. stylesim has to beat it to be worth
its machinery.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The top candidate's scores, and whether a smaller value is stronger evidence of lineage
# ("naive": the naive reference's cosine, not stylesim's).
SCORES = {"pvalue": True, "pvalue_above_background": True, "t": False, "naive": False}


class ManifestError(Exception):
    """A manifest problem, worded as one line that names the file and the entry."""


@dataclass
class Subject:
    model: str
    role: str  # "student" or "control"
    teachers: list[str] = field(default_factory=list)
    base: list[str] = field(default_factory=list)


@dataclass
class LineageSet:
    name: str
    models: dict[str, Path]
    candidates: list[str]
    subjects: list[Subject]
    panel: list[str] | None = None
    format: str | None = None

    def panel_for(self, subject: Subject) -> list[str]:
        if self.panel is not None:
            return [m for m in self.panel if m != subject.model and m not in subject.base]
        taken = {subject.model, *self.candidates, *subject.base}
        return [m for m in self.models if m not in taken]


def _names(where: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ManifestError(f"{where}: expected a list of model names")
    return list(value)


def parse_manifest(data: object, source: str, root: Path) -> list[LineageSet]:
    """The sets of a manifest (already parsed JSON); every problem is one ManifestError line."""
    if not isinstance(data, dict) or not isinstance(data.get("sets"), list) or not data["sets"]:
        raise ManifestError(f"{source}: expected an object with a non-empty list 'sets'")
    sets: list[LineageSet] = []
    for i, raw in enumerate(data["sets"]):
        where = f"{source}: sets[{i}]"
        if not isinstance(raw, dict):
            raise ManifestError(f"{where}: expected an object")
        name = str(raw.get("name") or f"set{i + 1}")
        where = f"{source}: set '{name}'"
        if name == "all sets" or any(s.name == name for s in sets):
            raise ManifestError(f"{where}: the name is {'reserved' if name == 'all sets' else 'used twice'}; "
                                "give each set its own name")
        models = raw.get("models")
        if not isinstance(models, dict) or not models or not all(isinstance(p, str) for p in models.values()):
            raise ManifestError(f"{where}: 'models' must map model names to file paths")
        paths = {model: (root / path) for model, path in models.items()}
        candidates = _names(f"{where}: 'candidates'", raw.get("candidates"))
        if not candidates:
            raise ManifestError(f"{where}: 'candidates' is empty")
        panel = _names(f"{where}: 'panel'", raw["panel"]) if raw.get("panel") is not None else None
        if panel and set(panel) & set(candidates):
            raise ManifestError(f"{where}: in both 'panel' and 'candidates': "
                                f"{', '.join(sorted(set(panel) & set(candidates)))}")
        subjects = []
        for role, key in (("student", "students"), ("control", "controls")):
            entries = raw.get(key, [])
            if not isinstance(entries, list):
                raise ManifestError(f"{where}: '{key}' must be a list")
            for entry in entries:
                if not isinstance(entry, dict) or not isinstance(entry.get("model"), str):
                    raise ManifestError(f"{where}: each of '{key}' needs a 'model'")
                teachers = _names(f"{where}: {entry['model']} 'teachers'", entry.get("teachers", []))
                if role == "student" and not teachers:
                    raise ManifestError(f"{where}: student {entry['model']} lists no teachers")
                base = _names(f"{where}: {entry['model']} 'base'", entry.get("base", []))
                subjects.append(Subject(entry["model"], role, teachers, base))
        if not subjects:
            raise ManifestError(f"{where}: no students or controls")
        named = candidates + (panel or []) + [m for s in subjects for m in (s.model, *s.base)]
        missing = sorted({m for m in named if m not in paths})
        if missing:
            raise ManifestError(f"{where}: not in 'models': {', '.join(missing)}")
        for subject in subjects:
            if subject.model in candidates:
                raise ManifestError(f"{where}: {subject.model} is both a subject and a candidate")
            stray = [t for t in subject.teachers if t not in candidates]
            if stray:
                raise ManifestError(f"{where}: {subject.model}'s teachers are not candidates: {', '.join(stray)}")
        absent = sorted(str(p) for p in paths.values() if not p.exists())
        if absent:
            raise ManifestError(f"{where}: no such file: {absent[0]}")
        sets.append(LineageSet(name, paths, candidates, subjects, panel, raw.get("format")))
    return sets


def load_manifest(path: Path, root: Path | None = None) -> list[LineageSet]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read the manifest ({exc})") from None
    return parse_manifest(data, str(path), root or path.parent)


@dataclass
class Row:
    set: str
    subject: str
    role: str
    base: list[str]
    top: str
    teacher_rank: int | None
    candidates: int
    panel: int
    t: float
    pvalue: float
    pvalue_above_background: float
    # The naive reference (naive.py) on the same set: its top candidate, the documented teacher's
    # rank by it, and the top's cosine.
    naive_top: str = ""
    naive_teacher_rank: int | None = None
    naive: float = float("nan")
    # The documented teacher's best rank by each feature family's agreement alone (a diagnostic:
    # which families carry an attribution; stylesim ranks by the families combined).
    family_ranks: dict[str, int | None] = field(default_factory=dict)


def run_set(lineage: LineageSet, *, resamples: int, permutations: int, seed: int,
            embeddings: bool) -> list[Row]:
    """``stylesim.attribute`` for every subject of one set (each file loaded once)."""
    import stylesim
    from stylesim.corpus import load_corpus

    needed = sorted({*lineage.candidates, *(lineage.panel or lineage.models),
                     *(m for s in lineage.subjects for m in (s.model, *s.base))})
    corpora = {}
    for model in needed:
        corpus = load_corpus(lineage.models[model], format=lineage.format)
        corpus.name = model
        corpora[model] = corpus
    naive = naive_reference(corpora)
    rows = []
    for subject in lineage.subjects:
        result = stylesim.attribute(
            corpora[subject.model], [corpora[c] for c in lineage.candidates],
            panel=[corpora[m] for m in lineage.panel_for(subject)], base=[corpora[b] for b in subject.base],
            seed=seed, n_resamples=resamples, n_permutations=permutations, embeddings=embeddings,
        ).to_dict()
        ranked = result["candidates"]
        ranks = [row["rank"] for row in ranked if row["name"] in subject.teachers]
        top = ranked[0]
        rows.append(Row(lineage.name, subject.model, subject.role, subject.base, top["name"],
                        min(ranks) if ranks else None, len(ranked), len(result["models"]["panel"]),
                        _number(top.get("t")), _number(top.get("pvalue")),
                        _number(top.get("pvalue_above_background")),
                        *naive_ranking(naive, subject, lineage.candidates),
                        family_ranks(ranked, subject.teachers)))
    return rows


def family_ranks(ranked: list[dict], teachers: list[str]) -> dict[str, int | None]:
    """The best documented teacher's rank among the candidates by each family's agreement (no
    agreement: last; ties by the candidates' order), or None without a documented teacher."""
    families = sorted({name for row in ranked for name in (row.get("families_agreement") or {})})
    out: dict[str, int | None] = {}
    def value(row: dict, family: str) -> float:
        v = (row.get("families_agreement") or {}).get(family)
        return v if isinstance(v, (int, float)) else float("-inf")

    for family in families:
        order = sorted(range(len(ranked)), key=lambda i: (-value(ranked[i], family), i))
        ranks = [order.index(i) + 1 for i, row in enumerate(ranked) if row["name"] in teachers]
        out[family] = min(ranks) if ranks else None
    return out


def naive_reference(corpora: dict) -> dict[str, dict[str, float]]:
    """The naive reference's cosine between every two of the set's models (all of them centre it),
    over the prompts they all answered. Names are sorted first, so file order cannot move it."""
    from naive import aligned_texts, naive_scores

    from stylesim.alignment import align

    names = sorted(corpora)
    alignment = align([corpora[n] for n in names], min_prompts=1)
    scores = naive_scores(aligned_texts(alignment))
    return {a: {b: float(scores[i, j]) for j, b in enumerate(names)} for i, a in enumerate(names)}


def naive_ranking(naive: dict[str, dict[str, float]], subject: Subject,
                  candidates: list[str]) -> tuple[str, int | None, float]:
    """The naive reference's top candidate for a subject, the best documented teacher's rank, the top's cosine."""
    values = naive[subject.model]
    order = sorted(candidates, key=lambda c: (-values[c], candidates.index(c)))
    ranks = [order.index(t) + 1 for t in subject.teachers if t in order]
    return order[0], min(ranks) if ranks else None, values[order[0]]


def _number(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else float("nan")


def _at_floor(row: Row) -> bool:
    """Whether the top's p vs panel is the smallest its candidates and panel allow, m / (m + K)."""
    from stylesim.stats.resampling import at_floor

    return row.panel > 0 and at_floor(row.pvalue, row.candidates / (row.candidates + row.panel))


def _wins(students: list[float], controls: list[float], smaller_is_stronger: bool) -> tuple[float, int]:
    """Student-control pairs in which the student's score is stronger (ties one half), and the pairs."""
    weakest = float("inf") if smaller_is_stronger else float("-inf")

    def key(x: float) -> float:
        x = weakest if x != x else x
        return -x if smaller_is_stronger else x

    wins = sum(1.0 if key(s) > key(c) else 0.5 if key(s) == key(c) else 0.0 for s in students for c in controls)
    return wins, len(students) * len(controls)


def auc(students: list[float], controls: list[float], *, smaller_is_stronger: bool) -> float:
    """P(a student's score is stronger than a control's), ties one half; NaN scores count as weakest."""
    wins, pairs = _wins(students, controls, smaller_is_stronger)
    return wins / pairs if pairs else float("nan")


def summarise(rows: list[Row]) -> list[dict]:
    """Per set and over all sets: teachers first, and the students-against-controls AUC by each score.
    Over all sets the AUC pools the pairs *within* each set: scores from different sets (other
    candidates, panels and prompts) are not comparable."""
    names = list(dict.fromkeys(r.set for r in rows))
    groups = {name: [name] for name in names}
    if len(names) > 1:
        groups["all sets"] = names
    out = []
    for label, members in groups.items():
        group = [r for r in rows if r.set in members]
        students = [r for r in group if r.role == "student"]
        entry = {"set": label, "students": len(students), "controls": sum(r.role == "control" for r in group),
                 "teacher_first": sum(r.teacher_rank == 1 for r in students),
                 "naive_teacher_first": sum(r.naive_teacher_rank == 1 for r in students),
                 # Subjects whose top p vs panel is the smallest m / (m + K) allows: tied, whatever they are.
                 "at_pvalue_floor": sum(_at_floor(r) for r in group)}
        for score, smaller in SCORES.items():
            wins = pairs = 0.0
            for name in members:
                within = [r for r in group if r.set == name]
                w, p = _wins([getattr(r, score) for r in within if r.role == "student"],
                             [getattr(r, score) for r in within if r.role == "control"], smaller)
                wins, pairs = wins + w, pairs + p
            entry[f"auc_{score}"] = wins / pairs if pairs else float("nan")
        out.append(entry)
    return out


def shared_manifest(corpora: Path) -> dict:
    """The students and controls of docs/validation.md, as a manifest over ../shared/corpora."""
    from reference import TASKS
    from validation import corpus_files

    sets = []
    for name, (candidates, subjects) in TASKS.items():
        files = corpus_files(corpora, name)
        if not all(m in files for m in candidates) or not any(s in files for s, _ in subjects):
            continue
        present = [(s, docs) for s, docs in subjects if s in files]
        sets.append({
            "name": name,
            "models": {model: str(path) for model, path in files.items()},
            "candidates": candidates,
            "students": [{"model": s, "teachers": docs} for s, docs in present if docs],
            "controls": [{"model": s} for s, docs in present if not docs],
        })
    if not sets:
        raise ManifestError(f"{corpora}: none of the lineage corpora is there")
    return {"sets": sets}


def _finite(value: object) -> object:
    """JSON has no NaN: write null instead."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def markdown(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _auc_text(value: float) -> str:
    """``0.28``, or "n/a" for a set with no controls (or no students), where there is no AUC."""
    return "n/a" if math.isnan(value) else f"{value:.2f}"


def report(rows: list[Row], summary: list[dict]) -> str:
    def rank(value: int | None, of: int) -> str:
        return f"{value} of {of}" if value else "n/a"

    subject_rows = [[r.set, r.subject, r.role, ", ".join(r.base) or "none", r.top, rank(r.teacher_rank, r.candidates),
                     r.panel, f"{r.t:.2f}", f"{r.pvalue:.3f}", f"{r.pvalue_above_background:.4f}",
                     r.naive_top or "n/a", rank(r.naive_teacher_rank, r.candidates),
                     "n/a" if math.isnan(r.naive) else f"{r.naive:.3f}"] for r in rows]
    summary_rows = [[s["set"], f"{s['teacher_first']} of {s['students']}", s["controls"],
                     f"{s['at_pvalue_floor']} of {s['students'] + s['controls']}",
                     *(_auc_text(s[f"auc_{k}"]) for k in SCORES if k != "naive"),
                     f"{s['naive_teacher_first']} of {s['students']}", _auc_text(s["auc_naive"])] for s in summary]
    return "\n\n".join([
        markdown(["set", "subject", "role", "base", "top candidate", "documented teacher's rank", "panel",
                  "top's t", "top's p vs panel", "top's p above background", "top, naive",
                  "teacher's rank, naive", "top's naive cosine"], subject_rows),
        markdown(["set", "teacher first", "controls", "top's p vs panel at its floor", "AUC by p vs panel",
                  "AUC by p above background", "AUC by t", "teacher first, naive", "AUC by naive cosine"],
                 summary_rows),
        *family_table(rows),
    ])


def family_table(rows: list[Row]) -> list[str]:
    """The documented teacher's rank by each family's agreement alone, per student, and how many
    teachers each family puts first (a diagnostic; empty without students)."""
    students = [r for r in rows if r.role == "student" and r.family_ranks]
    if not students:
        return []
    families = sorted({f for r in students for f in r.family_ranks})
    body = [[r.set, r.subject, *(f"{r.family_ranks.get(f)} of {r.candidates}" if r.family_ranks.get(f) else "n/a"
                                 for f in families), f"{r.teacher_rank} of {r.candidates}" if r.teacher_rank else "n/a"]
            for r in students]
    body.append(["all sets", "teacher first", *(str(sum(r.family_ranks.get(f) == 1 for r in students))
                                                 for f in families),
                 str(sum(r.teacher_rank == 1 for r in students))])
    return [markdown(["set", "student", *(f"rank by {f}" for f in families), "rank, combined (t)"], body)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("manifest", nargs="?", type=Path)
    parser.add_argument("--shared", action="store_true", help="the lineage sets of ../shared/corpora")
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--root", type=Path, help="folder the manifest's paths are relative to")
    parser.add_argument("--write-manifest", type=Path, help="with --shared: save its manifest and stop")
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--permutations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--embeddings", action="store_true")
    parser.add_argument("--json", type=Path, help="write the rows and the summary as JSON")
    args = parser.parse_args(argv)
    if args.shared == (args.manifest is not None):
        parser.error("give a manifest or --shared (one of them)")
    if args.write_manifest and not args.shared:
        parser.error("--write-manifest goes with --shared")
    try:
        if args.shared:
            data = shared_manifest(args.corpora)
            if args.write_manifest:
                from stylesim.errors import StylesimError
                from stylesim.result import check_output_paths, write_atomic

                try:
                    check_output_paths([args.write_manifest])
                    write_atomic(args.write_manifest, json.dumps(data, indent=1) + "\n")
                except (OSError, StylesimError) as exc:
                    print(f"error: {exc}", file=sys.stderr)
                    return 2
                return 0
            sets = parse_manifest(data, "--shared", Path.cwd())
        else:
            sets = load_manifest(args.manifest, args.root)
    except ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from stylesim.errors import StylesimError
    from stylesim.result import check_output_paths, write_atomic

    try:  # before the run: never over an input (the manifest, a model's file), never into a missing folder
        check_output_paths([args.json], [p for p in [args.manifest, *(m for s in sets for m in s.models.values())] if p])
        rows = [row for lineage in sets for row in run_set(
            lineage, resamples=args.resamples, permutations=args.permutations, seed=args.seed,
            embeddings=args.embeddings)]
    except StylesimError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    summary = summarise(rows)
    print(report(rows, summary))
    if args.json:
        payload = {"rows": [asdict(r) for r in rows], "summary": summary}
        try:
            write_atomic(args.json, json.dumps(_finite(payload), indent=1) + "\n")
        except (OSError, StylesimError) as exc:
            print(f"error: {args.json}: cannot write ({exc})", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
