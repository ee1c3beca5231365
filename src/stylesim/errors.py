"""Exceptions raised by stylesim. The CLI turns each into one ``Error: ...`` line."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


class StylesimError(Exception):
    """Base class for every error stylesim reports to a user."""


class InputError(StylesimError):
    """A problem with an input file, located by path and (where there is one) line.

    ``str(error)`` reads ``path:line: message`` so it can be printed as is.
    """

    def __init__(self, path: str | Path | None, message: str, line: int | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __reduce__(self):  # noqa: ANN204 - pickled back from a loading worker
        return (InputError, (self.path, self.message, self.line))

    def __str__(self) -> str:
        if self.path is None and self.line is None:
            return self.message  # not about one file (an unknown --format, say)
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class AlignmentError(StylesimError):
    """Two corpora cannot be paired (too few prompts in common)."""


class ConfigurationError(StylesimError):
    """An option or argument combination that cannot work."""


_KIND_WORDS = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
               dict: "a JSON object", list: "a list"}


def json_kind(value: object) -> str:
    """Name a parsed JSON value's type as a user reads JSON ("a list", "null"), not Python's."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    for kind in (str, int, float, dict, list):
        if isinstance(value, kind):
            return _KIND_WORDS[kind]
    return type(value).__name__


def kind_words(kinds: tuple[type, ...]) -> str:
    """``(str, int)`` -> "a string or an integer"; int with float together read "a number"."""
    if int in kinds and float in kinds:
        kinds = tuple(k for k in kinds if k is not int)
    return " or ".join(_KIND_WORDS.get(k, k.__name__) for k in kinds)


@contextlib.contextmanager
def writes_to(path: str | Path) -> Iterator[None]:
    """Name ``path`` in an OSError raised without a file name inside the block: a write through an
    open handle (a full disk under ``collect --out`` or a download) says nothing of the file, and
    the CLI's one-line error must say which file it was."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            exc.filename = os.fspath(path)
        raise


def current_folder_gone() -> bool:
    """Whether the current folder was removed under this process (os.getcwd() then fails)."""
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    return False
