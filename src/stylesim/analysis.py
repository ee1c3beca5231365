"""The engine shared by compare and attribute: features per family, then resampled similarities.

Features are fitted on the pooled texts of every model in the alignment (label-blind). With a
panel, every family is centred on the pooled mean of all models (what everyone shares does not
count: specificity weighting); without one, similarities are uncentred.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import scipy.sparse as sp

from . import features as feature_families
from .ablations import ablation_task
from .alignment import Alignment
from .features.embeddings import SentenceEmbedder
from .flat import FlatTexts, flatten, reference_rows
from .flat import per_prompt_matrices as _matrices
from .parallel import jobs_within_memory, one_blas_thread, run_tasks
from .plan import Plan
from .same_prompt import (
    Agreement,
    CombinedAgreement,
    LeftOut,
    anchor_agreement,
    combine_agreements,
    combine_left_out,
    leave_out,
    pairwise_agreement,
    sample_norms,
)
from .similarity import (
    AnchorSimilarity,
    anchor_similarity,
    mean_over_families,
    profile_similarity,
    same_prompt_cosines,
)
from .stats import resampling
from .stats.families import weighted_over_families
from .stats.moments import FoldCentre, prompt_grams, unit_means
from .stats.partial import prompt_folds

log = logging.getLogger(__name__)

# progress(stage) or progress(stage, done, total): the CLI shows it as a bar on a terminal.
Progress = Callable[..., None]


@dataclass(frozen=True)
class AgreementSpec:
    """What the agreement of one family is asked for beyond the plain statistic: ``covariates``
    partialled out over ``folds``, sets of models ``left_out`` one set at a time, and ``pairs``."""

    covariates: tuple[int, ...] = ()
    folds: np.ndarray | None = None
    left_out: tuple[tuple[int, ...], ...] = ()
    pairs: bool = False  # every pair's agreement too (point estimates)


@dataclass
class FamilyOutcome:
    """One family's arrays for an anchored comparison."""

    name: str
    label: str
    description: str
    similarity: AnchorSimilarity
    equality: tuple[float, np.ndarray] | None = None
    model_means: list[np.ndarray] | None = None  # per-model mean raw features (phrasing only)
    classifier: object | None = None  # ClassifierTestResult for dense families
    agreement: Agreement | None = None  # same-prompt agreement (three or more models)
    profiles: dict[str, np.ndarray] | None = None  # lexical families: whole-corpus profile cosine, Ruzicka
    left_out: LeftOut | None = None  # the anchor's agreement terms with sets of models left out
    pair_agreement: np.ndarray | None = None  # (models, models): every pair's agreement, if asked for


@dataclass
class AnchorOutcome:
    """All families for one anchor against every other model of the alignment."""

    families: dict[str, FamilyOutcome]
    weights: np.ndarray
    combined_ratio: np.ndarray  # (models, resamples)
    combined_paired: np.ndarray  # (models, prompts)
    combined_equality: tuple[float, np.ndarray] | None
    centred: bool
    ablations: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # name -> statistic -> (resamples,)
    side_results: dict[str, object] = field(default_factory=dict)
    # Same-prompt agreement, the mean over families (None with fewer than three models).
    combined_agreement: np.ndarray | None = None  # (models, resamples)
    combined_agreement_paired: np.ndarray | None = None  # (models, prompts)
    agreement: CombinedAgreement | None = None  # weights, contributions and studentised t (method v3)
    agreement_unpartialled: np.ndarray | None = None  # (models,): before partialling covariates, if any
    # (models, 2, resamples): the anchor's and model j's ceilings on the pair (anchor, j)'s background
    agreement_pair_ceilings: np.ndarray | None = None
    # (resamples,): the anchor's uncentred resemblance to the tested model (see AnchorSimilarity.uncentred)
    combined_uncentred: np.ndarray | None = None
    # The studentised agreement t and agreement (D, models) without the models ``left_out_sets[d]``.
    left_out_sets: list[tuple[int, ...]] | None = None
    left_out_t: np.ndarray | None = None
    left_out_agreement: np.ndarray | None = None
    # (models, models): every pair's agreement (families combined with the analysis's weights), if asked for.
    pair_agreement: np.ndarray | None = None


