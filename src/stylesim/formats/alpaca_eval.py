"""AlpacaEval ``model_outputs.json``: a JSON list of ``{instruction, output, generator, dataset}``.

Every AlpacaEval file holds the same 805 instructions, so ``prompt_id`` is derived from the
instruction text (:func:`._io.text_id`: sha1 of the normalised text) and files align on content
even when their order differs. ``model`` is ``generator``. Other fields (``dataset``, and the
``index`` / ``new_prompt`` some files carry) go to ``extra``. ``line`` is the line where the
element starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..records import Record
from ._io import iter_json_list, optional, require, text_id
from ._sniff import sniff

name = "alpaca_eval"
description = "AlpacaEval model_outputs.json: JSON list of {instruction, output, generator, dataset}"

_KNOWN = {"instruction", "output", "generator"}


def detect(path: Path, head: str) -> bool:
    found = sniff(head)
    return found.shape == "list" and found.has("instruction", "output")


def read(path: Path) -> Iterator[Record]:
    for line, index, item in iter_json_list(path, "a JSON list of AlpacaEval outputs"):
        where = f"item {index}: "
        instruction = require(item, "instruction", path, line, str, where)
        output = require(item, "output", path, line, str, where)
        generator = optional(item, "generator", path, line, str, where)
        extra = {key: value for key, value in item.items() if key not in _KNOWN}
        extra.setdefault("prompt_set", "alpaca_eval")
        yield Record(
            prompt_id=text_id(instruction),
            response=output,
            model=generator,
            prompt=instruction,
            extra=extra,
            line=line,
        )
