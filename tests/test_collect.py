"""``stylesim collect`` against a real HTTP server on 127.0.0.1 (tests/openai_test_server.py).

Timeouts and backoff are set small so the whole file runs in seconds; timing assertions only
check lower bounds (a retry waited at least as long as the server asked), never tight upper ones.
"""

from __future__ import annotations

import email.utils
import fcntl
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import ENTRY_MAIN
from openai_test_server import (  # tests/ is on sys.path under pytest
    OpenAITestServer,
    disconnect,
    echo_auth,
    empty,
    no_choices,
    not_json,
    rate_limited,
    reasoning,
    server_error,
    stall,
    surrogate,
    thinking_cut_off,
)
from typer.testing import CliRunner

import stylesim.cli.collect_cmd  # noqa: F401 - registers ``stylesim collect``
from stylesim.cli.app import app
from stylesim.collect import backoff_delay, parse_retry_after, public_endpoint
from stylesim.prompts import load_prompt_set

FIXTURES = Path(__file__).parent / "fixtures" / "prompts"
TINY = FIXTURES / "tiny-v1.jsonl"
KEY = "sk-stylesim-test-" + secrets.token_hex(12)
KEY_ENV = "STYLESIM_TEST_API_KEY"
# A shell that starts a job in the background (CI runners may) makes it ignore SIGINT, and Python
# then never raises KeyboardInterrupt: restore the default handler so the test sends a real Ctrl-C.
SUBPROCESS_MAIN = (
    "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "import stylesim.cli.collect_cmd; from stylesim.cli.app import app; app(prog_name='stylesim')"
)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, KEY)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def server() -> OpenAITestServer:
    with OpenAITestServer(api_key=KEY) as running:
        yield running


def collect_args(
    server: OpenAITestServer, out: Path, *extra: str, prompts: Path = TINY
) -> list[str]:
    return [
        "collect", "--prompts", str(prompts), "--model", "test-model",
        "--base-url", server.base_url,
        "--api-key-env", KEY_ENV, "--out", str(out), "--timeout", "2", "--backoff-base", "0.05",
        "--backoff-max", "0.2", "--retry-after-cap", "5", *extra,
    ]


def invoke(args: list[str]):
    return runner.invoke(app, args)


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def pair_counts(path: Path) -> Counter:
    return Counter((r["prompt_id"], r["sample"]) for r in read_records(path))


def assert_exactly_once(path: Path, prompt_ids: list[str], samples: int) -> None:
    counts = pair_counts(path)
    expected = {(pid, s) for pid in prompt_ids for s in range(samples)}
    assert set(counts) == expected
    assert set(counts.values()) == {1}, [k for k, n in counts.items() if n > 1]


def assert_key_nowhere(root: Path, *texts: str) -> None:
    """The API key is in no file under ``root`` and in none of ``texts``."""
    for path in root.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), f"API key written to {path}"
    for text in texts:
        assert KEY not in text


TINY_IDS = [p.id for p in load_prompt_set(TINY).prompts]


# -- the happy path, resumption and record contents --

def test_collect_writes_full_records_once(server: OpenAITestServer, tmp_path: Path) -> None:
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--samples", "2", "--concurrency", "3"))
    assert result.exit_code == 0, result.output
    assert "12 new outputs" in result.stdout
    assert_exactly_once(out, TINY_IDS, 2)
    records = read_records(out)
    tiny = load_prompt_set(TINY)
    for record in records:
        assert record["model"] == "test-model"
        assert record["response"].startswith("Reply ")
        assert record["response_model"] == "test-model-served"
        assert record["prompt"] == tiny.get(record["prompt_id"]).prompt
        assert record["prompt_set"] == {"name": "tiny", "version": "1", "sha256": tiny.sha256}
        assert record["endpoint"] == server.base_url
        assert (record["temperature"], record["max_tokens"]) == (1.0, 1024)
        assert record["finish_reason"] == "stop" and record["usage"]["completion_tokens"] == 5
        assert isinstance(record["latency_s"], float) and record["attempts"] == 1
        assert record["created"].endswith("Z") and record["reasoning_dropped"] is False
        assert record["system"] == ("You are terse." if record["prompt_id"] == "t-006" else None)
    sent = server.requests_for("foxtrot")[0].body
    assert sent["messages"][0] == {"role": "system", "content": "You are terse."}
    assert {r.authorization for r in server.requests} == {f"Bearer {KEY}"}
    assert_key_nowhere(tmp_path, result.output)

    before = len(server.requests)
    again = invoke(collect_args(server, out, "--samples", "2"))
    assert again.exit_code == 0, again.output
    assert "0 new outputs" in again.stdout and "12 were there already" in again.stdout
    assert len(server.requests) == before


