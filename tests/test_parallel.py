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


def test_the_numbers_do_not_depend_on_the_number_of_jobs(tmp_path) -> None:  # noqa: ANN001
    """Serial and forked runs of the feature families give identical results (each uses one BLAS
    thread; a multithreaded BLAS sums in another order and moved last digits, review of 0.3.7).
    Each run is a fresh process, so torch loaded by another test cannot make both serial."""
    import json
    import os
    import subprocess
    import sys

    from conftest import SAMPLE_PANEL, SAMPLES

    exe = str(Path(sys.executable).with_name("stylesim"))
    panel = [arg for path in SAMPLE_PANEL for arg in ("--panel", str(path))]

    def run(jobs: int) -> dict:
        out = tmp_path / f"jobs{jobs}.json"
        subprocess.run([exe, "compare", str(SAMPLES / "lyra.jsonl"), str(SAMPLES / "lyra-distill.jsonl"), *panel,
                        "--no-embeddings", "--resamples", "50", "--permutations", "50", "--json", str(out), "-q"],
                       check=True, env={**os.environ, "STYLESIM_JOBS": str(jobs)})
        data = json.loads(out.read_text(encoding="utf-8"))
        data.pop("created", None)
        return data

    assert run(1) == run(2)
