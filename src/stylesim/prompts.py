"""Prompt sets: the shipped, versioned ``stylesim-core`` set and user-supplied JSONL files.

A prompt file is JSONL, one object per line with at least ``id`` (string or integer) and
``prompt`` (string); ``category`` and ``system`` are optional. A set's identity is its content
hash (:func:`content_hash`): sha256 over the canonical JSON of its ``(id, prompt, system)``
entries in id order, so it does not depend on line order, categories or formatting.

Built-in sets live as ``<name>-v<N>.jsonl`` files in the repository's top-level ``prompts/``
folder. An installed wheel carries them as data files under ``<prefix>/share/stylesim/prompts``;
a copy under the package (``stylesim/data/prompts``) is found first if one is ever shipped
there. Every built-in file must match the hash pinned in :data:`BUILTIN_SETS`, so a shipped set
can never change silently: changing a prompt means a new version.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import site
import sys
import sysconfig
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigurationError, InputError, json_kind
from .formats._io import iter_jsonl

logger = logging.getLogger(__name__)

#: Built-in prompt sets: file stem -> pinned sha256 (see :func:`content_hash`).
BUILTIN_SETS: dict[str, str] = {
    "stylesim-core-v1": "da78a767174de8f3d751ab7007038e21e5c9484739308d68350b801bf927b58e",
}

#: Short names for built-in sets. ``core`` always means the newest core version.
ALIASES: dict[str, str] = {
    "core": "stylesim-core-v1",
    "stylesim-core": "stylesim-core-v1",
}

_VERSIONED_STEM = re.compile(r"^(?P<name>.+)-v(?P<version>\d+)$")


@dataclass(frozen=True)
class Prompt:
    """One prompt: a stable ``id``, the user message, its category and an optional system prompt."""

    id: str
    prompt: str
    category: str | None = None
    system: str | None = None


@dataclass
class PromptSet:
    """A loaded prompt set.

    ``name`` and ``version`` come from the file name (``stylesim-core-v1.jsonl`` gives
    ``stylesim-core`` and ``"1"``; a file without a ``-vN`` suffix has version ``None``);
    ``sha256`` is :func:`content_hash` of the prompts; ``path`` is the file it was read from.
    """

    name: str
    version: str | None
    sha256: str
    prompts: list[Prompt]
    path: Path | None = None
    builtin: bool = False
    _by_id: dict[str, Prompt] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id = {p.id: p for p in self.prompts}

    @property
    def label(self) -> str:
        """``name-vN`` for a versioned set, else ``name``."""
        return f"{self.name}-v{self.version}" if self.version is not None else self.name

    def reference(self) -> dict[str, Any]:
        """The ``{name, version, sha256}`` object that outputs and reports record."""
        return {"name": self.name, "version": self.version, "sha256": self.sha256}

    def get(self, prompt_id: str) -> Prompt | None:
        """The prompt with id ``prompt_id``, or ``None``."""
        return self._by_id.get(prompt_id)

    def categories(self) -> dict[str, int]:
        """Prompt counts per category, in order of first appearance (``None`` as ``"-"``)."""
        counts: dict[str, int] = {}
        for prompt in self.prompts:
            key = prompt.category or "-"
            counts[key] = counts.get(key, 0) + 1
        return counts

    def filter(self, category: str) -> list[Prompt]:
        """The prompts in ``category``; raises :class:`ConfigurationError` naming the categories."""
        chosen = [p for p in self.prompts if p.category == category]
        if not chosen:
            known = ", ".join(c for c in self.categories() if c != "-") or "none"
            raise ConfigurationError(
                f"no prompts in category {category!r} in {self.label} (categories: {known})"
            )
        return chosen


def content_hash(prompts: Iterable[Prompt]) -> str:
    """The content hash of a prompt set.

    Parameters
    ----------
    prompts : iterable of Prompt
        The prompts, in any order.

    Returns
    -------
    str
        Hex sha256 of the UTF-8 bytes of ``json.dumps(entries, ensure_ascii=False,
        sort_keys=True, separators=(",", ":"))`` where ``entries`` is the list of
        ``{"id": ..., "prompt": ...}`` objects (plus ``"system"`` where a prompt has one),
        sorted by id. Categories and line order do not count.
    """
    entries = []
    for prompt in sorted(prompts, key=lambda p: p.id):
        entry = {"id": prompt.id, "prompt": prompt.prompt}
        if prompt.system is not None:
            entry["system"] = prompt.system
        entries.append(entry)
    canonical = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _optional_str(obj: dict[str, Any], key: str, path: Path, line: int) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(path, f'field "{key}" must be a string, got {json_kind(value)}', line)
    return value


def read_prompt_file(path: str | Path) -> list[Prompt]:
    """Read and validate a JSONL prompt file.

    Parameters
    ----------
    path : str or Path
        The file: one JSON object per line with ``id`` and ``prompt``, optional
        ``category`` and ``system``. Blank lines are skipped.

    Returns
    -------
    list of Prompt
        The prompts in file order; integer ids become strings.

    Raises
    ------
    InputError
        ``path:line: ...`` for invalid JSON, a missing or empty ``id``/``prompt``, a field of
        the wrong type or a duplicate id; ``path: ...`` for an unreadable or empty file.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a directory, not a prompt file")
    prompts: list[Prompt] = []
    first_line: dict[str, int] = {}
    for line, obj in iter_jsonl(path):
        if not isinstance(obj, dict):
            raise InputError(path, f"expected a JSON object, got {json_kind(obj)}", line)
        raw_id = obj.get("id")
        if raw_id is None:
            raise InputError(path, 'missing field "id"', line)
        if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
            raise InputError(path, 'field "id" must be a string or an integer', line)
        prompt_id = str(raw_id)
        if not prompt_id.strip():
            raise InputError(path, 'field "id" is empty', line)
        text = obj.get("prompt")
        if text is None:
            raise InputError(path, 'missing field "prompt"', line)
        if not isinstance(text, str):
            kind = json_kind(text)
            raise InputError(path, f'field "prompt" must be a string, got {kind}', line)
        if not text.strip():
            raise InputError(path, 'field "prompt" is empty', line)
        if prompt_id in first_line:
            first = first_line[prompt_id]
            raise InputError(path, f"duplicate id {prompt_id!r} (first used on line {first})", line)
        first_line[prompt_id] = line
        prompts.append(
            Prompt(
                id=prompt_id,
                prompt=text,
                category=_optional_str(obj, "category", path, line),
                system=_optional_str(obj, "system", path, line),
            )
        )
    if not prompts:
        raise InputError(path, "contains no prompts")
    return prompts