def test_limit_then_more_samples_then_everything(server: OpenAITestServer, tmp_path: Path) -> None:
    out = tmp_path / "outputs.jsonl"
    assert invoke(collect_args(server, out, "--limit", "2")).exit_code == 0
    assert pair_counts(out) == Counter({("t-001", 0): 1, ("t-002", 0): 1})
    assert invoke(collect_args(server, out, "--limit", "2", "--samples", "2")).exit_code == 0
    assert_exactly_once(out, ["t-001", "t-002"], 2)
    assert invoke(collect_args(server, out, "--samples", "2")).exit_code == 0
    assert_exactly_once(out, TINY_IDS, 2)
    assert len(server.requests) == 12


def test_system_option_and_reasoning_content(server: OpenAITestServer, tmp_path: Path) -> None:
    server.script("alpha", reasoning())
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--system", "Answer kindly.", "--temperature", "0"))
    assert result.exit_code == 0, result.output
    by_id = {r["prompt_id"]: r for r in read_records(out)}
    assert by_id["t-001"]["reasoning_dropped"] is True
    assert "think" not in by_id["t-001"]["response"]
    assert by_id["t-002"]["reasoning_dropped"] is False
    assert by_id["t-002"]["system"] == "Answer kindly."
    assert by_id["t-006"]["system"] == "You are terse."  # a prompt's own system prompt wins
    assert server.requests_for("bravo")[0].body["temperature"] == 0.0


# -- retries --

def test_transient_faults_are_retried(server: OpenAITestServer, tmp_path: Path) -> None:
    server.script("alpha", server_error(500), server_error(503))
    server.script("bravo", not_json(), no_choices())
    server.script("charlie", stall(1.5))
    server.script("delta", disconnect())
    server.script("echo", rate_limited(retry_after=None))
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--timeout", "0.5", "--concurrency", "6"))
    assert result.exit_code == 0, result.output
    assert_exactly_once(out, TINY_IDS, 1)
    attempts = {r["prompt_id"]: r["attempts"] for r in read_records(out)}
    assert attempts == {"t-001": 3, "t-002": 3, "t-003": 2, "t-004": 2, "t-005": 2, "t-006": 1}


def test_retry_after_seconds_is_honoured(server: OpenAITestServer, tmp_path: Path) -> None:
    server.script("alpha", rate_limited(retry_after="1"))
    out = tmp_path / "outputs.jsonl"
    assert invoke(collect_args(server, out, "--limit", "1")).exit_code == 0
    first, second = server.requests_for("alpha")
    assert second.at - first.at >= 0.95


def test_retry_after_http_date_and_cap(server: OpenAITestServer, tmp_path: Path) -> None:
    when = email.utils.formatdate(time.time() + 2, usegmt=True)  # whole seconds: 1-2 s ahead
    server.script("alpha", rate_limited(retry_after=when))
    server.script("bravo", rate_limited(retry_after="30"))
    out = tmp_path / "outputs.jsonl"
    assert invoke(collect_args(server, out, "--limit", "1")).exit_code == 0
    first, second = server.requests_for("alpha")
    assert second.at - first.at >= 0.9
    started = time.monotonic()
    result = invoke(collect_args(server, out, "--limit", "2", "--retry-after-cap", "0.4"))
    assert result.exit_code == 0, result.output
    first, second = server.requests_for("bravo")
    assert second.at - first.at >= 0.35  # the cap, not the server's 30 s
    assert time.monotonic() - started < 20  # loosely


