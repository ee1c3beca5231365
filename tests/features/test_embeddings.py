"""Embedding family: caching by content hash, the fake encoder, and one real-model test."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from stylesim.features import embeddings


class FakeEncoder:
    """A deterministic stand-in: a vector from word lengths."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def encode(self, texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False):
        self.calls.append(len(texts))
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.split():
                out[i, min(len(word), 8) - 1] += 1
            out[i] /= max(np.linalg.norm(out[i]), 1e-9)
        return out


def fake_embedder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[embeddings.SentenceEmbedder, FakeEncoder]:
    embedder = embeddings.SentenceEmbedder("fake-model", cache_dir=tmp_path / "cache")
    fake = FakeEncoder()
    monkeypatch.setattr(embedder, "_load", lambda: fake)
    return embedder, fake


def test_cache_hits_on_second_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["one two three", "four five", "one two three"]
    first, fake = fake_embedder(tmp_path, monkeypatch)
    vectors = first.transform(texts)
    assert fake.calls == [2]  # duplicates are encoded once
    assert np.allclose(vectors[0], vectors[2])
    second, fake2 = fake_embedder(tmp_path, monkeypatch)
    again = second.transform(texts + ["new text here"])
    assert fake2.calls == [1]  # only the unseen text
    assert np.allclose(again[:3], vectors)


def test_cache_is_keyed_by_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    embedder, fake = fake_embedder(tmp_path, monkeypatch)
    embedder.transform(["same text"])
    other = embeddings.SentenceEmbedder("another-model", cache_dir=tmp_path / "cache")
    fake2 = FakeEncoder()
    monkeypatch.setattr(other, "_load", lambda: fake2)
    other.transform(["same text"])
    assert fake2.calls == [1]


def test_cache_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STYLESIM_CACHE_DIR", str(tmp_path / "c"))
    assert embeddings.default_cache_dir() == tmp_path / "c"


def test_cache_dir_ignores_an_empty_home_and_a_relative_xdg_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """HOME="" put the cache under /.cache (before 0.3.17); the XDG specification says a relative
    XDG_CACHE_HOME is to be ignored."""
    import pwd

    home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    monkeypatch.delenv("STYLESIM_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "")
    assert embeddings.default_cache_dir() == home / ".cache" / "stylesim"
    monkeypatch.setenv("HOME", "/somewhere/else")
    assert embeddings.default_cache_dir() == Path("/somewhere/else/.cache/stylesim")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert embeddings.default_cache_dir() == Path("/somewhere/else/.cache/stylesim")
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/me")
    assert embeddings.default_cache_dir() == Path("/var/cache/me/stylesim")


def test_an_unusable_cache_warns_once_naming_the_file_and_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    """A cache folder that is a file read "[Errno 17] File exists", without the cache's name, and
    came two or three times a run (before 0.3.17)."""
    monkeypatch.setattr(embeddings, "_WARNED", [])
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    embedder = embeddings.SentenceEmbedder("fake-model", cache_dir=blocker)
    fake = FakeEncoder()
    monkeypatch.setattr(embedder, "_load", lambda: fake)
    with caplog.at_level("WARNING"):
        assert embedder.cached(["alpha"]) is None
        vectors = embedder.transform(["alpha", "beta"])
        embedder.transform(["gamma"])
    assert vectors.shape[0] == 2
    assert [r.getMessage() for r in caplog.records] == [
        f"embedding cache {blocker / 'embeddings.sqlite'} unavailable ({blocker}: not a folder); continuing without it"]


def test_bad_model_path_is_a_clear_error(tmp_path: Path) -> None:
    from stylesim.errors import ConfigurationError

    embedder = embeddings.SentenceEmbedder(str(tmp_path / "no-such-model"), cache_dir=False)
    with pytest.raises(ConfigurationError, match="cannot load embedding model") as info:
        embedder.transform(["text"])
    # One line, and no hint to check an internet connection: nothing is downloaded at run time.
    assert "\n" not in str(info.value) and "\\n" not in str(info.value)
    assert "models are not downloaded at run time" in str(info.value)
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "modules.json").write_text("not json\nat all")
    with pytest.raises(ConfigurationError, match="cannot load embedding model") as info:
        embeddings.SentenceEmbedder(str(broken), cache_dir=False).transform(["text"])
    assert "\n" not in str(info.value)


@pytest.mark.slow
def test_real_default_model_loads_offline(tmp_path: Path) -> None:
    """The packaged all-MiniLM-L6-v2 loads from disk and separates unrelated sentences."""
    embedder = embeddings.SentenceEmbedder(cache_dir=tmp_path / "cache")
    vectors = embedder.transform(["The cat sat on the mat.", "A cat was sitting on a rug.", "Quarterly tax filings are due."])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_cached_returns_vectors_only_when_every_text_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    embedder, fake = fake_embedder(tmp_path, monkeypatch)
    assert embedder.cached(["alpha beta"]) is None  # cold
    vectors = embedder.transform(["alpha beta", "gamma"])
    warm = embeddings.SentenceEmbedder("fake-model", cache_dir=tmp_path / "cache")
    monkeypatch.setattr(warm, "_load", lambda: pytest.fail("a warm cache must not load the model"))
    np.testing.assert_array_equal(warm.cached(["gamma", "alpha beta"]), vectors[::-1])
    assert warm.cached(["gamma", "not seen yet"]) is None
    assert embeddings.SentenceEmbedder("fake-model", cache_dir=False).cached(["gamma"]) is None


