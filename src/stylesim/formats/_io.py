"""Shared helpers for format readers: streaming JSONL and whole-file JSON with located errors."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError, json_kind, kind_words

log = logging.getLogger(__name__)


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
              (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def wide_encoding(raw: bytes) -> str | None:
    """ "UTF-16"/"UTF-32" when ``raw`` (a file's first bytes) is text in one of them, else None.

    Known by a byte-order mark, or, for UTF-16 without one, by NUL bytes on one side of most
    of the first 50 byte pairs and on the other side of almost none (ASCII text in UTF-16 has
    one in every pair; UTF-8 text has none; binary data has them on both sides).
    """
    for mark, name in _WIDE_BOMS:
        if raw.startswith(mark):
            return name
    sample = raw[:100]
    pairs = len(sample) // 2
    if pairs >= 2:
        low, high = sample[0:2 * pairs:2].count(0), sample[1:2 * pairs:2].count(0)
        if max(low, high) >= 0.6 * pairs and min(low, high) <= 0.1 * pairs:
            return "UTF-16BE" if low > high else "UTF-16LE"  # iconv reads a bare "UTF-16" as BE
    return None


def refuse_wide(path: Path, raw: bytes) -> None:
    """Raise the one-line error for a UTF-16/UTF-32 file, naming the encoding and the fix."""
    name = wide_encoding(raw)
    if name is not None:
        raise InputError(
            path, f"is {name} text; stylesim reads UTF-8 (convert it first, for example with "
            f"iconv -f {name} -t UTF-8)",
        )


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, parsed_object)`` for each non-blank line, streaming the file."""
    try:
        with open(path, "rb") as handle:
            yield from _jsonl_lines(path, handle)
    except OSError as exc:
        raise InputError(path, f"cannot open: {exc.strerror or exc}") from None


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _clean_strings(value: Any) -> Any:
    """Lone UTF-16 surrogates (from JSON escapes such as \\ud800) become U+FFFD, everywhere."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_clean_strings(v) for v in value]
    if isinstance(value, dict):
        return {_clean_strings(k): _clean_strings(v) for k, v in value.items()}
    return value


class _NonFinite:
    """Counts NaN/Infinity constants, which JSON does not allow; they are read as missing (null)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, name: str) -> None:
        self.count += 1
        return None

    def number(self, text: str) -> float | None:
        """A JSON number; one too large for a float (1e400 reads as infinity) counts as non-finite."""
        value = float(text)
        return value if math.isfinite(value) else self(text)


def decode_json(path: Path, text: str, line: int | None = None, non_finite: _NonFinite | None = None,
                prefix: str = "") -> Any:
    """``json.loads`` with every failure as one located :class:`InputError` (invalid JSON, nesting
    too deep, numbers too long); lone surrogates replaced; NaN/Infinity read as null (counted)."""
    try:
        non_finite = non_finite or _NonFinite()
        value = json.loads(text, parse_constant=non_finite, parse_float=non_finite.number)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"{prefix}invalid JSON: {exc.msg} (column {exc.colno})",
                         line if line is not None else exc.lineno) from None
    except RecursionError:
        raise InputError(path, f"{prefix}JSON nested too deeply to read", line) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise InputError(path, f"{prefix}unreadable JSON value ({str(exc).split(';')[0]})", line) from None
    if "\\ud" in text.lower() or _SURROGATE.search(text):
        value = _clean_strings(value)
    return value


def _jsonl_lines(path: Path, handle: BinaryIO) -> Iterator[tuple[int, Any]]:
    non_finite = _NonFinite()
    yield from _decoded_lines(path, handle, non_finite)
    if non_finite.count:
        log.warning("%s: %d NaN/Infinity value(s) read as missing (JSON does not allow them)", path, non_finite.count)


def _decoded_lines(path: Path, handle: BinaryIO, non_finite: _NonFinite) -> Iterator[tuple[int, Any]]:
    for number, raw in enumerate(handle, start=1):
        if number == 1:
            refuse_wide(path, raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                path, f"not valid UTF-8 (byte {exc.start} of the line)", number
            ) from None
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        if not text.strip():
            continue
        try:
            value = decode_json(path, text, number, non_finite)
        except InputError as exc:
            if "\r" in text.rstrip("\r\n") and "Extra data" in exc.message:
                # Records separated by a carriage return alone read as one line with "Extra data".
                raise InputError(path, f"{exc.message}; the lines end in a carriage return alone (old Mac line "
                                       "endings): convert them to newlines", number) from None
            raise
        yield number, value


def load_json(path: Path) -> Any:
    """Parse a whole JSON file, turning decode errors into a located :class:`InputError`."""
    return parse_json(path, read_text(path))


def parse_json(path: Path, text: str) -> Any:
    """Parse ``text`` (the content of ``path``) as JSON, with a located error."""
    return decode_json(path, text)


