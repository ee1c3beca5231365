"""stylesim's calibrated view of the reproduced pair: compare() with the other models as panel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..corpus import Corpus

_DROP_FAMILY = {"bootstrap"}


def calibrated_view(a: Corpus, b: Corpus, panel: Sequence[Corpus], *, seed: int, embeddings: bool,
                    n_resamples: int, confidence: float = 0.95,
                    progress: Callable[..., None] | None = None) -> dict[str, Any]:
    """Run :func:`stylesim.compare` for A-B against ``panel`` and keep the compact parts.

    Kept: the agreement and resemblance with their CIs, the panel block (rank by agreement, exact
    p-value, closeness index with CI, ceiling, median, every panel model's agreement and
    resemblance), each feature family's estimate, CI and
    p-values, and the verdict. Dropped: bootstrap and permutation distributions, per-prompt texts
    and evidence tables (the compare report has them).
    """
    from ..compare import MIN_PERMUTATIONS, compare

    result = compare(a, b, panel=list(panel), seed=seed, embeddings=embeddings,
                     n_resamples=max(n_resamples, 10), n_permutations=max(n_resamples, MIN_PERMUTATIONS),
                     confidence=confidence, progress=progress)
    return slim(result.to_dict())


def slim(data: dict[str, Any]) -> dict[str, Any]:
    """The compact parts of a compare result (see :func:`calibrated_view`)."""
    similarity = {k: v for k, v in data["similarity"].items() if k != "bootstrap"}
    families = {}
    for name, family in data.get("families", {}).items():
        entry = {k: v for k, v in family.items() if k not in _DROP_FAMILY}
        if isinstance(entry.get("test"), dict):
            entry["test"] = {k: v for k, v in entry["test"].items() if k != "null"}
        families[name] = entry
    panel = data.get("panel")
    if panel:
        panel = {k: v for k, v in panel.items() if k != "distribution"}
    agreement = data.get("agreement")
    if agreement:
        agreement = {k: v for k, v in agreement.items() if k != "bootstrap"}
    equality = data.get("equality")
    if equality:
        equality = {k: v for k, v in equality.items() if k != "null"}
    params = data.get("parameters", {})
    return {
        "method": "stylesim.compare(A, B, panel=every other input model)",
        "models": data["models"],
        "parameters": {k: params.get(k) for k in ("seed", "resamples", "permutations", "confidence",
                                                  "families", "embeddings") if k in params},
        "centred_on_panel": data.get("centred_on_panel"),
        "coverage": {k: v for k, v in (data.get("coverage") or {}).items() if k != "per_model"},
        "similarity": similarity,
        "agreement": agreement,
        "panel": panel,
        "families": families,
        "equality": equality,
        "verdict": data["verdict"],
    }
