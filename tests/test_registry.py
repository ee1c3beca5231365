"""The sample-set registry: shape of the shipped registry, checksums against ../shared/corpora,
the cache layout, installed_files and resolve_panel."""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from stylesim import formats
from stylesim.errors import ConfigurationError, InputError
from stylesim.fetch import fetch, find_local_copy, verify_file
from stylesim.panel_inputs import resolve_panel
from stylesim.registry import (
    REGISTRY_ENV,
    SampleSet,
    get_set,
    installed_files,
    load_registry,
    local_dir,
    registry_path,
)

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
REGISTRY_JSON = REPO / "samples" / "registry.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "registry"
EXPECTED_SETS = {"alpaca-eval", "eqbench-creative-writing-v3", "not-x-but-y-bench",
                 "arena-bench-v1", "wildbench"}
SET_FIELDS = ("title", "source", "licence", "format", "prompts", "notes", "files", "extra_files")
FILE_FIELDS = ("path", "url", "sha256", "size")


def fixture_registry(tmp_path: Path, server: str = "http://127.0.0.1:9") -> Path:
    """The fixture registry with its ``{server}`` placeholder filled in, as a file."""
    text = (FIXTURES / "registry.json").read_text(encoding="utf-8").replace("{server}", server)
    path = tmp_path / "fixture-registry.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> dict[str, SampleSet]:
    return load_registry(fixture_registry(tmp_path))


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    return CORPORA


# --- the shipped registry ---------------------------------------------------------------------


def test_registry_has_every_set_with_required_fields() -> None:
    raw = json.loads(REGISTRY_JSON.read_text(encoding="utf-8"))
    assert raw["version"] == 1
    assert set(raw["sets"]) == EXPECTED_SETS
    for name, entry in raw["sets"].items():
        for key in SET_FIELDS:
            assert key in entry, f"{name} lacks {key}"
        assert entry["format"] in formats.names(), name
        assert isinstance(entry["prompts"], int) and entry["prompts"] > 0
        assert entry["licence"].strip()
        assert set(entry["source"]) >= {"repository", "commit"}
        assert re.fullmatch(r"[0-9a-f]{40}", entry["source"]["commit"])
        for item in entry["files"] + entry["extra_files"]:
            for key in FILE_FIELDS:
                assert key in item, f"{name}: {item.get('path')} lacks {key}"
            assert re.fullmatch(r"[0-9a-f]{64}", item["sha256"])
            assert item["size"] > 0
        for item in entry["files"]:
            assert item["model"]
    sets = load_registry(REGISTRY_JSON)
    assert list(sets) == list(raw["sets"])


def test_urls_are_raw_github_pinned_to_a_commit() -> None:
    for sample_set in load_registry(REGISTRY_JSON).values():
        repo = sample_set.source["repository"].removeprefix("https://github.com/")
        for item in (*sample_set.files, *sample_set.extra_files):
            if item.url is None:
                # Only a file with its own documented provenance may lack a URL.
                assert item.note and item.source, item.path
                continue
            commit = (item.source or {}).get("commit") or sample_set.source["commit"]
            assert item.url.startswith(f"https://raw.githubusercontent.com/{repo}/{commit}/"), item.url
            assert item.url.endswith("/" + quote(item.path, safe="/="))


def test_unlicensed_and_reassembled_files_are_recorded_honestly() -> None:
    sets = load_registry(REGISTRY_JSON)
    eq = sets["eqbench-creative-writing-v3"]
    assert "none stated" in eq.licence and eq.warning
    mistral = [f for f in eq.files if "Mistral-Small-3.2" in f.path]
    assert len(mistral) == 1
    assert mistral[0].url is None and "does NOT match the upstream" in (mistral[0].note or "")
    assert "EQ-bench-site" in mistral[0].source["repository"]
    assert "CC BY-NC 4.0" in sets["alpaca-eval"].licence and sets["alpaca-eval"].warning
    assert sets["not-x-but-y-bench"].licence == "MIT"
    assert sets["arena-bench-v1"].licence == "Apache-2.0"
    assert sets["wildbench"].licence == "Apache-2.0"


@pytest.mark.corpora
@pytest.mark.parametrize("name", sorted(EXPECTED_SETS))
def test_registry_checksums_verify_against_shared_corpora(corpora: Path, name: str) -> None:
    sample_set = load_registry(REGISTRY_JSON)[name]
    for item in (*sample_set.files, *sample_set.extra_files):
        copy = find_local_copy(sample_set, item, corpora)
        assert copy is not None, f"{name}: {item.path} not found under {corpora}"
        assert verify_file(copy, item) is None, f"{name}: {copy}"


