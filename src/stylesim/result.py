"""Result objects: what compare and attribute return, serialise to JSON, and reports render."""

from __future__ import annotations

import errno
import json
import math
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._env import check_source_date_epoch, epoch_seconds
from .errors import ConfigurationError, InputError, current_folder_gone

# 2: compare's similarity.overall split into similarity.uncentred and similarity.centred (and
# families[].resemblance); every result records schema_version.
SCHEMA_VERSION = 2
METHOD_VERSION = 3  # docs/method.md: the declared primary statistic and its tests


def created_timestamp() -> str:
    """UTC time of the analysis, ISO 8601 to the second; SOURCE_DATE_EPOCH (reproducible builds)
    fixes it, so the same inputs and seed give byte-identical JSON."""
    import datetime as _dt

    check_source_date_epoch()
    epoch = epoch_seconds(os.environ.get("SOURCE_DATE_EPOCH", ""))
    if epoch is not None:
        moment = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)
    else:
        moment = _dt.datetime.now(_dt.timezone.utc)
    return moment.replace(microsecond=0).isoformat()


def interval(estimate: float, low: float, high: float, digits: int = 4) -> dict[str, float | None]:
    """``{estimate, ci_low, ci_high}`` rounded, with NaN as null."""
    return {"estimate": clean(estimate, digits), "ci_low": clean(low, digits), "ci_high": clean(high, digits)}


def clean(value: Any, digits: int = 4) -> Any:
    """Round floats, turn NaN/inf into None, and numpy scalars/arrays into plain Python."""
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return round(value, digits) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.ndarray):
        return [clean(v, digits) for v in value.tolist()]
    if isinstance(value, dict):
        return {k: clean(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v, digits) for v in value]
    return value


def thin(distribution: np.ndarray, keep: int = 400) -> list[float | None]:
    """An evenly spaced sorted subsample of a resampling distribution, for drawing."""
    finite = np.sort(distribution[np.isfinite(distribution)])
    if finite.size > keep:
        finite = finite[np.linspace(0, finite.size - 1, keep).round().astype(int)]
    return clean(finite, 5)