def analyse_anchor(
    alignment: Alignment,
    plan: Plan,
    *,
    anchor: int = 0,
    equality_with: int | None = 1,
    centre: bool = False,
    ablation_with: int | None = None,
    side_tasks: dict[str, Callable[[], object]] | None = None,
    partial_out: Sequence[int] = (),
    leave_out: Sequence[Sequence[int]] = (),
    pairs: bool = False,
    progress: Progress | None = None,
) -> AnchorOutcome:
    """Similarity of model ``anchor`` to every model, per family, with bootstrap and permutations.

    ``equality_with`` names the model for the within-prompt permutation test of equality;
    ``ablation_with`` the model for the ablation views. ``side_tasks`` are extra callables run in
    the same worker pool (their results land in ``outcome.side_results``). ``partial_out`` names
    covariate models (base models, siblings) partialled out of the anchor's agreement, cross-fitted
    over a fixed split of the prompts into five folds. ``leave_out`` names sets of models whose
    removal from the analysis is tried one set at a time: the anchor's agreement with every model
    without each set (``outcome.left_out_t``), which shows how much a ranking leans on any one
    background model or group of them; ``pairs`` every pair's (``outcome.pair_agreement``).
    """
    rng = resampling.as_rng(plan.seed)
    n = alignment.n_prompts
    # Variants of one prompt (alignment.prompt_groups) are one unit for every resampling plan.
    groups = alignment.prompt_groups
    units = resampling.n_units(n, groups)
    weights = np.vstack([np.ones(n), resampling.bootstrap_weights(n, plan.n_resamples, rng, groups)])
    # One flip per unit (the equality test runs on units), from a stream of their own: drawn after
    # the bootstrap weights from one stream, they moved with --resamples (before 0.3.14).
    signs = resampling.sign_flips(units, plan.n_permutations, resampling.as_rng([plan.seed, 3]))
    flat = flatten(alignment)
    order = _rotate(len(alignment.corpora), anchor)
    partial_spec = AgreementSpec(
        tuple(partial_out), prompt_folds(n, 5, np.random.default_rng(_FOLD_SEED), groups) if partial_out else None,
        tuple(tuple(group) for group in leave_out), pairs)
    tasks: dict[str, Callable[[], object]] = {}
    # Largest first, so two workers finish together.
    fit_rows = reference_rows(flat, plan.reference_models)
    for name in sorted(plan.families, key=lambda f: -_COST.get(f, 1)):
        tasks[f"family:{name}"] = partial(
            _family_task, name, flat, order, weights, signs, centre, equality_with, partial_spec, plan.seed, fit_rows,
            groups=groups,
        )
    if ablation_with is not None:
        from .features.transforms import ABLATIONS

        for key in ABLATIONS:
            tasks[f"ablation:{key}"] = partial(
                ablation_task, key, alignment, order, ablation_with, weights, centre, plan.seed, groups
            )
    embedder = vectors = None
    if plan.embeddings:
        embedder = SentenceEmbedder(plan.embedding_model, device=plan.device, cache_dir=plan.cache_dir,
                                    progress=_encoding_progress(progress))
        # A warm cache needs no model: the family then runs in the pool like the others.
        vectors = embedder.cached(flat.texts)
        if vectors is not None:
            tasks["family:embedding"] = partial(
                _embedding_task, vectors, flat, order, weights, signs, centre, equality_with, partial_spec, plan.seed,
                groups=groups,
            )
    # Side tasks (evidence) are long: start them right after the largest family.
    ordered = list(tasks.items())
    side = [(f"side:{key}", task) for key, task in (side_tasks or {}).items()]
    tasks = dict(ordered[:1] + side + ordered[1:])
    results = run_tasks(tasks, jobs=_jobs(plan, flat), progress=progress)
    outcomes: dict[str, FamilyOutcome] = {}
    for name in plan.families:
        outcome = results[f"family:{name}"]
        if outcome is None:
            log.warning("family %s has no features on these texts; skipped", name)
        else:
            outcomes[name] = outcome
    if embedder is not None:
        if vectors is None:
            # Encoding loads torch, after which forking is unsafe: it runs here, after the pool.
            if progress:
                progress("features: embedding")
            vectors = embedder.transform(flat.texts)
            with one_blas_thread():  # as the other families ran (method.md, Determinism)
                outcomes["embedding"] = _embedding_task(vectors, flat, order, weights, signs, centre,
                                                         equality_with, partial_spec, plan.seed, groups=groups)
        else:
            outcomes["embedding"] = results["family:embedding"]
    if not outcomes:
        from .errors import StylesimError

        raise StylesimError("no feature family produced features for these texts")
    combined_ratio = mean_over_families([o.similarity.ratio for o in outcomes.values()], resampled=True)
    uncentred = [o.similarity.uncentred for o in outcomes.values() if o.similarity.uncentred is not None]
    combined_uncentred = mean_over_families(uncentred, resampled=True) if uncentred else None
    combined_paired = mean_over_families([o.similarity.paired for o in outcomes.values()])
    agreements = [o.agreement for o in outcomes.values() if o.agreement is not None]
    combined_agreement = combined_agreement_paired = combined = unpartialled = None
    pair_ceilings = None
    if agreements:
        combined = combine_agreements([a.ratio for a in agreements], [a.numerator for a in agreements],
                                      [a.scale for a in agreements], [a.paired for a in agreements],
                                      groups=alignment.prompt_groups)
        combined_agreement, combined_agreement_paired = combined.ratio, combined.paired
        if all(a.pair_ceilings is not None for a in agreements):
            pair_ceilings = weighted_over_families([a.pair_ceilings for a in agreements], combined.weights,
                                                     resampled=True)
        if agreements[0].unpartialled is not None:
            unpartialled = weighted_over_families([a.unpartialled for a in agreements], combined.weights)
    combined_equality = _combined_equality(outcomes) if equality_with is not None else None
    ablations: dict[str, dict[str, np.ndarray]] = {
        key.split(":", 1)[1]: value  # type: ignore[misc]
        for key, value in results.items()
        if key.startswith("ablation:") and value is not None
    }
    side_results = {key.split(":", 1)[1]: v for key, v in results.items() if key.startswith("side:")}
    result = AnchorOutcome(
        outcomes, weights, combined_ratio, combined_paired, combined_equality, centre, ablations, side_results,
        combined_agreement=combined_agreement, combined_agreement_paired=combined_agreement_paired,
        agreement=combined, agreement_unpartialled=unpartialled, combined_uncentred=combined_uncentred,
        agreement_pair_ceilings=pair_ceilings,
    )
    if combined is not None:
        _combine_views(result, [o for o in outcomes.values() if o.agreement is not None], groups)
    return result


