"""What decides the numbers of an analysis (seed, resamples, families, ...), recorded in every result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import features as feature_families
from .flat import pool_label
from .stats import resampling


@dataclass
class Plan:
    """Everything that decides the numbers, recorded in the result."""

    seed: int = 0
    n_resamples: int = 2000
    n_permutations: int = 2000
    confidence: float = 0.95
    families: Sequence[str] = tuple(feature_families.FAMILIES)
    embeddings: bool = True
    embedding_model: str | None = None
    device: str | None = None
    cache_dir: str | None = None
    jobs: int | None = None
    # Models whose texts the families are fitted on: None (all) in compare and matrix, [0] (the
    # student) in attribute; a pool of some ranked models favours them (method.md, "Features").
    reference_models: Sequence[int] | None = None
    # Resampling units (prompt groups) of the aligned prompts, set once they are aligned.
    units: int | None = None

    @property
    def interval_level(self) -> float:
        """The marginal level of every bootstrap percentile interval: ``confidence`` expanded for
        the number of units (:func:`stylesim.stats.resampling.expanded_level`), so that the
        intervals cover about ``confidence`` with few prompts too."""
        return self.confidence if self.units is None else resampling.expanded_level(self.confidence, self.units)

    def to_dict(self) -> dict[str, object]:
        return {
            "seed": self.seed,
            "resamples": self.n_resamples,
            "permutations": self.n_permutations,
            "confidence": self.confidence,
            # The percentile level the intervals use to cover ``confidence`` (Hesterberg's expansion).
            "interval_level": round(self.interval_level, 6),
            "families": list(self.families) + (["embedding"] if self.embeddings else []),
            "embeddings": self.embeddings,
            "embedding_model": (self.embedding_model or "all-MiniLM-L6-v2") if self.embeddings else None,
            "vocabulary_fitted_on": pool_label(self.reference_models),
        }
