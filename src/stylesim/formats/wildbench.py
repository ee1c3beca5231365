"""WildBench eval files: a JSON list of ``{session_id, model_test, model_output, parsed_result, ...}``.

``prompt_id`` is ``session_id``; ``response`` is ``model_output`` only (``parsed_result`` is the
judge's critique of it, never the model's text, and is left out); ``model`` is ``model_test``.
The files carry no prompt text, so ``prompt`` is ``None``. The judge's ``score`` and the batch
request id are kept in ``extra``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..records import Record
from ._io import iter_json_list, optional, require
from ._sniff import sniff

name = "wildbench"
description = "WildBench eval JSON: list of {session_id, model_test, model_output, ...}"


def detect(path: Path, head: str) -> bool:
    found = sniff(head)
    return found.shape == "list" and found.has("session_id", "model_output")


def read(path: Path) -> Iterator[Record]:
    for line, index, item in iter_json_list(path, "a JSON list of WildBench results"):
        where = f"item {index}: "
        session_id = require(item, "session_id", path, line, (str, int), where)
        output = require(item, "model_output", path, line, str, where)
        model = optional(item, "model_test", path, line, str, where)
        extra: dict[str, object] = {"prompt_set": "wildbench"}
        if item.get("score") is not None:
            extra["score"] = item["score"]
        meta = item.get("meta_data")
        if isinstance(meta, dict) and meta.get("batch_req_id") is not None:
            extra["batch_req_id"] = meta["batch_req_id"]
        yield Record(
            prompt_id=str(session_id),
            response=output,
            model=model,
            prompt=None,
            extra=extra,
            line=line,
        )