def _builtin_dirs() -> list[Path]:
    """Folders that may hold the built-in prompt files, most specific first."""
    here = Path(__file__).resolve().parent
    # Package data, should the files ever be shipped inside the package.
    dirs = [here / "data" / "prompts"]
    # A source checkout (editable install): <repo>/src/stylesim/prompts.py -> <repo>/prompts.
    dirs.append(here.parents[1] / "prompts")
    # An installed wheel: setuptools data-files land under <scheme data>/share/stylesim/prompts.
    for base in (sysconfig.get_path("data"), sys.prefix, site.getuserbase()):
        if base:
            dirs.append(Path(base) / "share" / "stylesim" / "prompts")
    return list(dict.fromkeys(dirs))


def builtin_path(stem: str) -> Path:
    """The file of built-in set ``stem`` (e.g. ``"stylesim-core-v1"``).

    Raises
    ------
    ConfigurationError
        If no install location holds the file.
    """
    folders = _builtin_dirs()
    for folder in folders:
        candidate = folder / f"{stem}.jsonl"
        if candidate.is_file():
            return candidate
    raise ConfigurationError(
        f"built-in prompt set {stem!r} is not installed (looked in: "
        + ", ".join(str(d) for d in folders)
        + ")"
    )


def builtin_names() -> list[str]:
    """The built-in set names (file stems), oldest first."""
    return list(BUILTIN_SETS)