def test_parse_retry_after() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-4") == 0.0
    assert parse_retry_after(email.utils.formatdate(now + 7, usegmt=True), now=now) == 7.0
    assert parse_retry_after(email.utils.formatdate(now - 7, usegmt=True), now=now) == 0.0
    for value in (None, "", "soon", "nan", "inf"):
        assert parse_retry_after(value) is None


def test_backoff_is_full_jitter() -> None:
    delays = [backoff_delay(4, 0.5, 3.0) for _ in range(500)]
    assert all(0.0 <= d <= 3.0 for d in delays)  # min(cap, 0.5 * 2**3) = 3.0
    assert max(delays) > 2.0 and min(delays) < 1.0
    assert all(0.0 <= backoff_delay(1, 0.5, 3.0) <= 0.5 for _ in range(100))


def test_failed_pair_is_reported_then_retried(server: OpenAITestServer, tmp_path: Path) -> None:
    server.script("charlie", server_error(502), server_error(502))
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--max-attempts", "2"))
    assert result.exit_code == 1
    assert "t-003 sample 0: HTTP 502" in result.stderr
    assert "Error: 1 of 6 pairs failed" in result.stderr
    assert set(pair_counts(out)) == {(pid, 0) for pid in TINY_IDS if pid != "t-003"}
    again = invoke(collect_args(server, out, "--max-attempts", "2"))
    assert again.exit_code == 0, again.output
    assert "1 new outputs" in again.stdout
    assert_exactly_once(out, TINY_IDS, 1)


def test_non_retryable_status_fails_the_pair_only(server: OpenAITestServer, tmp_path: Path) -> None:
    server.script("delta", server_error(400))
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out))
    assert result.exit_code == 1
    assert "t-004 sample 0: HTTP 400" in result.stderr
    assert len(server.requests_for("delta")) == 1
    assert len(read_records(out)) == 5


# -- the API key --

def test_key_is_scrubbed_from_errors_and_logs(
    server: OpenAITestServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server.script("alpha", echo_auth(500), echo_auth(500))
    caplog.set_level("INFO")
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--max-attempts", "2", "--verbose"))
    assert result.exit_code == 1
    assert "Authorization: Bearer ***" in result.stderr
    assert "Authorization: Bearer ***" in caplog.text
    assert_key_nowhere(tmp_path, result.output, caplog.text)


@pytest.mark.parametrize("suffix", ["\n", "\r", " ", "\t"])
def test_a_key_with_whitespace_is_refused_before_any_request(
    server: OpenAITestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setenv(KEY_ENV, KEY + suffix)
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out))
    assert result.exit_code == 1 and "whitespace or control characters" in result.stderr
    assert KEY not in result.output
    assert server.requests_for("") == []  # refused before any request
    assert not out.exists() or out.read_bytes() == b""


def test_secret_forms_cover_escaped_and_stripped_keys() -> None:
    from stylesim.collect_http import _scrub, secret_forms

    forms = secret_forms(["sk-abc123\n"])
    text = "header 'Bearer sk-abc123\\n' and sk-abc123 and sk-abc123%0A"
    assert "sk-abc123" not in _scrub(text, forms)


