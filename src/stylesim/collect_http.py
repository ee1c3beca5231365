"""HTTP details of collecting: endpoint URLs, Retry-After, backoff, scrubbing, response parsing."""

from __future__ import annotations

import email.utils
import json
import math
import random
import time
from datetime import timezone
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

RETRY_STATUS = frozenset({408, 409, 425, 429})
FATAL_STATUS = frozenset({401, 404})  # every pair would fail the same way: stop the run


class Malformed(Exception):
    """A 2xx response that is not a usable chat completion."""



def _base_path(path: str) -> str:
    return path.rstrip("/").removesuffix("/chat/completions")


def public_endpoint(base_url: str) -> str:
    """``base_url`` without credentials, query or fragment: what records store as ``endpoint``."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, _base_path(parts.path), "", ""))


def _request_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    path = _base_path(parts.path) + "/chat/completions"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay seconds or an HTTP date).

    Parameters
    ----------
    value : str or None
        The header value.
    now : float, optional
        The current Unix time (for tests); defaults to :func:`time.time`.

    Returns
    -------
    float or None
        A non-negative delay, or ``None`` when the header is absent or unreadable.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def backoff_delay(attempt: int, base_s: float, max_s: float) -> float:
    """Full-jitter exponential backoff: uniform in ``[0, min(max_s, base_s * 2**(attempt-1))]``."""
    return random.uniform(0.0, min(max_s, base_s * 2 ** max(0, attempt - 1)))


def secret_forms(secrets: list[str]) -> list[str]:
    """Every form a secret can take in a message: raw, stripped, repr-escaped, URL-quoted; longest
    first, so a longer form is scrubbed before a shorter one inside it."""
    from urllib.parse import quote, unquote

    forms: set[str] = set()
    for secret in secrets:
        for form in (secret, secret.strip(), repr(secret)[1:-1], quote(secret, safe=""), unquote(secret)):
            if len(form) >= 4:
                forms.add(form)
    return sorted(forms, key=lambda f: (-len(f), f))


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _excerpt(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return text[:200] + ("..." if len(text) > 200 else "")


def _parse_completion(data: Any) -> tuple[str, dict[str, Any]]:
    """The response text and metadata of a chat completion; raises _Malformed."""
    if not isinstance(data, dict):
        raise Malformed("body is not a JSON object")
    if "error" in data and not data.get("choices"):
        raise Malformed(f"error in body: {json.dumps(data['error'])[:200]}")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise Malformed("no choices in body")
    message = choices[0].get("message")
    if not isinstance(message, dict):
        raise Malformed("choice has no message")
    content = message.get("content")
    refused = content is None and isinstance(message.get("refusal"), str)
    if refused:
        content = message["refusal"]
    if not isinstance(content, str):
        raise Malformed("message has no text content")
    usage = data.get("usage")
    finish = choices[0].get("finish_reason")
    return content, {
        "finish_reason": finish if isinstance(finish, str) else None,  # what the loader accepts
        "usage": usage if isinstance(usage, dict) else None,
        "response_model": data.get("model") if isinstance(data.get("model"), str) else None,
        "reasoning_dropped": bool(message.get("reasoning_content") or message.get("reasoning")),
        "refusal": refused,
    }
