"""Download (or copy) a registered sample set into the user cache and verify every file.

:func:`fetch` installs the selected files of a set (see :mod:`stylesim.registry`) under
:func:`stylesim.registry.local_dir`, keeping their repo-relative paths. A file already in the
cache with the right sha256 is skipped, so fetching again is cheap and safe.

* With ``source_dir`` (``stylesim fetch NAME --from DIR``) files are copied from a local copy of
  the set: DIR may be the set's folder itself or a folder holding it (by the registry's
  ``folder`` name or the set's name).
* Otherwise each file is streamed with httpx into ``FILE.part``. When a ``.part`` is left over
  from an interrupted run, the download resumes with ``Range: bytes=N-``; a server that ignores
  the range (200 instead of 206) is restarted from zero. Connection errors, timeouts and 5xx/429
  replies are retried a few times with exponential backoff, resuming where the data stopped.

Every file is checked against the registry's size and sha256 before it is atomically renamed
into place; a mismatch deletes the bad data and raises :class:`ChecksumError` naming the file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigurationError, StylesimError, writes_to
from .fetch_files import open_part, part_size
from .registry import SampleFile, SampleSet, get_set, local_dir

logger = logging.getLogger(__name__)

DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)


class FetchError(StylesimError):
    """A file could not be downloaded or copied."""


class ChecksumError(FetchError):
    """A file's content does not match the registry (the bad data has been deleted)."""


@dataclass(frozen=True)
class FetchProgress:
    """One progress report. ``status`` is ``"start"`` (a file begins; ``done`` bytes are already
    there from an earlier run), ``"data"`` (``done`` of ``total`` bytes so far), ``"restart"``
    (the server ignored a range, ``done`` is back to 0), ``"cached"`` (already installed),
    ``"done"`` (verified and in place) or ``"unavailable"`` (no URL and no local copy)."""

    file: SampleFile
    status: str
    done: int
    total: int


ProgressCallback = Callable[[FetchProgress], None]


@dataclass
class FetchResult:
    """What :func:`fetch` did. ``files``: every selected file now installed (paths in the
    cache); ``fetched``: those downloaded or copied now; ``cached``: those already there;
    ``unavailable``: selected files with no download URL (install them with ``--from``)."""

    name: str
    directory: Path
    files: list[Path] = field(default_factory=list)
    fetched: list[Path] = field(default_factory=list)
    cached: list[Path] = field(default_factory=list)
    unavailable: list[SampleFile] = field(default_factory=list)

    @property
    def bytes_total(self) -> int:
        return sum(p.stat().st_size for p in self.files if p.is_file())


class _Retryable(Exception):
    """A transient server reply (5xx, 429): worth another try."""


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path: Path, entry: SampleFile) -> str | None:
    """``None`` if ``path`` has the registry's size and sha256, else what is wrong."""
    size = path.stat().st_size
    if size != entry.size:
        return f"size {size} bytes, expected {entry.size}"
    digest = sha256_file(path)
    if digest != entry.sha256:
        return f"sha256 {digest}, expected {entry.sha256}"
    return None


def find_local_copy(sample_set: SampleSet, entry: SampleFile, source_dir: Path) -> Path | None:
    """Where a local copy under ``source_dir`` holds ``entry``: DIR itself, or DIR/<folder>
    (the registry's folder name, then the set's name) for a folder holding several sets."""
    bases = [source_dir]
    for sub in (sample_set.folder, sample_set.name):
        if sub:
            bases.append(source_dir / sub)
    root = source_dir.resolve()
    for base in dict.fromkeys(bases):
        for rel in entry.local_candidates():
            candidate = base / rel
            if candidate.is_file():
                if not candidate.resolve().is_relative_to(root):
                    raise FetchError(f"{candidate} is a link to a file outside {source_dir}; refusing to copy it")
                return candidate
    return None


