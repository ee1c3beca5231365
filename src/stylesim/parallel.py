"""Run independent pieces of work on the available cores.

Feature families are independent, and on a laptop most of their time is pure-Python tokenising,
so they run in forked worker processes (which inherit the texts without copying them). Where
fork is unavailable or unsafe (not Linux, or torch already imported with its thread pools), or
with one job, the same tasks run in order in this process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger(__name__)

_TASKS: dict[str, Callable[[], object]] = {}


def _run(key: str) -> object:
    # One BLAS thread per worker: the workers already fill the cores.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _TASKS[key]()


def default_jobs() -> int:
    """Cores this process may use (``STYLESIM_JOBS`` overrides)."""
    if os.environ.get("STYLESIM_JOBS"):
        return max(1, int(os.environ["STYLESIM_JOBS"]))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _fork_is_safe() -> bool:
    return sys.platform.startswith("linux") and "torch" not in sys.modules


def run_tasks(
    tasks: dict[str, Callable[[], object]],
    *,
    jobs: int | None = None,
    progress: Callable[..., None] | None = None,
) -> dict[str, object]:
    """Results of every task by key; tasks are tried in the given order (put big ones first).

    ``progress(stage, done, total)`` is called as tasks finish (stage "features: KEY")."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or len(tasks) <= 1 or not _fork_is_safe():
        results = {}
        for done, (key, task) in enumerate(tasks.items()):
            if progress:
                progress(f"features: {key.split(':')[-1]}", done, len(tasks))
            results[key] = task()
        if progress:
            progress("features", len(tasks), len(tasks))
        return results
    _TASKS.clear()
    _TASKS.update(tasks)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
            futures = {key: pool.submit(_run, key) for key in tasks}
            results = {}
            for done, (key, future) in enumerate(futures.items(), start=1):
                results[key] = future.result()
                if progress:
                    progress(f"features: {key.split(':')[-1]} done", done, len(tasks))
        return results
    finally:
        _TASKS.clear()
