"""Shared fixtures: small original corpora written on the fly, and the published corpora path."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
# The demo's panel: every embedded voice that is neither lyra nor its student.
SAMPLE_PANEL = [SAMPLES / f"{name}.jsonl" for name in ("atlas", "brook", "sage", "sunny", "quill", "pixel")]
CORPORA = REPO.parent / "shared" / "corpora"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's embedding cache from tests."""
    monkeypatch.setenv("STYLESIM_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def corpora_dir() -> Path:
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    return CORPORA


VOICES = {
    "plain": ("The answer is simple.", "It works because", "In short, it is fine."),
    "fancy": ("What a lovely question — truly.", "It's not just a tool; it's a tapestry", "Would you like more?"),
}
TOPICS = ["rivers", "bread", "chess", "rain", "clocks", "maps", "bees", "salt", "glass", "wool",
          "kites", "tea", "ink", "snow", "bells", "ropes", "lamps", "boats", "seeds", "keys",
          "drums", "stone", "moss", "silk", "wheat"]


# The console script's own entry (``_stylesim_cli.main``, which installs the SIGTERM handler), with
# Python's SIGINT handler restored: a shell that starts a job in the background may have set SIGINT
# aside, and Python then never raises KeyboardInterrupt. Run as ``python -c ENTRY_MAIN ARGS...``.
ENTRY_MAIN = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv = ['stylesim', *sys.argv[1:]]; import _stylesim_cli; _stylesim_cli.main()"
)


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def voice_rows(model: str, voice: str, *, n: int = 25, seed: int = 0, samples: int = 1) -> list[dict]:
    """Short answers in a recognisable voice, one per topic (deterministic)."""
    rng = random.Random(f"{model}:{seed}")
    opener, middle, closer = VOICES[voice]
    rows = []
    for i, topic in enumerate(TOPICS[:n]):
        for s in range(samples):
            filler = " ".join(rng.choice(["and", "so", "then", "also", "very", "quite"]) for _ in range(6))
            text = f"{opener} {middle} {topic} matter to people {filler}. {topic.title()} are {rng.choice(['old', 'new', 'odd'])}. {closer}"
            rows.append({"prompt_id": f"p{i:02d}", "prompt": f"Tell me about {topic}.", "response": text,
                         "model": model, "sample": s})
    return rows


@pytest.fixture
def tiny_pair(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Three small corpora: two in one voice, one in another (25 prompts each)."""
    a = write_jsonl(tmp_path / "a.jsonl", voice_rows("model-a", "plain", seed=1))
    b = write_jsonl(tmp_path / "b.jsonl", voice_rows("model-b", "plain", seed=2))
    c = write_jsonl(tmp_path / "c.jsonl", voice_rows("model-c", "fancy", seed=3))
    return a, b, c


@pytest.fixture
def tiny_four(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """Four small corpora (agreement needs four models): two in one voice, two in another."""
    a = write_jsonl(tmp_path / "a.jsonl", voice_rows("model-a", "plain", seed=1))
    b = write_jsonl(tmp_path / "b.jsonl", voice_rows("model-b", "plain", seed=2))
    c = write_jsonl(tmp_path / "c.jsonl", voice_rows("model-c", "fancy", seed=3))
    d = write_jsonl(tmp_path / "d.jsonl", voice_rows("model-d", "fancy", seed=4))
    return a, b, c, d


@pytest.fixture
def features_from_the_first_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fit every family on the first model's texts alone, whatever the command's own pool.

    compare fits its features on every model (0.3.11), so a run without a panel model also refits
    them; its leave-one-out and half-panel views keep the full analysis's features. Tests that check
    the views' machinery against real runs hold the features fixed this way, so that the only
    difference between a view and a run is the models left out."""
    import stylesim.analysis
    from stylesim.flat import reference_rows

    monkeypatch.setattr(stylesim.analysis, "reference_rows", lambda flat, models: reference_rows(flat, [0]))
