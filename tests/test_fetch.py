"""``stylesim fetch``: copying from a local copy, downloading from a local HTTP test server
(full, resumed, range ignored, corrupt, retried), and the CLI."""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from stylesim.errors import ConfigurationError
from stylesim.fetch import ChecksumError, FetchError, FetchProgress, fetch
from stylesim.panel_inputs import resolve_panel
from stylesim.registry import REGISTRY_ENV, SampleSet, load_registry, local_dir

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "registry"
SET = "tiny-outputs"
ALPHA = "results/alpha/outputs.json"


def fixture_registry(tmp_path: Path, server: str = "http://127.0.0.1:9") -> Path:
    """The fixture registry with its ``{server}`` placeholder filled in, as a file."""
    text = (FIXTURES / "registry.json").read_text(encoding="utf-8").replace("{server}", server)
    path = tmp_path / "fixture-registry.json"
    path.write_text(text, encoding="utf-8")
    return path


# --- a local HTTP server with scripted misbehaviour -------------------------------------------


class Server:
    """Serves FIXTURES/tiny-outputs. ``plan[path]`` is a list of behaviours used one per
    request (then ``ok``): ``ok`` (honours Range), ``partial`` (announces the whole body, sends
    half, closes), ``ignore-range`` (always 200 with the whole body), ``corrupt`` (same length,
    wrong bytes), ``500`` and ``404``. ``requests`` records (path, Range header)."""

    def __init__(self) -> None:
        self.plan: dict[str, list[str]] = {}
        self.requests: list[tuple[str, str | None]] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

            def do_GET(self) -> None:
                path = self.path.lstrip("/")
                owner.requests.append((path, self.headers.get("Range")))
                steps = owner.plan.get(path) or []
                step = steps.pop(0) if steps else "ok"
                source = FIXTURES / SET / path
                if step == "404" or not source.is_file():
                    self.send_error(404)
                    return
                if step == "500":
                    self.send_error(500)
                    return
                body = source.read_bytes()
                if step == "corrupt":
                    body = body[:-2] + b"!!"
                start = 0
                match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
                if match and step != "ignore-range":
                    start = int(match.group(1))
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                chunk = body[start:]
                self.send_header("Content-Length", str(len(chunk)))
                self.end_headers()
                if step == "partial":
                    self.wfile.write(chunk[: len(chunk) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(chunk)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def ranges(self, path: str) -> list[str | None]:
        return [rng for p, rng in self.requests if p == path]


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=10) as c:
        yield c


@pytest.fixture
def served(tmp_path: Path, server: Server) -> dict[str, SampleSet]:
    return load_registry(fixture_registry(tmp_path, server.url))


@pytest.fixture
def tiny(tmp_path: Path) -> dict[str, SampleSet]:
    return load_registry(fixture_registry(tmp_path))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_sha(registry: dict[str, SampleSet], path: str) -> str:
    return next(f.sha256 for f in registry[SET].selected_files() if f.path == path)


# --- --from a local copy ----------------------------------------------------------------------


@pytest.mark.parametrize("source", [FIXTURES, FIXTURES / SET], ids=["parent", "folder"])
def test_fetch_from_local_copy_is_verified_and_idempotent(tiny: dict[str, SampleSet], source: Path) -> None:
    events: list[FetchProgress] = []
    result = fetch(SET, source_dir=source, registry=tiny, progress=events.append)
    root = local_dir(SET)
    assert result.directory == root
    assert len(result.fetched) == 5 and not result.cached and not result.unavailable
    for entry in tiny[SET].selected_files():
        assert sha(root / entry.path) == entry.sha256
    assert not list(root.rglob("*.part"))
    assert {e.status for e in events} >= {"start", "data", "done"}
    again = fetch(SET, source_dir=source, registry=tiny)
    assert not again.fetched and len(again.cached) == 5


def test_fetch_from_replaces_a_corrupt_cached_file(tiny: dict[str, SampleSet]) -> None:
    fetch(SET, models=["alpha"], source_dir=FIXTURES, registry=tiny)
    target = local_dir(SET) / ALPHA
    target.write_bytes(b"tampered")
    result = fetch(SET, models=["alpha"], source_dir=FIXTURES, registry=tiny)
    assert target in result.fetched and sha(target) == expected_sha(tiny, ALPHA)


def test_fetch_from_missing_files_is_a_clear_error(tiny: dict[str, SampleSet], tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"5 file\(s\) of tiny-outputs are not in"):
        fetch(SET, source_dir=tmp_path, registry=tiny)
    with pytest.raises(ConfigurationError, match="not a folder"):
        fetch(SET, source_dir=tmp_path / "nowhere", registry=tiny)
    assert not local_dir(SET).exists()


def test_fetch_from_detects_a_bad_local_copy(tiny: dict[str, SampleSet], tmp_path: Path) -> None:
    bad = tmp_path / SET / ALPHA
    bad.parent.mkdir(parents=True)
    bad.write_bytes((FIXTURES / SET / ALPHA).read_bytes().replace(b"alpha", b"omega"))
    (tmp_path / SET / "prompts.json").write_bytes((FIXTURES / SET / "prompts.json").read_bytes())
    # "the copy", not "the partial download": nothing was downloaded (an audit, 0.3.13).
    with pytest.raises(ChecksumError, match=f"{ALPHA} from .* does not match the registry .*; the copy .* was deleted"):
        fetch(SET, models=["alpha"], source_dir=tmp_path, registry=tiny)
    assert not (local_dir(SET) / ALPHA).exists()
    assert not list(local_dir(SET).rglob("*.part"))


def test_fetch_from_refuses_links_leaving_the_folder(tiny: dict[str, SampleSet], tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_bytes((FIXTURES / SET / ALPHA).read_bytes())
    copy = tmp_path / "copy" / SET
    (copy / ALPHA).parent.mkdir(parents=True)
    (copy / ALPHA).symlink_to(outside)
    with pytest.raises(FetchError, match="a link to a file outside"):
        fetch(SET, models=["alpha"], source_dir=tmp_path / "copy", registry=tiny)


def test_fetch_from_checks_the_size_before_copying(tiny: dict[str, SampleSet], tmp_path: Path) -> None:
    big = tmp_path / SET / ALPHA
    big.parent.mkdir(parents=True)
    big.write_bytes(b"x" * 100_000)
    (tmp_path / SET / "prompts.json").write_bytes((FIXTURES / SET / "prompts.json").read_bytes())
    with pytest.raises(ChecksumError, match="size 100000 bytes.*nothing was copied"):
        fetch(SET, models=["alpha"], source_dir=tmp_path, registry=tiny)
    assert not (local_dir(SET) / (ALPHA + ".part")).exists()


def test_a_planted_part_link_is_not_written_through(served: dict[str, SampleSet], client: httpx.Client,
                                                    tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    part = local_dir(SET) / (ALPHA + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    part.symlink_to(victim)
    fetch(SET, models=["alpha"], registry=served, client=client, backoff=0)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert sha(local_dir(SET) / ALPHA) == expected_sha(served, ALPHA)


@pytest.mark.corpora
def test_fetch_from_shared_corpora(monkeypatch: pytest.MonkeyPatch) -> None:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    models = ["gpt-4-0314", "claude-2.1"]
    first = fetch("arena-bench-v1", models=models, source_dir=CORPORA)
    assert len(first.fetched) == 4  # two answer files, question.jsonl, LICENSE
    again = fetch("arena-bench-v1", models=models, source_dir=CORPORA / "arena-bench-v1")
    assert not again.fetched and len(again.cached) == 4
    panel = resolve_panel(["arena-bench-v1:gpt-4-0314"])
    assert panel == [local_dir("arena-bench-v1") / "data/arena-bench-v1/model_answer/gpt-4-0314.jsonl"]
    from stylesim.corpus import load_corpus

    assert load_corpus(panel[0]).format == "fastchat"


@pytest.mark.corpora
def test_fetch_from_shared_corpora_installs_the_reassembled_page(monkeypatch: pytest.MonkeyPatch) -> None:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    model = "mistralai__Mistral-Small-3.2-24B-Instruct-2506"
    result = fetch("eqbench-creative-writing-v3", models=[model], source_dir=CORPORA)
    assert [p.name for p in result.fetched][0] == f"{model}.html" and not result.unavailable


# --- over HTTP --------------------------------------------------------------------------------


def test_download_full(served: dict[str, SampleSet], server: Server, client: httpx.Client) -> None:
    result = fetch(SET, registry=served, client=client, backoff=0)
    root = local_dir(SET)
    assert len(result.fetched) == 4  # delta has no URL
    assert [f.model for f in result.unavailable] == ["delta"]
    for entry in served[SET].selected_files(["alpha", "beta", "gamma"]):
        assert sha(root / entry.path) == entry.sha256
    assert not list(root.rglob("*.part"))
    assert all(rng is None for _, rng in server.requests)
    again = fetch(SET, registry=served, client=client)
    assert not again.fetched and len(again.cached) == 4 and len(server.requests) == 4


def test_download_with_default_client(served: dict[str, SampleSet], monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    result = fetch(SET, models=["beta"], registry=served)
    assert len(result.fetched) == 2


def test_interrupted_download_resumes_with_range(
    served: dict[str, SampleSet], server: Server, client: httpx.Client
) -> None:
    server.plan[ALPHA] = ["partial"]
    with pytest.raises(FetchError, match="run it again to resume"):
        fetch(SET, models=["alpha"], registry=served, client=client, retries=0)
    part = local_dir(SET) / (ALPHA + ".part")
    size = (FIXTURES / SET / ALPHA).stat().st_size
    half = size // 2
    assert part.stat().st_size == half
    assert not (local_dir(SET) / ALPHA).exists()
    result = fetch(SET, models=["alpha"], registry=served, client=client, retries=0)
    assert server.ranges(ALPHA) == [None, f"bytes={half}-"]
    assert sha(local_dir(SET) / ALPHA) == expected_sha(served, ALPHA)
    assert not part.exists() and len(result.fetched) == 2


def test_interruption_is_retried_and_resumed_in_one_run(
    served: dict[str, SampleSet], server: Server, client: httpx.Client
) -> None:
    server.plan[ALPHA] = ["partial"]
    fetch(SET, models=["alpha"], registry=served, client=client, backoff=0)
    half = (FIXTURES / SET / ALPHA).stat().st_size // 2
    assert server.ranges(ALPHA) == [None, f"bytes={half}-"]
    assert sha(local_dir(SET) / ALPHA) == expected_sha(served, ALPHA)


def test_server_ignoring_range_restarts(
    served: dict[str, SampleSet], server: Server, client: httpx.Client
) -> None:
    server.plan[ALPHA] = ["partial", "ignore-range"]
    with pytest.raises(FetchError):
        fetch(SET, models=["alpha"], registry=served, client=client, retries=0)
    fetch(SET, models=["alpha"], registry=served, client=client, retries=0)
    half = (FIXTURES / SET / ALPHA).stat().st_size // 2
    assert server.ranges(ALPHA) == [None, f"bytes={half}-"]
    assert sha(local_dir(SET) / ALPHA) == expected_sha(served, ALPHA)


def test_stale_partial_file_is_downloaded_again(
    served: dict[str, SampleSet], server: Server, client: httpx.Client
) -> None:
    part = local_dir(SET) / (ALPHA + ".part")
    part.parent.mkdir(parents=True)
    part.write_bytes(b"x" * 100)
    fetch(SET, models=["alpha"], registry=served, client=client)
    assert server.ranges(ALPHA) == ["bytes=100-", None]
    assert sha(local_dir(SET) / ALPHA) == expected_sha(served, ALPHA)


def test_checksum_mismatch_leaves_no_bad_file(
    served: dict[str, SampleSet], server: Server, client: httpx.Client
) -> None:
    server.plan[ALPHA] = ["corrupt"]
    with pytest.raises(ChecksumError) as info:
        fetch(SET, models=["alpha"], registry=served, client=client)
    message = str(info.value)
    assert ALPHA in message and "does not match the registry" in message and "the partial download" in message
    root = local_dir(SET)
    assert not (root / ALPHA).exists() and not list(root.rglob("*.part"))


def test_server_error_is_retried(served: dict[str, SampleSet], server: Server, client: httpx.Client) -> None:
    server.plan[ALPHA] = ["500"]
    fetch(SET, models=["alpha"], registry=served, client=client, backoff=0)
    assert server.ranges(ALPHA) == [None, None]
    assert sha(local_dir(SET) / ALPHA) == expected_sha(served, ALPHA)


def test_persistent_server_error_gives_up(served: dict[str, SampleSet], server: Server, client: httpx.Client) -> None:
    server.plan[ALPHA] = ["500"] * 10
    with pytest.raises(FetchError, match="HTTP 500"):
        fetch(SET, models=["alpha"], registry=served, client=client, retries=2, backoff=0)
    assert len(server.ranges(ALPHA)) == 3


def test_not_found_is_not_retried(served: dict[str, SampleSet], server: Server, client: httpx.Client) -> None:
    server.plan[ALPHA] = ["404"]
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(SET, models=["alpha"], registry=served, client=client, backoff=0)
    assert len(server.ranges(ALPHA)) == 1


def test_connection_refused_is_a_clear_error(tiny: dict[str, SampleSet], client: httpx.Client) -> None:
    with pytest.raises(FetchError, match=f"cannot download {ALPHA}"):
        fetch(SET, models=["alpha"], registry=tiny, client=client, retries=1, backoff=0)


# --- the CLI ----------------------------------------------------------------------------------


@pytest.fixture
def app():  # noqa: ANN201
    """The CLI app with ``fetch`` registered (imported here, not at collection, so that other
    test modules see the app as stylesim.cli builds it)."""
    from stylesim.cli import fetch_cmd  # noqa: F401  (registers the command)
    from stylesim.cli.app import app

    return app


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv(REGISTRY_ENV, str(fixture_registry(tmp_path)))
    return CliRunner()


def test_cli_list(app, runner: CliRunner) -> None:
    result = runner.invoke(app, ["fetch", "--list"])
    assert result.exit_code == 0, result.output
    assert re.search(r"tiny-outputs\s+4\s+[\d.]+ kB\s+alpaca_eval\s+-\s+CC0", result.stdout)
    assert "Tiny synthetic outputs" in result.stdout
    runner.invoke(app, ["fetch", SET, "--from", str(FIXTURES), "--models", "alpha"])
    listed = runner.invoke(app, ["fetch", "--list"]).stdout
    assert re.search(r"tiny-outputs\s+4\s+\S+ kB\s+alpaca_eval\s+1/4 models", listed)


def test_cli_fetch_from(app, runner: CliRunner) -> None:
    result = runner.invoke(app, ["fetch", SET, "--from", str(FIXTURES / SET), "-m", "alpha,beta", "-m", "gamma"])
    assert result.exit_code == 0, result.output
    assert "4 file(s)" in result.stdout and "4 copied" in result.stdout
    assert "Test fixture: synthetic data." in result.stderr
    again = runner.invoke(app, ["fetch", SET, "--from", str(FIXTURES)])
    assert again.exit_code == 0 and "1 copied, 4 already present" in again.stdout


@pytest.mark.parametrize("models", ["", ",", " , "])
def test_cli_a_models_option_that_names_no_model_is_refused(app, runner: CliRunner, models: str) -> None:
    """Up to 0.3.13 it fetched the whole set (an empty shell variable: 35-50 MB for the larger sets)."""
    from stylesim.registry import local_dir

    result = runner.invoke(app, ["fetch", SET, "--from", str(FIXTURES), "--models", models])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: --models names no model; leave the option out to fetch every model "
                                     "of the set")
    assert not local_dir(SET).exists()


def test_cli_download_warns_about_files_without_url(
    app, tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv(REGISTRY_ENV, str(fixture_registry(tmp_path, server.url)))
    result = CliRunner().invoke(app, ["fetch", SET])
    assert result.exit_code == 0, result.output
    assert "4 downloaded" in result.stdout
    assert "no download URL" in result.stderr and "delta" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fetch", "nope"], "Error: unknown sample set 'nope' (known: tiny-outputs)"),
        (["fetch", SET, "--models", "zeta"], "Error: tiny-outputs has no model 'zeta'"),
        (["fetch"], "Error: name a sample set to fetch"),
        (["fetch", SET, "--from", "/nonexistent/dir"], "Error: --from /nonexistent/dir: not a folder"),
    ],
)
def test_cli_errors_are_one_line(app, runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and errors[0].startswith(message), result.stderr
    assert "Traceback" not in result.output


def test_cli_missing_local_files_is_one_line(app, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["fetch", SET, "--from", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith("Error: 5 file(s) of tiny-outputs are not in")


def test_fixture_registry_matches_fixture_files(tiny: dict[str, SampleSet]) -> None:
    raw = json.loads((FIXTURES / "registry.json").read_text(encoding="utf-8"))
    assert list(raw["sets"]) == [SET]
    for entry in tiny[SET].selected_files():
        path = FIXTURES / SET / entry.path
        assert sha(path) == entry.sha256 and path.stat().st_size == entry.size


def test_cli_a_full_disk_during_a_download_names_the_file(
    app, tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write through the open partial file raises without a file name; up to 0.3.15 the CLI then
    blamed "standard output (or a cache file)"."""
    import errno
    import io
    import os

    import stylesim.fetch

    class Full(io.BytesIO):
        def write(self, data) -> int:  # noqa: ANN001
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv(REGISTRY_ENV, str(fixture_registry(tmp_path, server.url)))
    monkeypatch.setattr(stylesim.fetch, "open_part", lambda part, append: Full())
    result = CliRunner().invoke(app, ["fetch", SET])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.output, result.stderr
    assert re.fullmatch(r"Error: \S+/alpha/outputs\.json\.part: No space left on device", errors[0]), errors
