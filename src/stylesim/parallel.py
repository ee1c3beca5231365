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
from concurrent.futures.process import BrokenProcessPool

log = logging.getLogger(__name__)

_TASKS: dict[str, Callable[[], object]] = {}


class _Collect(logging.Handler):
    """Keeps a worker's log records, formatted, to be shown by the parent in task order."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info = record.getMessage(), None, None
        self.records.append(record)


def _run(key: str) -> tuple[object, list[logging.LogRecord]]:
    # One BLAS thread per worker: the workers already fill the cores (and the serial path uses
    # one too, so that the numbers do not depend on the number of jobs).
    from threadpoolctl import threadpool_limits

    # The worker's messages go back with its result, not straight to the (shared) terminal: the
    # parent shows them in task order, where the caller's handlers (and tests) see them.
    root = logging.getLogger("stylesim")
    collect, propagate = _Collect(), root.propagate
    root.addHandler(collect)
    root.propagate = False
    try:
        with threadpool_limits(limits=1):
            return _TASKS[key](), collect.records
    finally:
        root.removeHandler(collect)
        root.propagate = propagate


def one_blas_thread():  # noqa: ANN201
    """A context with one BLAS thread, as every feature family's statistics run (in a worker or
    not), so that the numbers do not depend on the machine's cores or the number of jobs."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def default_jobs() -> int:
    """Cores this process may use (``STYLESIM_JOBS`` overrides)."""
    if os.environ.get("STYLESIM_JOBS"):
        value = os.environ["STYLESIM_JOBS"]
        if not (value.strip().isascii() and value.strip().isdigit()):
            from .errors import ConfigurationError

            raise ConfigurationError(f"STYLESIM_JOBS must be a whole number of jobs (got {value!r})")
        return max(1, int(value))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def available_memory() -> int | None:
    """Bytes of memory available to new work (Linux ``MemAvailable``; None where unknown)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def jobs_within_memory(per_job: float, *, share: float = 0.5) -> int:
    """Workers to run when each needs about ``per_job`` bytes: the cores, but no more than fit in
    ``share`` of the available memory (one, where that is unknown and a worker is large)."""
    jobs = default_jobs()
    if os.environ.get("STYLESIM_JOBS"):
        return jobs
    available = available_memory()
    if available is None:
        return jobs if per_job < 2**30 else 1
    return max(1, min(jobs, int(share * available // max(per_job, 1.0))))


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
            # One BLAS thread here too: a multithreaded BLAS sums in another order, and the
            # numbers must not depend on how many jobs ran the tasks.
            with one_blas_thread():
                results[key] = task()
        if progress:
            progress("features", len(tasks), len(tasks))
        return results
    _TASKS.clear()
    _TASKS.update(tasks)
    try:
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context,
                                   initializer=_worker_start, initargs=(os.getpid(),))
        try:
            futures = {key: pool.submit(_run, key) for key in tasks}
            results = {}
            for done, (key, future) in enumerate(futures.items(), start=1):
                results[key], records = future.result()
                for record in records:
                    logging.getLogger(record.name).handle(record)
                if progress:
                    progress(f"features: {key.split(':')[-1]} done", done, len(tasks))
        except BrokenProcessPool:
            _stop(pool)
            from .errors import StylesimError

            raise StylesimError("a worker process ended abruptly (killed, most often for want of memory); run "
                                "again with STYLESIM_JOBS=1 to work in one process") from None
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=True)
        return results
    finally:
        _TASKS.clear()


def _worker_start(parent: int) -> None:
    """Run in each worker as it starts.

    A terminal's Ctrl-C reaches every process of the group; a worker interrupted while it read the
    pool's task queue kept the queue's lock, and the parent, which had printed "Interrupted.",
    then waited at exit for a worker that could never go on (before 0.3.16). The parent alone
    handles the interrupt, and stops the workers. A parent that dies without stopping them (killed,
    or out of memory) takes them with it: an orphaned worker waited for ever to send its result."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's own handler is not the worker's
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent:  # the parent died before the request: nothing to work for
        os._exit(1)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now (an interrupt, or a task that failed): shutting down with ``wait`` would
    first run every task still queued."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
