"""not-x-but-y-bench results: ``{model_id: {test_model, params, samples: [...], summary}}``.

Each sample is ``{prompt_index, prompt, output, ...}``. ``prompt_id`` is ``str(prompt_index)``
(the index may be written as a number or a string); ``model`` is the top-level key (falling back
to ``test_model`` when the key is empty); temperature and max_tokens come from ``params``.
Empty outputs (failed requests, whose ``error`` goes to ``extra``) are kept: the loader's hygiene
drops and counts them. ``line`` is the line of the sample's ``"prompt_index"`` key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, json_kind
from ..records import Record
from ._io import optional, parse_json, read_text, require
from ._sniff import sniff

name = "notxbuty"
description = "not-x-but-y-bench results JSON: {model: {test_model, params, samples: [...]}}"

_SAMPLE_KNOWN = {"prompt_index", "prompt", "output"}
_PARAM_KNOWN = {"temperature", "max_tokens"}
_INDEX_KEY = re.compile(r'"prompt_index"\s*:')


def detect(path: Path, head: str) -> bool:
    found = sniff(head)
    if found.shape not in ("object", "lines"):  # "lines": minified onto one line
        return False
    if found.record is None:  # cut off by the head: look at the keys near the start
        return found.has("samples", "prompt_index", "output") and found.has_any(
            "test_model", "params"
        )
    runs = found.record
    # One run that looks right is enough: a null or broken run among them is then named by read()
    # (it made the whole file "cannot tell the format", before 0.3.17).
    return isinstance(runs, dict) and bool(runs) and any(map(_looks_like_run, runs.values()))


def _looks_like_run(run: Any) -> bool:
    return (
        isinstance(run, dict)
        and isinstance(run.get("samples"), list)
        and ("test_model" in run or "params" in run)
    )


def read(path: Path) -> Iterator[Record]:
    text = read_text(path)
    data = parse_json(path, text)
    if not isinstance(data, dict):
        raise InputError(
            path, f"expected a JSON object of runs keyed by model, got {json_kind(data)}", 1
        )
    if not data:
        raise InputError(path, "no runs in this file", 1)
    total = sum(
        len(run["samples"]) for run in data.values()
        if isinstance(run, dict) and isinstance(run.get("samples"), list)
    )
    found = _sample_lines(text)
    lines = found if len(found) == total else None
    position = 0
    for key, run in data.items():
        where = f"model {key!r}: "
        if not isinstance(run, dict):
            raise InputError(path, f"{where}expected a JSON object, got {json_kind(run)}")
        samples = require(run, "samples", path, None, list, where)
        test_model = optional(run, "test_model", path, None, str, where)
        params = optional(run, "params", path, None, dict, where) or {}
        temperature = optional(params, "temperature", path, None, (int, float), where + "params: ")
        max_tokens = optional(params, "max_tokens", path, None, int, where + "params: ")
        run_extra = {k: v for k, v in params.items() if k not in _PARAM_KNOWN}
        for k in ("endpoint", "started_at", "completed_at"):
            if run.get(k) is not None:
                run_extra[k] = run[k]
        if test_model is not None and test_model != key:
            run_extra["test_model"] = test_model
        model = key or test_model
        for number, sample in enumerate(samples, start=1):
            line = lines[position] if lines is not None else None
            position += 1
            at = f"{where}sample {number}: "
            index = require(sample, "prompt_index", path, line, (int, str), at)
            if isinstance(index, str) and not index.strip():
                raise InputError(path, f'{at}field "prompt_index" is empty', line)
            output = require(sample, "output", path, line, str, at)
            prompt = optional(sample, "prompt", path, line, str, at)
            extra = dict(run_extra)
            extra.update((k, v) for k, v in sample.items() if k not in _SAMPLE_KNOWN)
            extra["prompt_set"] = "not-x-but-y-bench"
            yield Record(
                prompt_id=str(index).strip(),
                response=output,
                model=model,
                prompt=prompt,
                temperature=float(temperature) if temperature is not None else None,
                max_tokens=max_tokens,
                extra=extra,
                line=line,
            )


def _sample_lines(text: str) -> list[int]:
    """Line of every ``"prompt_index"`` key, in document order.

    Inside JSON strings a quote is escaped, so this only finds real keys; the reader uses the
    lines only when there is exactly one per sample.
    """
    lines: list[int] = []
    pos, line = 0, 1
    for match in _INDEX_KEY.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        lines.append(line)
    return lines