def test_warm_cache_compare_matches_cold_and_loads_no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm path runs the embedding family in the worker pool: same numbers as the cold one."""
    from stylesim import compare

    repo = Path(__file__).resolve().parents[2]
    fake = FakeEncoder()
    monkeypatch.setattr(embeddings.SentenceEmbedder, "_load", lambda self: fake)
    options = {"n_resamples": 50, "n_permutations": 50, "cache_dir": str(tmp_path / "cache"), "jobs": 2,
               "families": ["phrasing"]}
    cold = compare(repo / "samples" / "atlas.jsonl", repo / "samples" / "lyra.jsonl", **options)
    assert fake.calls  # encoded once
    monkeypatch.setattr(embeddings.SentenceEmbedder, "_load", lambda self: pytest.fail("model loaded on a warm cache"))
    warm = compare(repo / "samples" / "atlas.jsonl", repo / "samples" / "lyra.jsonl", **options)
    assert set(cold.families) == set(warm.families) == {"phrasing", "embedding"}
    assert cold.families["embedding"] == warm.families["embedding"]
    assert cold.similarity == warm.similarity


def test_device_reaches_sentence_transformers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--device cuda` is passed to SentenceTransformer as given (the GPU itself is not tested here)."""
    import sys
    import types

    from typer.testing import CliRunner

    from stylesim.cli.app import app

    made: list[str | None] = []

    class Recorder(FakeEncoder):
        def __init__(self, location: str, device: str | None = None) -> None:
            super().__init__()
            made.append(device)

    module = types.ModuleType("sentence_transformers")
    module.SentenceTransformer = Recorder  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", module)
    monkeypatch.setattr(embeddings, "default_model_path", lambda: "packaged")
    embeddings.SentenceEmbedder(device="cuda", cache_dir=False).transform(["one text"])
    assert made == ["cuda"]
    samples = Path(__file__).resolve().parents[2] / "samples"
    result = CliRunner().invoke(app, ["compare", str(samples / "atlas.jsonl"), str(samples / "lyra.jsonl"),
                                      "--device", "cuda", "--family", "phrasing", "--resamples", "20",
                                      "--permutations", "20", "--cache-dir", str(tmp_path / "c"), "--quiet",
                                      "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert made[1:] == ["cuda"]


@pytest.mark.parametrize("device", ["quantum", "cuda0", "gpu", ""])
def test_an_unknown_device_is_refused_before_the_cache_is_read(device: str) -> None:
    """With a warm cache the model never loads, so a mistyped --device was silently ignored."""
    from stylesim.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="--device must be cpu, cuda, cuda:N, mps or xpu"):
        embeddings.SentenceEmbedder(device=device)


@pytest.mark.parametrize("device", ["cpu", "cuda", "cuda:1", "mps", "xpu:0"])
def test_known_devices_are_accepted(device: str) -> None:
    assert embeddings.SentenceEmbedder(device=device).device == device


def test_embedding_statistics_run_with_one_blas_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      tiny_four) -> None:  # noqa: ANN001
    """With a cold cache the embedding family is encoded, and its statistics computed, in the main
    process after the pool; up to 0.3.9 that ran with every BLAS thread, unlike the other families
    (whose numbers must not depend on the machine's cores)."""
    from threadpoolctl import threadpool_info

    import stylesim
    from stylesim import analysis

    monkeypatch.setattr(embeddings.SentenceEmbedder, "_load", lambda self: FakeEncoder())
    seen: list[int] = []
    task = analysis._embedding_task

    def watched(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.append(max((info["num_threads"] for info in threadpool_info()), default=1))
        return task(*args, **kwargs)

    monkeypatch.setattr(analysis, "_embedding_task", watched)
    a, b, c, d = tiny_four
    result = stylesim.compare(a, b, panel=[c, d], embeddings=True, embedding_model="fake-model",
                              cache_dir=str(tmp_path / "cold"), n_resamples=20, n_permutations=20)
    assert seen == [1]
    assert "embedding" in result.to_dict()["agreement"]["family_weights"]


def test_a_cache_that_cannot_be_written_only_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """Up to 0.3.15 a cache that refused the new vectors (a read-only database, a full disk) ended
    the run in sqlite's traceback, though the vectors were in hand."""
    import sqlite3

    embedder, fake = fake_embedder(tmp_path, monkeypatch)
    embedder.transform(["warm the cache"])  # creates the database
    opened = embedder._open_cache

    def read_only() -> embeddings.EmbeddingCache:
        cache = opened()
        cache._connection.close()
        cache._connection = sqlite3.connect(f"file:{cache.path}?mode=ro", uri=True)
        return cache

    monkeypatch.setattr(embedder, "_open_cache", read_only)
    with caplog.at_level("WARNING", logger="stylesim"):
        vectors = embedder.transform(["a new text", "another new text"])
    assert vectors.shape == (2, 8) and fake.calls == [1, 2]
    assert any("not updated" in r.getMessage() and "readonly" in r.getMessage() for r in caplog.records)