def resolve_builtin(name: str) -> str | None:
    """The built-in stem that ``name`` refers to (a stem or an alias), or ``None``."""
    if name in BUILTIN_SETS:
        return name
    return ALIASES.get(name)


def _name_version(stem: str) -> tuple[str, str | None]:
    match = _VERSIONED_STEM.match(stem)
    if match:
        return match.group("name"), match.group("version")
    return stem, None


def load_prompt_set(name_or_path: str | Path) -> PromptSet:
    """Load a built-in prompt set by name, or a prompt file by path.

    Parameters
    ----------
    name_or_path : str or Path
        A built-in name (``"core"``, ``"stylesim-core"``, ``"stylesim-core-v1"``) or the path
        of a JSONL prompt file. Names win over same-named files; write ``./core`` for a file.

    Returns
    -------
    PromptSet
        The validated set with its name, version and content hash.

    Raises
    ------
    InputError
        If the file is missing or invalid, or a built-in file does not match its pinned hash.
    """
    stem = resolve_builtin(str(name_or_path)) if isinstance(name_or_path, str) else None
    if stem is not None:
        path = builtin_path(stem)
    else:
        path = Path(name_or_path)
        if not path.exists():
            known = ", ".join(sorted({*BUILTIN_SETS, *ALIASES}))
            raise InputError(path, f"no such file, and not a built-in prompt set ({known})")
    prompts = read_prompt_file(path)
    digest = content_hash(prompts)
    if stem is not None and digest != BUILTIN_SETS[stem]:
        raise InputError(
            path,
            f"built-in prompt set {stem} has been modified (sha256 {digest[:12]}..., expected "
            f"{BUILTIN_SETS[stem][:12]}...); released sets are frozen, add a new version instead",
        )
    name, version = _name_version(stem or path.stem)
    logger.info("loaded prompt set %s (%d prompts, sha256 %s) from %s",
                name, len(prompts), digest, path)
    return PromptSet(name=name, version=version, sha256=digest, prompts=prompts, path=path,
                     builtin=stem is not None)


def builtin_sets() -> list[PromptSet]:
    """Every built-in prompt set, loaded and checked against its pinned hash, oldest first."""
    return [load_prompt_set(stem) for stem in BUILTIN_SETS]


def write_prompt_file(prompts: Iterable[Prompt], out: str | Path, inputs: Sequence[str | Path] = ()) -> int:
    """Write prompts as JSONL (``id``, ``category``, ``prompt``, ``system`` where set).

    Parameters
    ----------
    prompts : iterable of Prompt
        The prompts to write, in order.
    out : str or Path
        The destination; parent folders are created. Written whole or not at all.
    inputs : sequence of paths
        Files ``out`` must not overwrite (the set it was read from).

    Returns
    -------
    int
        The number of prompts written.
    """
    from .result import check_output_paths, write_atomic

    out = Path(out)
    if out.is_dir():
        raise InputError(out, "is a directory; give a file name to write")
    lines = []
    for prompt in prompts:
        obj: dict[str, Any] = {"id": prompt.id}
        if prompt.category is not None:
            obj["category"] = prompt.category
        obj["prompt"] = prompt.prompt
        if prompt.system is not None:
            obj["system"] = prompt.system
        lines.append(json.dumps(obj, ensure_ascii=False) + "\n")
    check_output_paths([out], inputs)
    write_atomic(out, "".join(lines))
    logger.info("wrote %d prompts to %s", len(lines), out)
    return len(lines)


def export_prompt_set(
    name_or_path: str | Path, out: str | Path, category: str | None = None
) -> int:
    """Load a prompt set and write it (or one category of it) to ``out`` as JSONL.

    Parameters
    ----------
    name_or_path : str or Path
        As for :func:`load_prompt_set`.
    out : str or Path
        Destination file.
    category : str, optional
        Only export this category.

    Returns
    -------
    int
        The number of prompts written.
    """
    prompt_set = load_prompt_set(name_or_path)
    prompts = prompt_set.filter(category) if category else prompt_set.prompts
    return write_prompt_file(prompts, out, [prompt_set.path] if prompt_set.path else [])
