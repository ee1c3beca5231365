"""The reproduction on the real EQ-Bench Creative Writing v3 pages (skipped when they are absent).

Measured with these pages and the slop-forensics human profile: Mistral-Small-3.2 and
DeepSeek-V3-0324 at Jaccard distance 0.640 (published 0.658), each other's nearest neighbour.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stylesim.corpus import load_corpus
from stylesim.panel import expand_inputs
from stylesim.reproduce import render_reproduce_html, reproduce_eqbench_similarity
from stylesim.reproduce.eqbench import corpus_profile
from stylesim.reproduce.profile import select_words

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
PAGES = CORPORA / "eqbench-creative-writing-v3" / "results"
HUMAN = CORPORA / "slop-forensics" / "results" / "human_slop_profile.json"
MISTRAL = "mistralai/Mistral-Small-3.2-24B-Instruct-2506"
DEEPSEEK = "deepseek-ai/DeepSeek-V3-0324"
MEASURED = 0.640

# eqbench.com's published "Top Repetitive Words" for Mistral-Small-3.2 (its first 50, in order).
PUBLISHED_WORDS = (
    "veyra gleamed kael exhales flickered twitched exhaled smirked creaked jessa hums smirks glinting "
    "addendum hummed flickers unreadable grunted gestured groaned snorts grinned hissed scavenged tightens "
    "hesitated grins flickering lunged fluttered sighed hesitates murmured blinked smirk leaned enforcers "
    "murmurs voss tilts tensed blinks muttered hitched flinch flicker grinning leans glint glancing"
).split()

# Its first 30 "Top Trigrams" (ordered by count there) and "Top Bigrams".
PUBLISHED_TRIGRAMS = (
    "air thick scent|fingers tightened around|said voice low|casting long shadows|thick scent damp|"
    "something else entirely|casting jagged shadows|said voice smooth|look like got|voice dropping whisper|"
    "jagged shadows across|air smells like|first time long|something older something|fingers twitch toward|"
    "running hand hair|sharp enough cut|air smelled damp|smelled damp earth|said voice rough|rubbing back neck|"
    "laughed sound like|time long time|long shadows across|air smelled like|face gaunt eyes|"
    "fingers tighten around|voice barely whisper|close enough feel|exhales long slow"
).split("|")
PUBLISHED_BIGRAMS = (
    "air thick|air smelled|thick scent|says voice|eyes gleamed|slow deliberate|breath hitched|stomach twisted|"
    "smells like|fingers twitch|fingers brushing|way fingers|voice smooth|fingers tightened|eyes sharp|"
    "tightened around|tilts head|voice rough|like dying|met gaze|fingers tracing|casting long|shadows across|"
    "yeah say|eyes narrow|something wrong|casting jagged|like something|voice dropping|one thing"
).split("|")

pytestmark = [
    pytest.mark.corpora,
    pytest.mark.skipif(not PAGES.is_dir() or not HUMAN.is_file(), reason="../shared/corpora is not present"),
]


@pytest.fixture(scope="module")
def corpora():
    return [load_corpus(p) for p in expand_inputs([PAGES])]


@pytest.fixture(scope="module")
def result(corpora):
    return reproduce_eqbench_similarity(corpora, human_profile_path=HUMAN, calibrated=False, n_resamples=24)


def test_published_pair_is_found_and_mutual(result) -> None:
    data = result.to_dict()
    rep = data["reproduced"]
    assert rep["pair"] == [MISTRAL, DEEPSEEK]
    assert rep["mutual"] is True and rep["rank_of_b_for_a"] == 1 and rep["rank_of_a_for_b"] == 1
    assert rep["distance"] == pytest.approx(MEASURED, abs=0.01)
    assert abs(rep["distance"] - data["published"]["distance"]) < 0.1
    assert data["models"][MISTRAL]["nearest"][0]["model"] == DEEPSEEK
    assert data["models"][DEEPSEEK]["nearest"][0]["model"] == MISTRAL
    assert rep["ci"]["low"] < rep["distance"] < rep["ci"]["high"]
    assert len(data["models"]) == 32 and all(len(e["nearest"]) == 5 for e in data["models"].values())


def test_earlier_mistral_is_far_from_deepseek(result) -> None:
    earlier = result.to_dict()["reproduced"]["earlier_pair"]
    assert earlier["distance"] == pytest.approx(0.884, abs=0.02)  # published April 2025: about 0.895


def test_alternative_choices_keep_the_pair_mutual(result) -> None:
    for row in result.to_dict()["reproduced"]["sensitivity"]:
        assert row["mutual"] is True and 0.55 < row["distance"] < 0.75


def test_word_list_matches_the_published_one(corpora) -> None:
    mistral = next(c for c in corpora if c.name == MISTRAL)
    profile = corpus_profile(mistral)
    words = select_words(profile, np.ones(len(profile.prompts))).terms
    # eqbench.com's list lacks the SCP placeholder "xxxx"; otherwise it is our list, in order.
    assert [w for w in words if w != "xxxx"][:50] == PUBLISHED_WORDS


def test_ngram_lists_overlap_the_published_ones(result) -> None:
    features = result.to_dict()["features"][MISTRAL]
    assert set(PUBLISHED_TRIGRAMS) <= set(features["trigrams"])
    assert len(set(PUBLISHED_BIGRAMS) & set(features["bigrams"])) >= 20


def test_report_renders_and_escapes(result) -> None:
    html = render_reproduce_html(result)
    assert html.count("<script") == 1 and MISTRAL in html and "0.658" in html