@pytest.mark.corpora
def test_make_registry_reproduces_the_registry(corpora: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_registry", REPO / "samples" / "make_registry.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_registry"] = module
    try:
        spec.loader.exec_module(module)
        assert module.render(module.build_registry(corpora)) == REGISTRY_JSON.read_text(encoding="utf-8")
    finally:
        del sys.modules["make_registry"]


def test_registry_is_found_in_a_source_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    assert registry_path() == REGISTRY_JSON
    assert set(load_registry()) == EXPECTED_SETS


def test_installed_wheel_location_is_searched(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A wheel ships the registry as a data file: <prefix>/share/stylesim/samples/registry.json."""
    from stylesim import registry

    assert Path(sys.prefix) / "share" / "stylesim" / "samples" / "registry.json" in (
        registry._registry_candidates())
    shipped = tmp_path / "share" / "stylesim" / "samples" / "registry.json"
    shipped.parent.mkdir(parents=True)
    shipped.write_text(REGISTRY_JSON.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    monkeypatch.setattr(registry, "_registry_candidates", lambda: [tmp_path / "absent.json", shipped])
    assert registry_path() == shipped


def test_registry_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REGISTRY_ENV, str(fixture_registry(tmp_path)))
    assert list(load_registry()) == ["tiny-outputs"]
    monkeypatch.setenv(REGISTRY_ENV, str(tmp_path / "missing.json"))
    with pytest.raises(ConfigurationError, match="not a file"):
        load_registry()


def test_malformed_registry_is_a_clear_error(tmp_path: Path) -> None:
    data = json.loads(fixture_registry(tmp_path).read_text(encoding="utf-8"))
    del data["sets"]["tiny-outputs"]["files"][0]["sha256"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="missing field 'sha256'"):
        load_registry(bad)
    bad.write_text(json.dumps({"version": 99, "sets": {}}), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="version 99"):
        load_registry(bad)


def test_get_set_unknown_lists_known_names() -> None:
    sets = load_registry(REGISTRY_JSON)
    assert get_set("wildbench", sets).format == "wildbench"
    with pytest.raises(ConfigurationError) as info:
        get_set("alpaca", sets)
    assert "unknown sample set 'alpaca'" in str(info.value)
    for name in EXPECTED_SETS:
        assert name in str(info.value)


def test_model_selection(tiny: dict[str, SampleSet]) -> None:
    sample_set = tiny["tiny-outputs"]
    assert sample_set.models == ["alpha", "beta", "gamma", "delta"]
    assert [f.model for f in sample_set.model_files(["BETA", "alpha"])] == ["alpha", "beta"]
    assert [f.path for f in sample_set.selected_files(["gamma"])] == [
        "results/gamma/outputs.json", "prompts.json"]
    with pytest.raises(ConfigurationError, match="no model 'omega'.*models: alpha, beta"):
        sample_set.model_files(["omega"])


# --- the cache --------------------------------------------------------------------------------


def test_local_dir_honours_cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STYLESIM_CACHE_DIR", str(tmp_path / "c"))
    assert local_dir("alpaca-eval") == tmp_path / "c" / "samples" / "alpaca-eval"
    with pytest.raises(ConfigurationError):
        local_dir("../escape")


def test_installed_files_before_and_after_fetch(tiny: dict[str, SampleSet]) -> None:
    with pytest.raises(ConfigurationError, match="run `stylesim fetch tiny-outputs`"):
        installed_files("tiny-outputs", registry=tiny)
    fetch("tiny-outputs", models=["alpha", "beta"], source_dir=FIXTURES, registry=tiny)
    root = local_dir("tiny-outputs")
    assert installed_files("tiny-outputs", ["beta"], registry=tiny) == [
        root / "results/beta/outputs.json"]
    with pytest.raises(ConfigurationError, match="stylesim fetch tiny-outputs --models gamma"):
        installed_files("tiny-outputs", ["alpha", "gamma"], registry=tiny)


def test_installed_files_partial_set_warns(tiny: dict[str, SampleSet], caplog: pytest.LogCaptureFixture) -> None:
    fetch("tiny-outputs", models=["alpha", "gamma"], source_dir=FIXTURES, registry=tiny)
    with caplog.at_level(logging.WARNING, logger="stylesim.registry"):
        files = installed_files("tiny-outputs", registry=tiny)
    assert [p.parent.name for p in files] == ["alpha", "gamma"]
    assert "2 of 4 models are not fetched" in caplog.text


# --- resolve_panel ----------------------------------------------------------------------------


def test_resolve_panel_keeps_existing_paths(tmp_path: Path, tiny: dict[str, SampleSet]) -> None:
    a = tmp_path / "a.jsonl"
    a.write_text("{}\n", encoding="utf-8")
    # A file given by path is kept even when repeated: the analysis drops the repeat with a
    # warning naming both (tests/test_safety.py), rather than losing it here silently.
    assert resolve_panel([a, str(a)], tiny) == [a, a]
    assert resolve_panel([a], tiny, exclude=[a]) == [a]


def test_resolve_panel_expands_a_fetched_set(tiny: dict[str, SampleSet]) -> None:
    fetch("tiny-outputs", source_dir=FIXTURES, registry=tiny)
    root = local_dir("tiny-outputs")
    paths = resolve_panel(["tiny-outputs"], tiny)
    assert [p.relative_to(root).as_posix() for p in paths] == [
        f"results/{m}/outputs.json" for m in ("alpha", "beta", "gamma", "delta")]
    # The compared models are left out of their own panel.
    assert resolve_panel(["tiny-outputs"], tiny, exclude=[paths[0]]) == paths[1:]
    from stylesim.corpus import load_corpus

    corpus = load_corpus(paths[1])
    assert corpus.format == "alpaca_eval" and len(corpus.by_prompt()) == 25


def test_resolve_panel_selects_models(tiny: dict[str, SampleSet]) -> None:
    fetch("tiny-outputs", source_dir=FIXTURES, registry=tiny)
    paths = resolve_panel(["tiny-outputs:gamma,alpha"], tiny)
    assert [p.parent.name for p in paths] == ["alpha", "gamma"]
    with pytest.raises(ConfigurationError, match="no model 'zeta'"):
        resolve_panel(["tiny-outputs:zeta"], tiny)
    # "NAME:" with nothing after the colon (an empty shell variable) is refused, not read as the whole set.
    for empty in ("tiny-outputs:", "tiny-outputs: , "):
        with pytest.raises(ConfigurationError, match="no model named after the colon"):
            resolve_panel([empty], tiny)


def test_resolve_panel_unfetched_set_says_how(tiny: dict[str, SampleSet]) -> None:
    with pytest.raises(ConfigurationError, match="stylesim fetch tiny-outputs"):
        resolve_panel(["tiny-outputs"], tiny)


def test_resolve_panel_unknown_item(tiny: dict[str, SampleSet]) -> None:
    with pytest.raises(InputError) as info:
        resolve_panel(["no-such-thing.jsonl"], tiny)
    assert str(info.value) == (
        "no-such-thing.jsonl: is neither a file nor a registry name (known: tiny-outputs)")


def test_resolve_panel_reads_the_shipped_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    with pytest.raises(InputError, match=r"known: alpaca-eval, .*wildbench"):
        resolve_panel(["alpaca"])
    with pytest.raises(ConfigurationError, match="run `stylesim fetch alpaca-eval`"):
        resolve_panel(["alpaca-eval"])


def _fetched_alpha_and_samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               tiny: dict[str, SampleSet]) -> tuple[Path, str, str]:
    """The fixture set fetched under a registry the CLI reads, its model alpha's file, and two demo samples."""
    monkeypatch.setenv(REGISTRY_ENV, str(fixture_registry(tmp_path)))
    fetch("tiny-outputs", source_dir=FIXTURES, registry=tiny)
    samples = REPO / "samples"
    return (installed_files("tiny-outputs", ["alpha"], registry=tiny)[0], str(samples / "lyra.jsonl"),
            str(samples / "lyra-distill.jsonl"))


def test_no_output_may_replace_a_file_of_a_named_panel_or_a_question_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny: dict[str, SampleSet]) -> None:
    """Up to 0.3.13 the output check ran before --panel NAME became files, and never saw the
    question.jsonl a FastChat answer file takes its prompts from: an outside audit replaced a
    fetched panel file, and a question file, with the result JSON."""
    from typer.testing import CliRunner

    from stylesim.cli import app

    fetched, a, b = _fetched_alpha_and_samples(tmp_path, monkeypatch, tiny)
    kept = fetched.read_bytes()
    for command in (["compare", a, b, "--panel", "tiny-outputs"], ["attribute", a, b, "--panel", "tiny-outputs:alpha"]):
        result = CliRunner().invoke(app, [*command, "--no-embeddings", "--json", str(fetched)])
        assert result.exit_code == 1 and "is also an input" in result.output, result.output
    assert fetched.read_bytes() == kept
    bench = tmp_path / "bench"
    (bench / "model_answer").mkdir(parents=True)
    question = bench / "question.jsonl"
    question.write_text('{"question_id": 1, "turns": ["Hi?"]}\n', encoding="utf-8")
    answers = []
    for name in ("m1", "m2"):
        path = bench / "model_answer" / f"{name}.jsonl"
        path.write_text(json.dumps({"question_id": 1, "model_id": name, "choices": [{"turns": ["Hello."]}]}) + "\n",
                        encoding="utf-8")
        answers.append(str(path))
    result = CliRunner().invoke(app, ["compare", *answers, "--no-embeddings", "--json", str(question)])
    assert result.exit_code == 1 and "is also an input" in result.output, result.output
    assert question.read_text(encoding="utf-8").startswith('{"question_id": 1')


def test_base_takes_a_model_of_a_fetched_set(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny: dict[str, SampleSet]) -> None:
    """The README says --base, like --panel, takes NAME:MODEL of a fetched set; up to 0.3.14 it
    read the name as a file ("no such file")."""
    from typer.testing import CliRunner

    from stylesim.cli import app

    fetched, a, b = _fetched_alpha_and_samples(tmp_path, monkeypatch, tiny)
    kept = fetched.read_bytes()
    samples = REPO / "samples"
    for command in (["compare", a, b], ["attribute", a, b, str(samples / "atlas.jsonl")]):
        # The named base is an input: no output may replace it.
        result = CliRunner().invoke(app, [*command, "--base", "tiny-outputs:alpha", "--no-embeddings",
                                          "--json", str(fetched)])
        assert result.exit_code == 1 and "is also an input" in result.output, result.output
        result = CliRunner().invoke(app, [*command, "--base", "tiny-outputs:zeta", "--no-embeddings"])
        assert result.exit_code == 1 and "no model 'zeta'" in result.output, result.output
        result = CliRunner().invoke(app, [*command, "--base", "tiny-outputs:", "--no-embeddings"])
        assert result.exit_code == 1 and "--base tiny-outputs:: no model named after the colon" in result.output, \
            result.output
        # A whole set is no base (it would partial the panel away).
        result = CliRunner().invoke(app, [*command, "--base", "tiny-outputs", "--no-embeddings"])
        assert result.exit_code == 1 and "a base is one model; give NAME:MODEL" in result.output, result.output
    assert fetched.read_bytes() == kept
    # A named base that is the first model reaches the analysis, which refuses it (a first version
    # of 0.3.15 left it out of the base list without a word and partialled nothing).
    alpha_path = str(fetched)
    beta = str(installed_files("tiny-outputs", ["beta"], registry=tiny)[0])
    result = CliRunner().invoke(app, ["compare", alpha_path, beta, "--panel", "tiny-outputs:gamma,delta",
                                      "--base", "tiny-outputs:alpha", "--no-embeddings"])
    assert result.exit_code == 1 and "--base" in result.output and "(A)" in result.output, result.output


def test_a_models_own_extra_file_comes_with_that_model_only() -> None:
    """An extra file can belong to one model (its page of a published benchmark, say): a fetch of
    that model installs it, a fetch of another does not (no registry fixture had such a file)."""
    from stylesim.registry import SampleFile, SampleSet

    def file(path: str, model: str | None = None) -> SampleFile:
        return SampleFile(path=path, sha256="0" * 64, size=1, url=None, model=model)

    sample_set = SampleSet(name="s", title="t", source={}, licence="CC0-1.0", format="stylesim", prompts=1,
                           notes="", files=(file("a.jsonl", "a"), file("b.jsonl", "b")),
                           extra_files=(file("prompts.json"), file("b-page.html", "b")))
    assert [f.path for f in sample_set.selected_files(["b"])] == ["b.jsonl", "prompts.json", "b-page.html"]
    assert [f.path for f in sample_set.selected_files(["a"])] == ["a.jsonl", "prompts.json"]


def test_a_cached_file_of_the_wrong_size_is_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A download cut short leaves a file whose size gives it away (fetch verifies the checksum
    on arrival; the listing checks the size)."""
    from stylesim.registry import SampleFile, is_installed, local_dir

    monkeypatch.setenv("STYLESIM_CACHE_DIR", str(tmp_path / "c"))
    entry = SampleFile(path="results/m/outputs.json", sha256="0" * 64, size=5, url=None, model="m")
    target = local_dir("s") / entry.path
    assert not is_installed("s", entry)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"abc")
    assert not is_installed("s", entry)
    target.write_bytes(b"abcde")
    assert is_installed("s", entry)