# Folds for centring are a fixed split (not the analysis seed), so every family and view of one
# alignment is centred the same way.
_FOLD_SEED = 20250601
# Centring needs a background estimated from several models: with the anchor, one other model
# and fewer than three more, "what everyone shares" is mostly those few models' own quirks.
MIN_MODELS_TO_CENTRE = 5


def _encoding_progress(progress: Progress | None) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress("embedding texts", done, total)


def should_centre(n_models: int) -> bool:
    """Whether an analysis of ``n_models`` models centres on their pooled background."""
    return n_models >= MIN_MODELS_TO_CENTRE
_COST = {"chars": 4, "phrasing": 2, "templates": 1.2, "words": 1, "overused": 0.8, "function_words": 0.5}


PROFILE_FAMILIES = ("words", "chars")  # non-negative n-gram weights: min-max similarity is defined
# Peak memory of one family worker per text it holds (the character n-grams, the largest family,
# measured at 46 KB a text on 25,696 AlpacaEval answers, rounded up).
WORKER_BYTES_PER_TEXT = 64 * 1024


def _jobs(plan: Plan, flat: FlatTexts) -> int | None:
    """Workers for the family tasks: each holds its own features, so there are as many as the cores
    allow and half the available memory holds (one, for a very large analysis)."""
    if plan.jobs is not None:
        return plan.jobs
    return jobs_within_memory(len(flat.texts) * WORKER_BYTES_PER_TEXT)


def _family_task(name, flat, order, weights, signs, centre, equality_with, partial_spec=None, seed=0,
                 fit_rows=None, groups=None):
    features, extractor = feature_families.extract(name, flat.texts, flat.groups, fit_rows)
    if features is None or features.shape[1] == 0:
        return None
    family = feature_families.FAMILIES[name]
    matrices = _matrices(features, flat)
    norms = sample_norms(features, flat.rows)
    phrasing_scale = getattr(extractor, "scale_", None) if name == "phrasing" else None
    if name == "phrasing":
        # Unscaled per-model mean rates: the report's formatting table, without a second pass.
        raw = np.asarray(features) * phrasing_scale
        model_means = [raw[[r for rows in model_rows for r in rows]].mean(axis=0) for model_rows in flat.rows]
    del features, extractor  # the per-prompt matrices are all that is needed from here on
    outcome = _outcome(
        name, family.label, family.description, matrices, norms, order, weights, signs, centre, equality_with,
        partial_spec, seed, groups=groups,
    )
    if name == "phrasing":
        outcome.model_means = model_means
    if name in PROFILE_FAMILIES:
        outcome.profiles = profile_similarity(matrices, anchor=order[0])
    return outcome