def test_unauthorised_or_missing_endpoint_stops_the_run(
    server: OpenAITestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "outputs.jsonl"
    monkeypatch.delenv(KEY_ENV)
    result = invoke(collect_args(server, out))
    assert result.exit_code == 1
    expected = f"Error: {server.base_url} answered HTTP 401 ({KEY_ENV} is not set)"
    assert result.stderr.startswith(expected)
    monkeypatch.setenv(KEY_ENV, KEY)
    args = collect_args(server, out)
    args[args.index("--base-url") + 1] = server.base_url.replace("/v1", "/nope")
    result = invoke(args)
    assert result.exit_code == 1 and "answered HTTP 404" in result.stderr
    assert not out.exists()  # a run that wrote nothing leaves no empty file behind
    out.write_bytes(b"")  # a file that was there before stays
    assert invoke(args).exit_code == 1 and out.read_bytes() == b""


def test_a_run_where_every_pair_fails_leaves_no_empty_file(server: OpenAITestServer, tmp_path: Path) -> None:
    server.script("alpha", server_error(400))
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--limit", "1"))
    assert result.exit_code == 1 and "Error: 1 of 1 pairs failed" in result.stderr
    assert not out.exists()


def test_a_lone_surrogate_in_a_reply_is_saved_as_a_replacement_character(server: OpenAITestServer,
                                                                         tmp_path: Path) -> None:
    server.script("alpha", surrogate())
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--limit", "1"))
    assert result.exit_code == 0, result.output
    (record,) = read_records(out)  # valid UTF-8 and JSON
    assert record["response"].endswith(" bad \ufffd text")


def test_an_output_folder_that_does_not_exist_is_refused(server: OpenAITestServer, tmp_path: Path) -> None:
    out = tmp_path / "typo" / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--limit", "1"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {out}: the folder to write into does not exist"
    assert not out.parent.exists() and not server.requests_for("")


def test_an_output_that_is_a_folder_is_refused(server: OpenAITestServer, tmp_path: Path) -> None:
    result = invoke(collect_args(server, tmp_path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path}: is a directory; give a file name to write"


def test_public_endpoint_drops_credentials() -> None:
    url = "https://user:pa55@api.example.com:8443/v1/chat/completions/?key=abc#frag"
    assert public_endpoint(url) == "https://api.example.com:8443/v1"
    assert public_endpoint("http://127.0.0.1:8080/v1/") == "http://127.0.0.1:8080/v1"


# -- the output file --

def test_parameter_mismatch_is_refused(server: OpenAITestServer, tmp_path: Path) -> None:
    out = tmp_path / "outputs.jsonl"
    assert invoke(collect_args(server, out, "--limit", "1", "--temperature", "0.5")).exit_code == 0
    before = out.read_bytes()
    cases = [
        (["--temperature", "0.7"],
         "was collected with temperature=0.5, this run asks for temperature=0.7"),
        (["--temperature", "0.5", "--max-tokens", "10"], "max_tokens=1024"),
        (["--temperature", "0.5", "--system", "Be brief."], "another system prompt"),
    ]
    for extra, message in cases:
        result = invoke(collect_args(server, out, *extra))
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"Error: {out}:1: ") and message in result.stderr
    args = collect_args(server, out, "--temperature", "0.5")
    args[args.index("--model") + 1] = "other-model"
    assert "model='test-model'" in invoke(args).stderr
    other_set = FIXTURES / "int-ids.jsonl"
    result = invoke(collect_args(server, out, "--temperature", "0.5", prompts=other_set))
    assert result.exit_code == 1 and "was collected with prompt set 'tiny'" in result.stderr
    assert out.read_bytes() == before


def test_torn_last_line_is_cut_and_resumed(server: OpenAITestServer, tmp_path: Path) -> None:
    out = tmp_path / "outputs.jsonl"
    assert invoke(collect_args(server, out, "--limit", "2")).exit_code == 0
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(lines[0] + lines[1][: len(lines[1]) // 2])  # killed mid-write
    assert invoke(collect_args(server, out, "--limit", "3")).exit_code == 0
    assert_exactly_once(out, TINY_IDS[:3], 1)
    out.write_bytes(out.read_bytes().rstrip(b"\n"))  # a complete last record, newline lost
    assert invoke(collect_args(server, out, "--limit", "4")).exit_code == 0
    assert_exactly_once(out, TINY_IDS[:4], 1)
    # Torn within its first bytes, before '{"prompt_id"' is whole: still this run's own record
    # after records of its own (a mutation audit found no test of that case).
    out.write_bytes(out.read_bytes() + b'{"prom')
    assert invoke(collect_args(server, out, "--limit", "5")).exit_code == 0
    assert_exactly_once(out, TINY_IDS[:5], 1)


def test_foreign_or_corrupt_file_is_refused(server: OpenAITestServer, tmp_path: Path) -> None:
    out = tmp_path / "outputs.jsonl"
    out.write_text('not json\n{"prompt_id": "t-001", "response": "x"}\n', encoding="utf-8")
    result = invoke(collect_args(server, out))
    assert result.exit_code == 1 and f"Error: {out}:1: not a stylesim JSONL line" in result.stderr
    out.write_text('{"prompt_id": "t-001", "response": "x"}\n', encoding="utf-8")
    result = invoke(collect_args(server, out))
    assert result.exit_code == 1 and "no prompt_set" in result.stderr


@pytest.mark.parametrize("content", [b'{"note": "my results"', b"a text note, no newline", b"[1, 2, 3]"])
def test_a_file_that_is_not_a_collect_output_is_never_truncated(server: OpenAITestServer, tmp_path: Path,
                                                                 content: bytes) -> None:
    out = tmp_path / "outputs.jsonl"
    out.write_bytes(content)
    result = invoke(collect_args(server, out))
    assert result.exit_code == 1 and "is not a stylesim collect output" in result.stderr
    assert out.read_bytes() == content


def test_second_writer_is_refused(server: OpenAITestServer, tmp_path: Path) -> None:
    out = tmp_path / "outputs.jsonl"
    with open(out, "ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        result = invoke(collect_args(server, out))
    assert result.exit_code == 1 and "being written by another stylesim collect" in result.stderr


def test_concurrent_requests_write_each_pair_once(server: OpenAITestServer, tmp_path: Path) -> None:
    server.delay_s = 0.05
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--samples", "3", "--concurrency", "5"))
    assert result.exit_code == 0, result.output
    assert_exactly_once(out, TINY_IDS, 3)
    assert server.max_in_flight > 1


# -- options --

@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--samples", "0"], "--samples must be at least 1 (got 0)"),
        (["--concurrency", "0"], "--concurrency must be at least 1 (got 0)"),
        (["--temperature", "2.5"], "--temperature must be between 0 and 2 (got 2.5)"),
        (["--temperature", "-0.1"], "--temperature must be between 0 and 2"),
        (["--max-tokens", "0"], "--max-tokens must be at least 1"),
        (["--limit", "0"], "--limit must be at least 1"),
        (["--max-attempts", "0"], "--max-attempts must be at least 1"),
        (["--timeout", "0"], "--timeout must be a positive number of seconds"),
        (["--timeout", "inf"], "--timeout must be a positive number of seconds"),  # accepted up to 0.3.13
        (["--backoff-max", "inf"], "backoff and Retry-After caps must be numbers of seconds"),
        (["--retry-after-cap", "-1"], "backoff and Retry-After caps must be numbers of seconds"),
    ],
)
def test_option_validation(
    server: OpenAITestServer, tmp_path: Path, extra: list[str], message: str
) -> None:
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, *extra))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1
    assert not out.exists() and not server.requests