def fetch(
    name: str,
    *,
    models: Sequence[str] | None = None,
    source_dir: str | Path | None = None,
    progress: ProgressCallback | None = None,
    client=None,  # noqa: ANN001 - an httpx.Client; imported lazily
    registry: dict[str, SampleSet] | None = None,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
) -> FetchResult:
    """Install the files of sample set ``name`` into the cache and verify them.

    Parameters
    ----------
    name : str
        A registry name (``stylesim fetch --list``).
    models : sequence of str, optional
        Only these models (with the set's shared extra files); default all.
    source_dir : str or Path, optional
        Copy from this local copy instead of downloading.
    progress : callable, optional
        Called with a :class:`FetchProgress` as files start, stream and finish.
    client : httpx.Client, optional
        The HTTP client to use; default a fresh one that follows redirects.
    registry : dict, optional
        The registry to read ``name`` from; default :func:`stylesim.registry.load_registry`.
    retries, backoff : int, float
        Extra attempts per file after a connection error or a 5xx/429 reply, waiting
        ``backoff * 2**attempt`` seconds before each.

    Returns
    -------
    FetchResult

    Raises
    ------
    ConfigurationError
        Unknown set or model, or ``source_dir`` is not a folder.
    FetchError
        A file is missing from ``source_dir``, or could not be downloaded.
    ChecksumError
        A file does not match the registry (nothing bad is left in the cache).
    """
    sample_set = get_set(name, registry)
    entries = sample_set.selected_files(models)
    root = local_dir(name)
    result = FetchResult(name=name, directory=root)
    report = progress or (lambda event: None)

    sources: dict[str, Path] = {}
    if source_dir is not None:
        source_dir = Path(source_dir).expanduser()
        if not source_dir.is_dir():
            raise ConfigurationError(f"--from {source_dir}: not a folder")
        missing = []
        for entry in entries:
            found = find_local_copy(sample_set, entry, source_dir)
            if found is None:
                missing.append(entry.local_path or entry.path)
            else:
                sources[entry.path] = found
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            raise FetchError(
                f"{len(missing)} file(s) of {name} are not in {source_dir} "
                f"(nor in {source_dir / (sample_set.folder or name)}): {shown}"
            )

    own_client = None
    try:
        for entry in entries:
            dest = root / entry.path
            if _already_installed(dest, entry):
                result.cached.append(dest)
                result.files.append(dest)
                report(FetchProgress(entry, "cached", entry.size, entry.size))
                continue
            if entry.path in sources:
                _copy_verified(sources[entry.path], dest, entry, report)
            elif entry.url is None:
                logger.info("%s: %s has no download URL; install it with --from DIR",
                            name, entry.path)
                result.unavailable.append(entry)
                report(FetchProgress(entry, "unavailable", 0, entry.size))
                continue
            else:
                if client is None and own_client is None:
                    own_client = _new_client()
                _download(client or own_client, entry, dest, report, retries, backoff)
            result.fetched.append(dest)
            result.files.append(dest)
            report(FetchProgress(entry, "done", entry.size, entry.size))
    finally:
        if own_client is not None:
            own_client.close()
    logger.info("%s: %d fetched, %d already present, %d unavailable, in %s", name,
                len(result.fetched), len(result.cached), len(result.unavailable), root)
    return result


def _already_installed(dest: Path, entry: SampleFile) -> bool:
    if not dest.is_file():
        return False
    problem = verify_file(dest, entry)
    if problem is None:
        return True
    logger.warning("%s: cached copy does not match the registry (%s); fetching it again",
                   dest, problem)
    dest.unlink()
    return False


def _finish(part: Path, dest: Path, entry: SampleFile, origin: str, *, copied: bool = False) -> None:
    """Verify ``part`` and move it into place, or delete it and raise ChecksumError."""
    problem = verify_file(part, entry)
    if problem is not None:
        part.unlink(missing_ok=True)
        what = "the copy" if copied else "the partial download"
        raise ChecksumError(f"{entry.path} from {origin} does not match the registry ({problem}); "
                            f"{what} {part} was deleted")
    os.replace(part, dest)


def _copy_verified(source: Path, dest: Path, entry: SampleFile, report: ProgressCallback) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    size = source.stat().st_size
    if size != entry.size:  # checked before copying: a wrong 300 MB file is not copied first
        raise ChecksumError(f"{entry.path} at {source} does not match the registry (size {size} bytes, "
                            f"expected {entry.size}); nothing was copied")
    report(FetchProgress(entry, "start", 0, entry.size))
    done = 0
    try:
        with open(source, "rb") as src, open_part(part, append=False) as out:
            while True:
                block = src.read(1 << 20)
                if not block:
                    break
                out.write(block)
                done += len(block)
                report(FetchProgress(entry, "data", done, entry.size))
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise FetchError(f"cannot copy {source} to {dest}: {exc}") from None
    shutil.copystat(source, part, follow_symlinks=True)
    os.chmod(part, 0o644)
    _finish(part, dest, entry, str(source), copied=True)


