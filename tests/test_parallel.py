"""How many feature workers run: the cores, bounded by the memory each needs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ENTRY_MAIN

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


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _compare_with_workers_running(tmp_path: Path):  # noqa: ANN202
    """A compare of 8 synthetic models (600 prompts) in its own session, returned once its feature
    workers run (past loading), with their process ids."""
    import json
    import os
    import random
    import subprocess
    import sys
    import time

    rng = random.Random(0)
    vocabulary = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(3000)]
    paths = []
    for m in range(8):
        own = rng.sample(vocabulary, 300)
        rows = []
        for p in range(600):
            words = [rng.choice(own if rng.random() < 0.3 else vocabulary) for _ in range(90)]
            text = ". ".join(" ".join(words[i:i + 15]).capitalize() for i in range(0, 90, 15)) + "."
            rows.append({"prompt_id": f"p{p}", "prompt": f"Question {p}?", "response": text, "model": f"m{m}"})
        paths.append(tmp_path / f"m{m}.jsonl")
        paths[-1].write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    args = ["compare", str(paths[0]), str(paths[1]), *[a for p in paths[2:] for a in ("--panel", str(p))],
            "--no-embeddings", "-q", "--json", str(tmp_path / "r.json")]
    env = {**os.environ, "STYLESIM_JOBS": "2"}
    process = subprocess.Popen([sys.executable, "-c", ENTRY_MAIN, *args], stderr=subprocess.PIPE, text=True, env=env,
                               start_new_session=True)
    started = time.monotonic()
    try:
        while time.monotonic() - started < 4 or len(_children(process.pid)) < 2:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() - started < 60, "no workers started"
            time.sleep(0.05)
    except BaseException:
        process.kill()
        raise
    return process, _children(process.pid)


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if "zombie" not in status.lower():
            alive.append(pid)
    return alive


def _ends_within(process) -> float:  # noqa: ANN001
    import time

    begun = time.monotonic()
    process.wait(timeout=30)
    return time.monotonic() - begun


# The commands run in fresh interpreters, where stylesim forks its workers (Linux).
LINUX_PROC = pytest.mark.skipif(not sys.platform.startswith("linux") or not Path("/proc/self/stat").exists(),
                                reason="needs Linux /proc and forked workers")


@LINUX_PROC
@pytest.mark.parametrize(("name", "group", "code", "said"), [("SIGINT", True, 130, "Interrupted."),
                                                            ("SIGTERM", False, 143, "Terminated.")])
def test_an_interrupt_while_workers_run_stops_them_and_exits_at_once(tmp_path: Path, name: str, group: bool,
                                                                     code: int, said: str) -> None:
    """SIGINT: a terminal's Ctrl-C reaches the whole process group. Up to 0.3.15 the parent printed
    "Interrupted." and then waited for the workers: for every queued task to run (11 s in one
    trial on AlpacaEval) or, where a worker had been interrupted holding the task queue's lock,
    for ever. SIGTERM: `timeout` and job schedulers send it to the parent alone, which up to 0.3.15
    died at once while its orphaned workers waited for ever to send their results. Now the workers
    leave both to the parent, which stops them."""
    import os
    import signal
    import time

    process, workers = _compare_with_workers_running(tmp_path)
    try:
        (os.killpg if group else os.kill)(process.pid, getattr(signal, name))
        took = _ends_within(process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == code and process.stderr is not None
    assert process.stderr.read() == said + "\n"
    assert took < 5, took
    assert not (tmp_path / "r.json").exists()
    time.sleep(0.2)
    assert not _alive(workers)


@LINUX_PROC
def test_a_parent_killed_outright_takes_its_workers_with_it(tmp_path: Path) -> None:
    """SIGKILL (or the out-of-memory killer) leaves the parent no chance to stop anything: the
    workers ask the kernel to end them with it."""
    import os
    import signal
    import time

    process, workers = _compare_with_workers_running(tmp_path)
    try:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 5
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = _alive(workers)
    finally:
        for pid in _alive(workers):
            os.kill(pid, signal.SIGKILL)
    assert not left


_TEST_PROCESS = __import__("os").getpid()


def _die() -> None:
    import os

    if os.getpid() == _TEST_PROCESS:  # never end the test run itself
        raise AssertionError("the task ran in the test process, not in a worker")
    os._exit(9)  # as the kernel's out-of-memory killer would end it


def _wait() -> str:
    import time

    time.sleep(0.5)
    return "done"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers need fork")
def test_a_worker_that_dies_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed outright (out of memory) broke the pool, and the CLI showed concurrent.futures'
    BrokenProcessPool traceback (before 0.3.16). Earlier tests may have imported torch, after which
    stylesim runs tasks in-process; these tasks touch no torch, so forking is safe here."""
    from stylesim.errors import StylesimError

    monkeypatch.setattr(parallel, "_fork_is_safe", lambda: True)

    with pytest.raises(StylesimError, match=r"a worker process ended abruptly .* STYLESIM_JOBS=1"):
        parallel.run_tasks({"slow": _wait, "dies": _die, "later": _wait}, jobs=2)
