"""Collecting outputs: run a prompt set against an OpenAI-compatible chat-completions endpoint.

One ``POST {base_url}/chat/completions`` per (prompt, sample); transient failures are retried
(see collect_http). The output file is the only state: each record is appended, flushed and
fsynced by one writer, a re-run skips finished pairs (a torn last line is cut off) and refuses a
file made with other parameters, and a lock stops two collectors writing one file. The API key
is sent only in the ``Authorization`` header and scrubbed from every message.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import httpx

from .collect_http import (
    FATAL_STATUS,
    RETRY_STATUS,
    Malformed,
    _excerpt,
    _parse_completion,
    _request_url,
    _scrub,
    backoff_delay,
    parse_retry_after,
    public_endpoint,
    secret_forms,
)
from .collect_resume import read_output, sync
from .errors import ConfigurationError, InputError, writes_to
from .hygiene import clean_response
from .prompts import Prompt, PromptSet, load_prompt_set

CONNECT_TIMEOUT_S = 15.0  # a server that accepts nothing is reported in seconds, not minutes
SILENT_ATTEMPTS = 2  # timeouts before a run whose endpoint has never answered stops

logger = logging.getLogger(__name__)

_MATCHED_FIELDS = ("model", "endpoint", "temperature", "max_tokens")
_SURROGATE = re.compile("[\ud800-\udfff]")

ProgressCallback = Callable[[int, int], None]


class EndpointError(ConfigurationError):
    """The endpoint refused the run as a whole (bad key, wrong URL or model)."""


class _PairFailed(Exception):
    """One pair failed for good; the message is already scrubbed."""


@dataclass
class CollectConfig:
    """Parameters of one collection run (the CLI options of ``stylesim collect``)."""

    prompts: str
    model: str
    base_url: str
    out: Path
    api_key_env: str = "OPENAI_API_KEY"
    samples: int = 1
    temperature: float = 1.0
    max_tokens: int | None = 1024
    system: str | None = None
    concurrency: int = 4
    limit: int | None = None
    timeout_s: float = 300.0
    max_attempts: int = 6
    backoff_base_s: float = 1.0
    backoff_max_s: float = 60.0
    retry_after_cap_s: float = 120.0

    def validate(self) -> None:
        """Raise :class:`ConfigurationError` for the first option that cannot work."""
        checks = [
            (bool(self.model.strip()), "--model must not be empty"),
            (self.samples >= 1, f"--samples must be at least 1 (got {self.samples})"),
            (self.concurrency >= 1, f"--concurrency must be at least 1 (got {self.concurrency})"),
            (
                math.isfinite(self.temperature) and 0.0 <= self.temperature <= 2.0,
                f"--temperature must be between 0 and 2 (got {self.temperature:g})",
            ),
            (self.max_tokens is None or self.max_tokens >= 1,
             f"--max-tokens must be at least 1 (got {self.max_tokens})"),
            (self.limit is None or self.limit >= 1, f"--limit must be at least 1 (got {self.limit})"),
            (math.isfinite(self.timeout_s) and self.timeout_s > 0,
             f"--timeout must be a positive number of seconds (got {self.timeout_s:g})"),
            (self.max_attempts >= 1, f"--max-attempts must be at least 1 (got {self.max_attempts})"),
            (all(math.isfinite(v) and v >= 0 for v in (self.backoff_base_s, self.backoff_max_s,
                                                       self.retry_after_cap_s)),
             "backoff and Retry-After caps must be numbers of seconds, not negative or infinite"),
            (bool(self.api_key_env.strip()), "--api-key-env must name an environment variable"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigurationError(message)
        parts = urlsplit(self.base_url)
        try:
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            parts = parts._replace(scheme="")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(
                "--base-url must be an http:// or https:// URL such as http://127.0.0.1:8000/v1"
            )


@dataclass
class FailedPair:
    """A (prompt, sample) pair that failed after all attempts."""

    prompt_id: str
    sample: int
    reason: str


@dataclass
class CollectResult:
    """What a run did: ``planned`` pairs, of which ``skipped`` were already in the file."""

    out: Path
    planned: int
    skipped: int
    written: int
    failed: list[FailedPair]


def _system_for(prompt: Prompt, config: CollectConfig) -> str | None:
    return prompt.system if prompt.system is not None else config.system


def _check_existing(
    path: Path, records: list[tuple[int, dict[str, Any]]], prompt_set: PromptSet,
    config: CollectConfig, endpoint: str,
) -> set[tuple[str, int]]:
    """The finished pairs in ``records``; refuse records made with other parameters."""
    wanted = {"model": config.model, "endpoint": endpoint, "temperature": config.temperature,
              "max_tokens": config.max_tokens}
    advice = "resume with the same parameters, or write to a new --out file"
    done: set[tuple[str, int]] = set()
    for number, record in records:
        stored_set = record.get("prompt_set")
        if not isinstance(stored_set, dict):
            raise InputError(
                path, f"record has no prompt_set: not written by stylesim collect; {advice}", number
            )
        if stored_set.get("sha256") != prompt_set.sha256:
            raise InputError(path, (
                f"was collected with prompt set {stored_set.get('name')!r} (sha256 "
                f"{str(stored_set.get('sha256'))[:12]}), this run uses {prompt_set.label!r} "
                f"(sha256 {prompt_set.sha256[:12]}); {advice}"), number)
        for name in _MATCHED_FIELDS:
            if record.get(name) != wanted[name]:
                raise InputError(path, (
                    f"was collected with {name}={record.get(name)!r}, this run asks for "
                    f"{name}={wanted[name]!r}; {advice}"), number)
        prompt = prompt_set.get(str(record["prompt_id"]))
        if prompt is None:
            raise InputError(path, f"prompt id {record['prompt_id']!r} is not in the set", number)
        if record.get("system") != _system_for(prompt, config):
            raise InputError(path, f"was collected with another system prompt; {advice}", number)
        sample = record.get("sample", 0)
        if not isinstance(sample, int) or isinstance(sample, bool) or sample < 0:
            raise InputError(path, 'field "sample" must be a non-negative integer', number)
        key = (prompt.id, sample)
        if key in done:
            logger.warning("%s:%d: %s sample %s appears twice", path, number, *key)
        done.add(key)
    return done


class _Collector:
    """One run's HTTP side: builds requests, retries, and turns responses into records."""

    def __init__(self, config: CollectConfig, prompt_set: PromptSet, api_key: str | None) -> None:
        self.config = config
        self.prompt_set = prompt_set
        self.endpoint = public_endpoint(config.base_url)
        self.url = _request_url(config.base_url)
        parts = urlsplit(config.base_url)
        self.secrets = secret_forms([s for s in (api_key, parts.username, parts.password, parts.query) if s])
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.answered = False  # any HTTP response at all in this run

    async def run(self, pending: list[tuple[Prompt, int]], handle: IO[bytes],
                  on_done: Callable[[], None], failures: list[FailedPair]) -> int:
        """Work through ``pending`` with ``concurrency`` workers; return the records written."""
        queue = deque(pending)
        written = 0
        limits = httpx.Limits(max_connections=self.config.concurrency)
        async with httpx.AsyncClient(
            # Connecting should take seconds; a completion may take minutes to write.
            timeout=httpx.Timeout(self.config.timeout_s, connect=min(self.config.timeout_s, CONNECT_TIMEOUT_S)),
            headers=self.headers, limits=limits
        ) as client:

            async def worker() -> None:
                nonlocal written
                while queue:
                    prompt, sample = queue.popleft()
                    try:
                        record = await self._pair(client, prompt, sample)
                    except _PairFailed as exc:
                        failures.append(FailedPair(prompt.id, sample, str(exc)))
                        logger.warning("%s sample %d failed: %s", prompt.id, sample, exc)
                    else:  # one thread, no await until written: the single writer
                        line = json.dumps(record, ensure_ascii=False) + "\n"
                        # A lone surrogate (a server's broken escape) cannot be UTF-8: U+FFFD instead.
                        handle.write(_SURROGATE.sub("\ufffd", line).encode("utf-8"))
                        sync(handle)
                        written += 1
                    on_done()

            workers = min(self.config.concurrency, len(queue))
            tasks = [asyncio.create_task(worker()) for _ in range(workers)]
            try:
                await asyncio.gather(*tasks)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
        return written

    async def _pair(self, client: httpx.AsyncClient, prompt: Prompt, sample: int) -> dict[str, Any]:
        config = self.config
        system = _system_for(prompt, config)
        messages = [{"role": "system", "content": system}] if system is not None else []
        messages.append({"role": "user", "content": prompt.prompt})
        body: dict[str, Any] = {"model": config.model, "messages": messages,
                                "temperature": config.temperature, "stream": False}
        if config.max_tokens is not None:
            body["max_tokens"] = config.max_tokens
        for attempt in range(1, config.max_attempts + 1):
            retry_after: float | None = None
            started = time.monotonic()
            try:
                response = await client.post(self.url, json=body)
            except httpx.ConnectTimeout:
                reason = f"could not connect to {self.endpoint} within {min(config.timeout_s, CONNECT_TIMEOUT_S):g}s"
            except httpx.TimeoutException:
                reason = f"no completion from {self.endpoint} within {config.timeout_s:g}s (--timeout)"
                if not self.answered and attempt >= SILENT_ATTEMPTS:
                    # Nothing has ever answered: a wrong port or a hung server, not a slow completion.
                    raise EndpointError(f"{self.endpoint} accepted the connection but sent nothing within "
                                        f"{config.timeout_s:g}s, {attempt} times; is the URL right and the server "
                                        "up? (a slow model needs a larger --timeout)") from None
            except httpx.RequestError as exc:  # connection errors, bad encodings, ...
                reason = f"connection error ({type(exc).__name__}: {exc})"
            else:
                self.answered = True
                status = response.status_code
                if 200 <= status < 300:
                    try:
                        text, meta = _parse_completion(response.json())
                    except (ValueError, Malformed) as exc:  # ValueError: body is not JSON
                        reason = f"malformed response ({exc})"
                    else:
                        if clean_response(text)[0].strip():
                            return self._record(prompt, sample, system, text, meta,
                                                time.monotonic() - started, attempt)
                        # Nothing to compare once reasoning is stripped; stored, the pair would count
                        # as done and never be asked again. Retried like a missing text, except when
                        # the token budget ran out first: the same budget would run out again.
                        if meta["finish_reason"] == "length":
                            raise _PairFailed("the answer is empty: the model spent its whole token budget "
                                              "before answering (finish_reason \"length\"); raise --max-tokens")
                        reason = f"empty answer (finish_reason {json.dumps(meta['finish_reason'])})"
                elif status in FATAL_STATUS:
                    hint = "" if self.headers else f" ({config.api_key_env} is not set)"
                    raise EndpointError(_scrub(
                        f"{self.endpoint} answered HTTP {status}{hint}: {_excerpt(response)}",
                        self.secrets))
                else:
                    reason = f"HTTP {status}: {_excerpt(response)}"
                    if status not in RETRY_STATUS and status < 500:
                        raise _PairFailed(_scrub(reason, self.secrets))
                    retry_after = parse_retry_after(response.headers.get("retry-after"))
            reason = _scrub(reason, self.secrets)
            if attempt == config.max_attempts:
                raise _PairFailed(f"{reason} (gave up after {attempt} attempts)")
            if retry_after is not None:
                delay = min(retry_after, config.retry_after_cap_s)
            else:
                delay = backoff_delay(attempt, config.backoff_base_s, config.backoff_max_s)
            logger.info("%s sample %d: %s; retry %d of %d in %.2fs", prompt.id, sample, reason,
                        attempt, config.max_attempts - 1, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _record(self, prompt: Prompt, sample: int, system: str | None, text: str,
                meta: dict[str, Any], latency: float, attempts: int) -> dict[str, Any]:
        return {
            "prompt_id": prompt.id,
            "prompt": prompt.prompt,
            "response": text,
            "model": self.config.model,
            "sample": sample,
            "system": system,
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens,
            "finish_reason": meta["finish_reason"],
            "usage": meta["usage"],
            "latency_s": round(latency, 3),
            "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "prompt_set": self.prompt_set.reference(),
            "endpoint": self.endpoint,
            "category": prompt.category,
            "response_model": meta["response_model"],
            "reasoning_dropped": meta["reasoning_dropped"],
            "refusal": meta["refusal"],
            "attempts": attempts,
        }


def collect(config: CollectConfig, on_progress: ProgressCallback | None = None) -> CollectResult:
    """Run a prompt set against an endpoint, appending to ``config.out`` and resuming from it.

    Parameters
    ----------
    config : CollectConfig
        The run's parameters; validated first.
    on_progress : callable, optional
        Called as ``on_progress(done, total)`` once at the start and after every pair, where
        ``total`` counts every planned pair and ``done`` includes those already in the file.

    Returns
    -------
    CollectResult
        Counts and the pairs that failed after every attempt (the caller decides the exit code).

    Raises
    ------
    ConfigurationError
        For invalid options, a file locked by another run, or an endpoint that refuses the run
        (:class:`EndpointError`: HTTP 401 or 404).
    InputError
        For an unusable prompt set, or an existing output file that is not stylesim JSONL or was
        made with other parameters.
    """
    config.validate()
    prompt_set = load_prompt_set(config.prompts)
    chosen = prompt_set.prompts[: config.limit] if config.limit else prompt_set.prompts
    if config.system is not None and any(p.system is not None for p in chosen):
        logger.warning("some prompts carry their own system prompt; --system applies to the others")
    api_key = os.environ.get(config.api_key_env) or None
    if api_key is not None and any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in api_key):
        # An HTTP header cannot carry it, and httpx's error would print the key itself.
        raise ConfigurationError(f"{config.api_key_env} holds whitespace or control characters (a trailing "
                                 "newline from a file?); remove them and run again")
    collector = _Collector(config, prompt_set, api_key)
    out = Path(config.out)
    if out.is_dir():
        raise InputError(out, "is a directory; give a file name to write")
    from .result import check_output_paths

    check_output_paths([out], [config.prompts] if Path(str(config.prompts)).is_file() else [])
    created = not out.exists()
    try:
        return _collect_into(out, config, chosen, prompt_set, collector, on_progress)
    finally:
        # A run that writes no record (a refused key, no server, every pair failed) leaves no empty file.
        if created and out.exists() and out.stat().st_size == 0:
            out.unlink()


def _collect_into(out: Path, config: CollectConfig, chosen: list[Prompt], prompt_set: PromptSet,
                  collector: _Collector, on_progress: ProgressCallback | None) -> CollectResult:
    with writes_to(out), open(out, "a+b") as handle:  # a failed write (a full disk) names ``out``
        records = read_output(handle, out)
        done = _check_existing(out, records, prompt_set, config, collector.endpoint)
        plan = [(p, s) for s in range(config.samples) for p in chosen]
        pending = [(p, s) for p, s in plan if (p.id, s) not in done]
        total, finished = len(plan), len(plan) - len(pending)
        logger.info("%s: %d of %d pairs already collected", out, finished, total)
        progress = on_progress or (lambda _done, _total: None)
        progress(finished, total)

        def on_done() -> None:
            nonlocal finished
            finished += 1
            progress(finished, total)

        failures: list[FailedPair] = []
        written = asyncio.run(collector.run(pending, handle, on_done, failures)) if pending else 0
    return CollectResult(out=out, planned=total, skipped=total - len(pending), written=written,
                         failed=failures)