def _new_client():  # noqa: ANN202
    import httpx

    from . import __version__

    return httpx.Client(
        follow_redirects=True,
        timeout=httpx.Timeout(60.0, connect=15.0),
        headers={"User-Agent": f"stylesim/{__version__} (+fetch)"},
    )


def _download(client, entry: SampleFile, dest: Path, report: ProgressCallback,  # noqa: ANN001
              retries: int, backoff: float) -> None:
    assert entry.url is not None
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    resumed = _fetch_with_retries(client, entry, part, report, retries, backoff)
    if resumed and verify_file(part, entry) is not None:
        # Data kept from an earlier run may be stale (e.g. a different file): start over once.
        logger.warning("%s: the resumed download does not verify; downloading it again", entry.path)
        part.unlink(missing_ok=True)
        report(FetchProgress(entry, "restart", 0, entry.size))
        _fetch_with_retries(client, entry, part, report, retries, backoff)
    _finish(part, dest, entry, entry.url)


def _fetch_with_retries(client, entry: SampleFile, part: Path, report: ProgressCallback,  # noqa: ANN001
                        retries: int, backoff: float) -> bool:
    """Get ``part`` complete, retrying transient failures. True if any data was resumed."""
    import httpx

    resumed = False
    attempt = 0
    while True:
        try:
            resumed = _download_once(client, entry, part, report) or resumed
            return resumed
        except (httpx.TransportError, _Retryable) as exc:
            if part.exists() and part.stat().st_size:
                resumed = True
            if attempt >= retries:
                hint = " (run it again to resume)" if part.exists() and part.stat().st_size else ""
                raise FetchError(
                    f"cannot download {entry.path} from {entry.url}: {_describe(exc)}{hint}"
                ) from None
            wait = backoff * (2 ** attempt)
            logger.warning("%s: %s; retrying in %.1fs", entry.path, _describe(exc), wait)
            time.sleep(wait)
            attempt += 1


def _describe(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if isinstance(exc, _Retryable) else f"{type(exc).__name__}: {text}"


def _download_once(client, entry: SampleFile, part: Path, report: ProgressCallback) -> bool:  # noqa: ANN001
    """One request: resume ``part`` if it holds a prefix, else start over. Returns when the
    body has been received in full (verification is the caller's); True if it resumed."""
    offset = part_size(part)
    if offset > entry.size:
        part.unlink()
        offset = 0
    if offset and offset == entry.size:
        return True  # a complete .part from an earlier run: just verify it
    # Ask for the bytes as stored: ranges of a compressed transfer would not line up.
    headers = {"Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    with client.stream("GET", entry.url, headers=headers) as response:
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Retryable(f"HTTP {status} from {entry.url}")
        if status == 416 and offset:
            # The range is not satisfiable: the partial file is unusable. Start over next try.
            part.unlink(missing_ok=True)
            raise _Retryable(f"HTTP 416 for a resumed download of {entry.url}; restarting")
        if status == 206 and offset:
            start = _range_start(response.headers.get("content-range"))
            if start != offset:
                # An unexpected range: do not splice it in; fetch the whole file next try.
                part.unlink(missing_ok=True)
                raise _Retryable(f"unexpected Content-Range from {entry.url}; restarting")
            mode = "ab"
            resumed = True
        elif status == 200:
            if offset:
                logger.info("%s: the server ignored the range request; restarting", entry.path)
                report(FetchProgress(entry, "restart", 0, entry.size))
            offset = 0
            mode = "wb"
            resumed = False
        else:
            raise FetchError(f"cannot download {entry.path}: HTTP {status} from {entry.url}")
        report(FetchProgress(entry, "start", offset, entry.size))
        done = offset
        with writes_to(part), open_part(part, append=mode == "ab") as out:
            # Chunks as they arrive, so an interrupted transfer keeps every byte received.
            for chunk in response.iter_bytes():
                out.write(chunk)
                done += len(chunk)
                report(FetchProgress(entry, "data", done, entry.size))
                if done > entry.size:
                    break  # more than the registry says: verification will reject it
    return resumed


def _range_start(value: str | None) -> int | None:
    if not value:
        return None
    match = _CONTENT_RANGE.match(value)
    return int(match.group(1)) if match else None
