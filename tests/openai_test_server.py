"""An OpenAI-compatible chat-completions server for tests, built on the standard library only.

It listens on 127.0.0.1 on a free port, in a background thread, and answers
``POST /v1/chat/completions``. Faults are scripted: ``server.script(match, *actions)`` queues
actions for requests whose user message contains ``match`` (``""`` matches every request);
each matching request takes the next action, and once a queue is empty requests are answered
normally. Every request is logged (time, prompt, action, Authorization header) for assertions.

Example::

    with OpenAITestServer(api_key="sk-test") as server:
        server.script("lighthouse", rate_limited(retry_after="1"), server_error())
        ... run the client against server.base_url ...
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Action:
    """What the server does with one request."""

    kind: str  # ok | status | stall | not_json | no_choices | empty | thinking_cut_off | reasoning | echo_auth | disconnect | surrogate
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def ok() -> Action:
    return Action("ok")


def rate_limited(retry_after: str | None = "1") -> Action:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Action("status", status=429, headers=headers)


def server_error(status: int = 500) -> Action:
    return Action("status", status=status)


def stall(seconds: float) -> Action:
    """Say nothing for ``seconds`` (longer than the client's timeout), then answer."""
    return Action("stall", seconds=seconds)


def not_json() -> Action:
    return Action("not_json")


def no_choices() -> Action:
    return Action("no_choices")


def empty() -> Action:
    """An answer whose text is empty (finish_reason "stop")."""
    return Action("empty")


def thinking_cut_off() -> Action:
    """A reasoning model that spent its token budget thinking: an unclosed <think> block, "length"."""
    return Action("thinking_cut_off")


def reasoning() -> Action:
    """A reasoning model's answer: ``reasoning_content`` beside ``content``."""
    return Action("reasoning")


def echo_auth(status: int = 500) -> Action:
    """An error whose body repeats the request's Authorization header (a careless server)."""
    return Action("echo_auth", status=status)


def surrogate() -> Action:
    """An answer whose text holds a lone surrogate escape (``\\ud800``), which is not valid UTF-8."""
    return Action("surrogate")


def disconnect() -> Action:
    """Close the connection without answering."""
    return Action("disconnect")


@dataclass
class LoggedRequest:
    at: float
    user: str
    action: str
    authorization: str | None
    body: dict[str, Any]


class OpenAITestServer:
    """A scripted OpenAI-compatible server on ``127.0.0.1:<free port>``."""

    def __init__(self, api_key: str | None = None, delay_s: float = 0.0) -> None:
        self.api_key = api_key
        self.delay_s = delay_s
        self.requests: list[LoggedRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._scripts: list[tuple[str, list[Action]]] = []
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def script(self, match: str, *actions: Action) -> None:
        """Queue ``actions`` for requests whose user message contains ``match``."""
        with self._lock:
            self._scripts.append((match, list(actions)))

    def requests_for(self, match: str) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.requests if match in r.user]

    def start(self) -> OpenAITestServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                try:
                    server._handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (timeout, cancelled run)

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                """A client that hung up mid-response is expected here; no traceback on stderr."""

        self._httpd = QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> OpenAITestServer:  # noqa: PYI034
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling (runs in the server's handler threads) --

    def _next_action(self, user: str) -> Action:
        with self._lock:
            for match, queue in self._scripts:
                if match in user and queue:
                    return queue.pop(0)
        return ok()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        authorization = handler.headers.get("Authorization")
        if handler.path.rstrip("/") != "/v1/chat/completions":
            self._send(handler, 404, {"error": {"message": f"no route {handler.path}"}})
            return
        try:
            body = json.loads(raw)
            user = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
        except (ValueError, KeyError, StopIteration, TypeError):
            self._send(handler, 400, {"error": {"message": "bad request body"}})
            return
        if self.api_key is not None and authorization != f"Bearer {self.api_key}":
            action = Action("status", status=401)
        else:
            action = self._next_action(user)
        with self._lock:
            logged = LoggedRequest(time.monotonic(), user, action.kind, authorization, body)
            self.requests.append(logged)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            self._respond(handler, action, body, user, authorization)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _respond(self, handler: BaseHTTPRequestHandler, action: Action, body: dict[str, Any],
                 user: str, authorization: str | None) -> None:
        kind = action.kind
        if kind == "disconnect":
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if kind == "status":
            self._send(handler, action.status, {"error": {"message": f"injected {action.status}"}},
                       action.headers)
            return
        if kind == "echo_auth":
            message = f"internal error while handling Authorization: {authorization}"
            self._send(handler, action.status, {"error": {"message": message}})
            return
        if kind == "not_json":
            self._send_raw(handler, 200, b"<html><body>502 Bad Gateway</body></html>", "text/html")
            return
        if kind == "no_choices":
            self._send(handler, 200, {"id": "x", "object": "chat.completion", "choices": []})
            return
        time.sleep(action.seconds if kind == "stall" else self.delay_s)
        number = next(self._counter)
        content = f"Reply {number} to: {user[:60]}" + (" bad \ud800 text" if kind == "surrogate" else "")
        if kind in ("empty", "thinking_cut_off"):
            content = "" if kind == "empty" else "<think>First, consider what the user wants and"
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if kind == "reasoning":
            message["reasoning_content"] = "Let me think about this step by step..."
        self._send(handler, 200, {
            "id": f"chatcmpl-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": f"{body.get('model')}-served",
            "choices": [{"index": 0, "message": message, "finish_reason": "length" if kind == "thinking_cut_off" else "stop"}],
            "usage": {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12},
        })

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, obj: Any,
              headers: dict[str, str] | None = None) -> None:
        OpenAITestServer._send_raw(handler, status, json.dumps(obj).encode(), "application/json",
                                   headers)

    @staticmethod
    def _send_raw(handler: BaseHTTPRequestHandler, status: int, data: bytes, content_type: str,
                  headers: dict[str, str] | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)
        handler.wfile.flush()