def require(
    obj: Any,
    key: str,
    path: Path,
    line: int | None,
    kind: type | tuple[type, ...] = str,
    prefix: str = "",
) -> Any:
    """Return ``obj[key]`` or raise ``path:line: missing field "key"`` / null / wrong type.

    ``prefix`` starts the message (``"item 17: "``) where a line alone does not locate the value.
    A JSON boolean is not accepted as a number unless ``bool`` is in ``kind``.
    """
    if not isinstance(obj, dict):
        raise InputError(path, f"{prefix}expected a JSON object, got {json_kind(obj)}", line)
    if key not in obj:
        raise InputError(path, f'{prefix}missing field "{key}"', line)
    if obj[key] is None:
        # NaN and Infinity are read as null (JSON does not allow them): "missing" misled for those.
        raise InputError(path, f'{prefix}field "{key}" is null (or NaN/Infinity)', line)
    return _check(obj[key], key, path, line, kind, prefix)


def optional(
    obj: dict[str, Any],
    key: str,
    path: Path,
    line: int | None,
    kind: type | tuple[type, ...] = str,
    prefix: str = "",
) -> Any:
    """``obj[key]`` checked against ``kind`` when present and not null; else ``None``."""
    value = obj.get(key)
    if value is None:
        return None
    return _check(value, key, path, line, kind, prefix)


def _check(
    value: Any, key: str, path: Path, line: int | None, kind: type | tuple[type, ...], prefix: str
) -> Any:
    kinds = (kind,) if isinstance(kind, type) else kind
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = kind_words(kinds)
        raise InputError(
            path, f'{prefix}field "{key}" must be {names}, got {json_kind(value)}', line
        )
    if float in kinds and isinstance(value, (int, float)) and not isinstance(value, bool):  # 10**400 overflows
        try:
            finite = math.isfinite(float(value))
        except OverflowError:
            finite = False
        if not finite:
            raise InputError(path, f'{prefix}field "{key}" must be a finite number', line)
    return value


def read_text(path: Path) -> str:
    """The whole file as text (UTF-8, BOM dropped), with located errors."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot open: {exc.strerror or exc}") from None
    refuse_wide(path, data[:100])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "not valid UTF-8", line) from None


_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder(parse_constant=lambda name: None,  # NaN/Infinity (and 1e400) read as missing
                            parse_float=lambda text: value if math.isfinite(value := float(text)) else None)


class _LineCounter:
    """1-based line of an offset in ``text``, for offsets visited in increasing order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def at(self, pos: int) -> int:
        if pos < self.pos:  # not expected; recount from the start
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def iter_json_list(path: Path, what: str = "a JSON list") -> Iterator[tuple[int, int, Any]]:
    """Yield ``(line, index, element)`` for each element of a file holding one JSON list.

    ``line`` is the 1-based line where the element starts and ``index`` its 1-based position,
    found while parsing (element by element with the C decoder), so errors can name both.
    """
    text = read_text(path)
    pos = _WS.match(text, 0).end()
    if not text.startswith("[", pos):
        if pos == len(text):
            raise InputError(path, "file is empty")
        value = parse_json(path, text)
        raise InputError(path, f"expected {what}, got a JSON {json_type(value)}", 1)
    lines = _LineCounter(text)
    pos = _WS.match(text, pos + 1).end()
    if text.startswith("]", pos):
        _check_trailing(path, text, pos + 1)
        return
    index = 0
    while True:
        index += 1
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(
                path, f"item {index}: invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno
            ) from None
        except RecursionError:
            raise InputError(path, f"item {index}: JSON nested too deeply to read", lines.at(pos)) from None
        except ValueError as exc:
            raise InputError(path, f"item {index}: unreadable JSON value ({str(exc).split(';')[0]})",
                             lines.at(pos)) from None
        yield lines.at(pos), index, _clean_strings(value) if _SURROGATE.search(text[pos:end]) or "\\ud" in text[pos:end].lower() else value
        pos = _WS.match(text, end).end()
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()
            continue
        if text.startswith("]", pos):
            _check_trailing(path, text, pos + 1)
            return
        line = text.count("\n", 0, pos) + 1
        if pos >= len(text):
            raise InputError(path, f"invalid JSON: the list is not closed after item {index}", line)
        raise InputError(path, f"invalid JSON: expected ',' or ']' after item {index}", line)


def _check_trailing(path: Path, text: str, pos: int) -> None:
    pos = _WS.match(text, pos).end()
    if pos < len(text):
        raise InputError(path, "invalid JSON: extra data after the list", text.count("\n", 0, pos) + 1)


def json_type(value: Any) -> str:
    """A JSON type name for messages: object, list, string, number, boolean, null."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


_SPACE = re.compile(r"\s+")


def text_id(text: str) -> str:
    """A stable short id for a prompt text: sha1 of its normalised form, 12 hex digits.

    Normalisation is the loader's (NFC, whitespace collapsed, edges stripped, lower case), so
    files that hold the same prompts align on content whatever their layout.
    """
    norm = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:12]