def _embedding_task(vectors, flat, order, weights, signs, centre, equality_with, partial_spec=None, seed=0,
                    groups=None):
    family = feature_families.EMBEDDING
    return _outcome(
        "embedding", family.label, family.description, _matrices(vectors, flat), sample_norms(vectors, flat.rows),
        order, weights, signs, centre, equality_with, partial_spec, seed, groups=groups,
    )


def _rotate(k: int, anchor: int) -> list[int]:
    return [anchor] + [m for m in range(k) if m != anchor]


def _outcome(name, label, description, matrices, norms, order, weights, signs, centre, equality_with,
             partial_spec=None, seed=0, groups=None):
    # The cross-prompt resemblance and the equality test run on resampling units (a prompt's
    # variants averaged), so that two variants of one prompt never count as different prompts.
    units = [unit_means(m, groups) for m in matrices]
    center = FoldCentre(units, np.random.default_rng(_FOLD_SEED)) if centre else None
    test_with = order.index(equality_with) if equality_with is not None else 1
    similarity = anchor_similarity(
        [units[m] for m in order], resampling.unit_weights(weights, groups), center=center,
        signs=signs if equality_with is not None else None, test_with=test_with, shrink=centre,
    )
    paired = (similarity.paired if groups is None
              else same_prompt_cosines([matrices[m] for m in order], center, groups))
    # Put rows back in the alignment's model order.
    inverse = np.argsort(order)
    equality = similarity.equality
    classifier = None
    if equality_with is not None and not sp.issparse(matrices[0]):
        from .stats.classifier import classifier_two_sample_test

        classifier = classifier_two_sample_test(
            np.asarray(matrices[order[0]]), np.asarray(matrices[equality_with]),
            n_permutations=signs.shape[0], rng=np.random.default_rng([seed, 2]), groups=groups,
        )
    similarity = AnchorSimilarity(
        cross=similarity.cross[inverse], selfs=similarity.selfs[inverse],
        ratio=similarity.ratio[inverse], paired=paired[inverse], uncentred=similarity.uncentred,
    )
    spec = partial_spec or AgreementSpec()
    agreement = anchor_agreement(matrices, norms, weights, anchor=order[0], partial=spec.covariates, folds=spec.folds)
    # One k x k product per prompt serves the left-out sets and every pair's agreement.
    gram = prompt_grams(matrices) if agreement is not None and (spec.left_out or spec.pairs) else None
    left = (leave_out(matrices, norms, spec.left_out, anchor=order[0], partial=spec.covariates, folds=spec.folds,
                      gram=gram) if gram is not None and spec.left_out else None)
    pairs = (pairwise_agreement(matrices, norms, np.ones((1, matrices[0].shape[0])), dots=gram).ratio[..., 0]
             if gram is not None and spec.pairs else None)
    return FamilyOutcome(name, label, description, similarity, equality, classifier=classifier, agreement=agreement,
                         left_out=left, pair_agreement=pairs)


def _combine_views(result: AnchorOutcome, families: list[FamilyOutcome], groups) -> None:  # noqa: ANN001
    """The left-out sets' and every pair's agreement, families combined with the analysis's weights."""
    parts = [f.left_out for f in families]
    if parts and all(p is not None for p in parts):
        result.left_out_sets = list(parts[0].sets)
        result.left_out_agreement, result.left_out_t = combine_left_out(parts, result.agreement.weights, groups)
    if families and all(f.pair_agreement is not None for f in families):
        result.pair_agreement = weighted_over_families([f.pair_agreement for f in families], result.agreement.weights)


def _combined_equality(outcomes: dict[str, FamilyOutcome]) -> tuple[float, np.ndarray] | None:
    """Sum over families of the equality statistic scaled by its null spread (same sign flips). A null
    without spread (A's and B's answers the same) adds nothing; if no family has one, 0 against zeros."""
    observed, null, flat = 0.0, None, None
    for statistic, distribution in (o.equality for o in outcomes.values() if o.equality is not None):
        scale = float(np.std(distribution))
        if scale == 0 and len(distribution):
            flat = np.zeros(len(distribution))
        elif np.isfinite(scale) and scale > 0:
            observed += statistic / scale
            null = distribution / scale if null is None else null + distribution / scale
    return (observed, null) if null is not None else (0.0, flat) if flat is not None else None