def test_bad_base_url_and_prompts(tmp_path: Path) -> None:
    out = tmp_path / "outputs.jsonl"
    base = ["collect", "--model", "m", "--out", str(out)]
    result = invoke([*base, "--prompts", str(TINY), "--base-url", "ftp://example.com"])
    assert result.exit_code == 1
    assert "--base-url must be an http:// or https:// URL" in result.stderr
    bad = FIXTURES / "duplicate-id.jsonl"
    result = invoke([*base, "--prompts", str(bad), "--base-url", "http://127.0.0.1:9/v1"])
    assert result.exit_code == 1 and f"Error: {bad}:3: duplicate id" in result.stderr


# -- interruption: a real process, killed --

@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_interrupted_run_resumes_exactly_once(
    server: OpenAITestServer, tmp_path: Path, sig: signal.Signals
) -> None:
    # Slow enough that the run cannot finish between the 4th record and the signal, even on a
    # loaded machine (24 requests, 2 at a time).
    server.delay_s = 0.5
    out = tmp_path / "outputs.jsonl"
    logs = tmp_path / "logs"
    logs.mkdir()
    args = collect_args(server, out, "--samples", "4", "--concurrency", "2", "--verbose")
    env = {**os.environ, KEY_ENV: KEY}
    with open(logs / "stdout.log", "wb") as stdout, open(logs / "stderr.log", "wb") as stderr:
        # SIGTERM is turned into an interrupt by the console script's main(), which app() skips.
        main = ENTRY_MAIN if sig == signal.SIGTERM else SUBPROCESS_MAIN
        process = subprocess.Popen(
            [sys.executable, "-c", main, *args], stdout=stdout, stderr=stderr, env=env
        )
        try:
            deadline = time.monotonic() + 30
            while not (out.exists() and out.read_bytes().count(b"\n") >= 4):
                assert process.poll() is None, (logs / "stderr.log").read_text()
                assert time.monotonic() < deadline, "no records written in time"
                time.sleep(0.02)
            process.send_signal(sig)
            code = process.wait(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
    if sig == signal.SIGINT:
        assert code == 130
        assert "Interrupted." in (logs / "stderr.log").read_text()
    elif sig == signal.SIGTERM:
        assert code == 143
        assert "Terminated." in (logs / "stderr.log").read_text()
    else:
        assert code == -signal.SIGKILL
    kept = set(pair_counts(out)) if out.read_bytes().endswith(b"\n") else None
    assert kept is None or 4 <= len(kept) < 24
    requests_before = len(server.requests)

    result = invoke(collect_args(server, out, "--samples", "4", "--concurrency", "2"))
    assert result.exit_code == 0, result.output
    assert_exactly_once(out, TINY_IDS, 4)
    if kept is not None:  # nothing already written was asked for again
        assert len(server.requests) - requests_before == 24 - len(kept)
    assert_key_nowhere(tmp_path, result.output)


def test_a_silent_server_stops_the_run_quickly(tmp_path: Path) -> None:
    """A server that accepts connections and never answers: two timeouts, then one clear line
    (not six attempts per prompt at the full timeout)."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        out = tmp_path / "outputs.jsonl"
        started = time.monotonic()
        result = invoke(["collect", "--prompts", str(TINY), "--model", "m", "--base-url",
                         f"http://127.0.0.1:{port}/v1", "--api-key-env", KEY_ENV, "--timeout", "0.3",
                         "--out", str(out)])
        assert result.exit_code == 1
        assert "accepted the connection but sent nothing within 0.3s, 2 times" in result.stderr
        assert time.monotonic() - started < 20
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in held:
            connection.close()
        listener.close()


def test_a_finish_reason_that_is_not_text_is_saved_as_null() -> None:
    """What collect writes must load: the loader accepts only a string finish_reason."""
    from stylesim.collect_http import _parse_completion

    body = {"choices": [{"message": {"content": "Hi."}, "finish_reason": 7}]}
    assert _parse_completion(body)[1]["finish_reason"] is None
    body["choices"][0]["finish_reason"] = "length"
    assert _parse_completion(body)[1]["finish_reason"] == "length"


def test_an_empty_answer_is_retried_not_stored_as_done(server: OpenAITestServer, tmp_path: Path) -> None:
    """An empty text would be written as a finished pair, skipped on resume and dropped by every
    analysis: it is retried like a missing text, and fails the pair when it persists. A reply cut
    off inside its reasoning (finish_reason "length") fails at once: the same budget would run out
    again."""
    server.script("alpha", empty())
    server.script("bravo", empty(), empty(), empty(), empty(), empty(), empty())
    server.script("charlie", thinking_cut_off())
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--limit", "3"))
    assert result.exit_code == 1
    assert "2 of 3 pairs failed" in result.stderr
    assert 'empty answer (finish_reason "stop") (gave up after 6 attempts)' in result.stderr
    assert "spent its whole token budget before answering" in result.stderr and "raise --max-tokens" in result.stderr
    assert len(server.requests_for("charlie")) == 1
    (record,) = read_records(out)
    assert record["response"].startswith("Reply ") and record["attempts"] == 2


def test_a_run_that_wrote_nothing_does_not_claim_a_file(server: OpenAITestServer, tmp_path: Path) -> None:
    server.script("alpha", server_error(400))
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--limit", "1"))
    assert f"no outputs written ({out} was not created)" in result.output
    assert "0 new outputs written" not in result.output


def test_a_full_disk_under_out_is_one_line_naming_the_file(
    server: OpenAITestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write through the open --out handle raises without a file name; up to 0.3.15 the CLI then
    blamed "standard output (or a cache file)"."""
    import errno

    import stylesim.collect

    def full(handle) -> None:  # noqa: ANN001
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(stylesim.collect, "sync", full)
    out = tmp_path / "outputs.jsonl"
    result = invoke(collect_args(server, out, "--limit", "1"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {out}: No space left on device"
