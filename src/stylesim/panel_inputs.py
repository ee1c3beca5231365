"""``--panel`` and ``--base`` items (a file, a fetched set's name, or NAME:MODEL,...) as files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import ConfigurationError, InputError, StylesimError
from .registry import SampleSet, installed_files, load_registry


def resolve_panel(
    items: Iterable[str | Path],
    registry: dict[str, SampleSet] | None = None,
    *,
    exclude: Iterable[str | Path] = (),
    option: str = "--panel",
) -> list[Path]:
    """Turn ``--panel`` (or ``--base``) items into files.

    Parameters
    ----------
    items : iterable of str or Path
        Each an existing path (kept as is), a registry name (its fetched files), or
        ``NAME:MODEL1,MODEL2`` (those models' files).
    registry : dict, optional
        The registry to use; default :func:`load_registry`, read only when an item needs it.
    exclude : iterable of str or Path
        Files to leave out of a named set (e.g. A and B, when the set holds them), by resolved
        path. A file given by path is kept: the analysis drops repeats with a warning (roles).
    option : str
        The option the items came from, as error messages name it.

    Raises
    ------
    InputError
        For an item that is neither an existing path nor a registry name.
    ConfigurationError
        For an unknown model, a set that has not been fetched, or ``NAME:`` naming no model.
    """
    seen = {_key(Path(p)) for p in exclude}
    paths: list[Path] = []
    sets: dict[str, SampleSet] | None = registry
    for item in items:
        path = Path(item)
        if path.exists():
            seen.add(_key(path))
            paths.append(path)
            continue
        name, sep, selection = (text := str(item)).partition(":")
        if sets is None:
            try:
                sets = load_registry()
            except StylesimError:
                sets = {}
        if name not in sets:
            raise InputError(text, f"is neither a file nor a registry name (known: {', '.join(sets) or 'none'})")
        models = [m.strip() for m in selection.split(",") if m.strip()] or None
        whole = "" if option == "--base" else "NAME or "
        if sep and models is None:  # "NAME:" with nothing after it (often an empty shell variable)
            raise ConfigurationError(f"{option} {text}: no model named after the colon; give {whole}NAME:MODEL1,MODEL2")
        if option == "--base" and models is None:
            # Every model of a set as a base would partial the panel away.
            raise ConfigurationError(f"--base {text}: a base is one model; give NAME:MODEL (see stylesim fetch --list)")
        for candidate in installed_files(name, models, sets):
            key = _key(candidate)
            if key not in seen:
                seen.add(key)
                paths.append(candidate)
    return paths


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a loop of symbolic links (Python 3.11)
        return str(path.absolute())