@dataclass
class Result:
    """A compare, attribute or matrix result: a JSON-ready mapping with typed accessors."""

    data: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def similarity(self) -> dict[str, Any]:
        return self.data["similarity"]

    @property
    def agreement(self) -> dict[str, Any] | None:
        """Same-prompt agreement (compare with three or more models), else None."""
        return self.data.get("agreement")

    @property
    def families(self) -> dict[str, Any]:
        return self.data["families"]

    @property
    def panel(self) -> dict[str, Any] | None:
        return self.data.get("panel")

    @property
    def candidates(self) -> list[dict[str, Any]]:
        return self.data.get("candidates", [])

    @property
    def leave_one_out(self) -> dict[str, Any] | None:
        """attribute: the ranking with each other candidate and panel model left out in turn."""
        return self.data.get("leave_one_out")

    @property
    def half_panel(self) -> dict[str, Any] | None:
        """attribute: the ranking with halves of the panel left out (a lean on a group of models)."""
        return self.data.get("half_panel")

    @property
    def verdict(self) -> dict[str, Any]:
        return self.data["verdict"]

    def to_dict(self) -> dict[str, Any]:
        return self.data

    def to_json(self) -> str:
        return valid_utf8(json.dumps(self.data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def valid_utf8(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, so that it encodes as UTF-8. A file name
    that is not valid UTF-8 reaches Python as surrogates (PEP 383), and so does a JSON escape such
    as "\\udcff" in an input; written as they were, they made every output unreadable as UTF-8
    (our own ``stylesim report`` refused the JSON)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and rename, so no half-written file remains
    (mkstemp's 0600 becomes the permissions a plain open() would give)."""
    write_all_atomic([(path, text)])


def check_output_paths(outputs: Sequence[str | Path | None], inputs: Sequence[str | Path] = (), *,
                       stdout_ok: Sequence[int] = ()) -> None:
    """Refuse, before any work, outputs that would overwrite an input or each other, or that
    cannot be written: a directory, a missing or read-only folder, a link loop, a device or FIFO
    without write permission. ``-`` means standard output, allowed only at the positions in
    ``stdout_ok`` (the JSON result); elsewhere it would make a file named ``-``. Raises
    :class:`InputError` (:class:`ConfigurationError` for a ``-`` not allowed)."""
    seen: dict[Path, Path] = {}
    from .formats.fastchat import question_file

    # A FastChat answer file's prompts come from a question.jsonl near it: an input too.
    read = [Path(p) for p in inputs]
    read += [q for p in read if p.is_file() and (q := question_file(p)) is not None]
    input_keys = {_path_key(p): p for p in read}
    dash = any(item is not None and str(item) == "-" for item in outputs)
    for position, item in enumerate(outputs):
        if item is None:
            continue
        if str(item) == "-":
            if position in stdout_ok:
                continue
            raise ConfigurationError("'-' (standard output) is only for --json; give this output a file name"
                                     if stdout_ok else "'-' (standard output) is not accepted here; give a file name")
        path = Path(item)
        if not path.is_absolute() and current_folder_gone():
            raise InputError(path, "the current folder no longer exists; cd to one that does (or give an absolute path)")
        if dash and _own_stream(path) is sys.stdout:  # /dev/stdout beside "--json -": two outputs in one stream
            raise InputError(path, "is standard output, where '--json -' writes the JSON; give this output a file name")
        try:
            _check_one(path, input_keys, seen)
        except OSError as exc:  # e.g. a name too long for the file system, raised by a stat
            raise InputError(path, _os_reason(exc)) from None


# write_all_atomic writes through a temporary file named "." + name + "." + 8 characters + ".tmp".
_TEMPORARY_EXTRA = 14


def _os_reason(exc: OSError, directory: Path | None = None) -> str:
    if exc.errno != errno.ENAMETOOLONG:
        return f"cannot be written: {exc.strerror or exc}"
    try:
        limit = os.pathconf(directory, "PC_NAME_MAX") - _TEMPORARY_EXTRA if directory is not None else None
    except (OSError, ValueError):
        limit = None
    keep = f"; keep it to {limit} characters" if limit and limit > 0 else ""
    return ("the file name is too long for this file system, counting the 14 characters of the temporary "
            f"file it is written through{keep}")


def _check_one(path: Path, input_keys: dict[Path, Path], seen: dict[Path, Path]) -> None:
    """check_output_paths for one output that is not standard output."""
    _refuse_link_loop(path)
    key = _path_key(path)
    if key in input_keys:
        raise InputError(path, f"is also an input ({input_keys[key]}); refusing to overwrite it")
    if key in seen:
        raise InputError(path, f"is given for two outputs ({seen[key]}); each output needs its own file")
    seen[key] = path
    if path.is_dir():
        raise InputError(path, "is a directory; give a file name to write")
    if _written_into(path):
        if not os.access(path, os.W_OK):
            raise InputError(path, "is not writable")
        return  # a device, a FIFO or our own standard output: written into, not replaced
    path = _target(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(path, "the folder to write into " + ("is a file" if directory.exists() else "does not exist"))
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError(path, "the folder to write into is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(path, "the file exists and is not writable")
    _try_writing_in(directory, path)


def _try_writing_in(directory: Path, path: Path) -> None:
    """Create and remove a temporary file where ``path``'s would go: os.access says yes to root
    and on read-only file systems (/sys, /proc, a read-only mount), where writing then fails."""
    try:  # named as write_all_atomic names its temporary files, so a name it can write passes
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        reason = (_os_reason(exc, directory) if exc.errno == errno.ENAMETOOLONG
                  else f"the folder to write into is not writable: {exc.strerror or exc}")
        raise InputError(path, reason) from None
    os.close(handle)
    Path(temporary).unlink(missing_ok=True)


def _path_key(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        return path.absolute()


def _own_stream(path: Path) -> Any:
    """sys.stdout or sys.stderr when ``path`` is the file our standard output or error already
    writes to (``--out /dev/stdout > log``): reopening it would truncate it or lose our place."""
    try:
        target = os.stat(path)
    except OSError:
        return None
    for descriptor, stream in ((1, sys.stdout), (2, sys.stderr)):
        try:
            open_file = os.fstat(descriptor)
        except OSError:
            continue
        if (target.st_dev, target.st_ino) == (open_file.st_dev, open_file.st_ino):
            return stream
    return None


def _written_into(path: Path) -> bool:
    """An existing output that must be written into, not renamed over: not a regular file (after
    links: a device such as /dev/null, or a FIFO), or the file our standard output or error is."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return True
    except OSError:
        return False
    return _own_stream(path) is not None


def _refuse_link_loop(path: Path) -> None:
    if path.is_symlink() and Path(os.path.realpath(path)).is_symlink():
        raise InputError(path, "is a loop of symbolic links; give a file name to write")


def _target(path: Path) -> Path:
    """Where the text lands: a symbolic link's final target, so the link itself stays."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _write_into(path: Path, text: str) -> None:
    stream = _own_stream(path)
    try:
        if stream is not None:
            stream.write(text)
            stream.flush()
            return
        with open(path, "w", encoding="utf-8", errors="strict") as handle:
            handle.write(text)
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None


def write_all_atomic(files: Sequence[tuple[str | Path, str]]) -> None:
    """Write every (path, text) to a temporary file first, then rename them all: either every
    output is new or (on an error before the renames) none is touched. An output that is a link
    replaces its target. One that is a device, a FIFO or our own standard output is written into,
    first: if that fails, no file has been replaced (a FIFO waits for a reader, as FIFOs do)."""
    staged: list[tuple[str, Path]] = []
    path = Path()
    try:
        direct = []
        for path, text in files:
            path, text = Path(path), valid_utf8(text)
            _refuse_link_loop(path)
            if _written_into(path):
                direct.append((path, text))
                continue
            path = _target(path)
            directory = path.parent if str(path.parent) else Path(".")
            if not directory.is_dir():
                raise InputError(path, "the folder to write into does not exist")
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
            staged.append((temporary, path))
            with os.fdopen(handle, "w", encoding="utf-8", errors="strict") as stream:
                stream.write(text)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        for path, text in direct:
            _write_into(path, text)
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException as exc:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # one line naming the file, never a traceback
            raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
        raise


def read_json_file(path: str | Path) -> Any:
    """Parse a whole JSON file, raising :class:`InputError` naming it (and the line) on failure."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file" if not path.exists() else "is not a file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(path, "not valid UTF-8") from None
    except OSError as exc:
        raise InputError(path, f"cannot open: {exc.strerror or exc}") from None
    from .formats._io import decode_json

    return decode_json(path, text)


def load_result(path: str | Path) -> Result:
    """Read a result JSON written by ``--json`` (for ``stylesim report``)."""
    path = Path(path)
    try:
        data = read_json_file(path)
    except InputError as exc:
        if "Extra data" not in str(exc):
            raise
        # One JSON value per line: an outputs file (JSONL), not the one object --json writes.
        raise InputError(path, "not a stylesim result: it holds several JSON values (an outputs file in JSONL?); "
                               "give the file written by --json") from None
    if not isinstance(data, dict) or "kind" not in data or "stylesim_version" not in data:
        raise InputError(path, "not a stylesim result (no 'kind' / 'stylesim_version')")
    version = data.get("schema_version", 1)  # results before schema versioning have none
    if isinstance(version, bool) or not isinstance(version, int):
        raise InputError(path, f"result schema_version {str(version)[:20]!r} is not a whole number; the file "
                               "was edited, or is not a stylesim result")
    if not 1 <= version <= SCHEMA_VERSION:
        writer = "a newer stylesim wrote it, or it was edited" if version > SCHEMA_VERSION else "it was edited"
        raise InputError(path, f"result schema_version {version} is not one this stylesim reads "
                               f"(1 to {SCHEMA_VERSION}); {writer}")
    return Result(data)
