"""How many feature workers run: the cores, bounded by the memory each needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from stylesim import parallel


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STYLESIM_JOBS", raising=False)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)


@pytest.mark.usefixtures("two_cores")
def test_workers_fill_the_cores_when_memory_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "available_memory", lambda: 16 * 2**30)
    assert parallel.jobs_within_memory(2 * 2**30) == 2


@pytest.mark.usefixtures("two_cores")
def test_a_large_analysis_runs_one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "available_memory", lambda: 16 * 2**30)
    # Two workers of 5 GiB would take more than half of 16 GiB.
    assert parallel.jobs_within_memory(5 * 2**30) == 1


@pytest.mark.usefixtures("two_cores")
def test_unknown_memory_allows_only_small_workers_in_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "available_memory", lambda: None)
    assert parallel.jobs_within_memory(100 * 2**20) == 2
    assert parallel.jobs_within_memory(3 * 2**30) == 1


def test_stylesim_jobs_overrides_the_memory_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STYLESIM_JOBS", "3")
    monkeypatch.setattr(parallel, "available_memory", lambda: 2**30)
    assert parallel.jobs_within_memory(5 * 2**30) == 3


@pytest.mark.skipif(not Path("/proc/meminfo").exists(), reason="reads Linux's /proc/meminfo")
def test_available_memory_reads_bytes_from_proc_meminfo() -> None:
    value = parallel.available_memory()
    assert isinstance(value, int) and 2**20 < value < 2**50


def test_the_numbers_do_not_depend_on_the_number_of_jobs() -> None:
    """Serial and forked runs of the feature families give identical results (each uses one BLAS
    thread; a multithreaded BLAS sums in another order and moved last digits, review of 0.3.7)."""
    import json

    from conftest import SAMPLE_PANEL, SAMPLES

    import stylesim

    def run(jobs: int) -> str:
        result = stylesim.compare(SAMPLES / "lyra.jsonl", SAMPLES / "lyra-distill.jsonl", panel=SAMPLE_PANEL,
                                  embeddings=False, n_resamples=50, n_permutations=50, jobs=jobs).to_dict()
        result.pop("created", None)
        return json.dumps(result, sort_keys=True, default=str)

    assert run(1) == run(2)
