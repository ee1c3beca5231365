"""The decisions the published description leaves open, and the verdict sentences."""

from __future__ import annotations

from typing import Any

from ..verdict import CAVEATS, _p, isolate

_COMMON = [
    ("Text analysed",
     "each output's original text (reasoning blocks stripped by the loader), not stylesim's identity-masked copy",
     "the original counts the text as generated; masking would delete model-invented names that dominate the word lists"),
    ("What counts as a prompt",
     "the EQ-Bench prompt number (32 prompts); its 3 iterations count as one prompt",
     "the iterations answer one prompt with different seed details, so a word in all 3 is still prompt-specific"),
    ("Word tokens",
     "after NFKC, lower case and straight apostrophes: runs of ASCII letters with at most one inner apostrophe; "
     "kept if 4+ letters or holding an apostrophe (she'd)",
     "the slop-forensics word pattern; hyphenated words count as two words"),
    ("Possessives",
     "x's counts as x, except 13 contractions (it's, he's, let's ...); the 2-prompt rule is tested on the bare form x",
     "as in slop-forensics, where the prompt map is built before merging"),
    ("Word thresholds",
     "in at least 2 prompts and more than 5 occurrences (count > 5), after merging",
     "the published rule; '> 5' follows slop-forensics' 'appears more than min_count times'"),
    ("Word over-use ratio",
     "the word's share of all words that pass the thresholds, divided by wordfreq's English frequency floored at 1e-12",
     "slop-forensics' ratio; words wordfreq does not know (invented names) rank first, by count"),
    ("No stop-word or name filter on words",
     "none: names the model invents (veyra, kael) are features",
     "eqbench.com's published word lists contain such names"),
    ("N-gram tokens",
     "a re-implementation of NLTK 3.9's word_tokenize (clitics split: can't -> ca + n't, gonna -> gon + na; "
     "hyphenated and em-dashed tokens such as half-smile or else\u2014something dropped); alphabetic tokens "
     "only; NLTK's 179 English stop words removed before n-grams are formed, so n-grams bridge removed "
     "words and punctuation but not outputs",
     "NLTK and its data are not available offline; NLTK 3.9 was current when the published profiles were "
     "made (3.10 splits em dashes); on 1,056 EQ-Bench outputs the emulation agreed with NLTK 3.9.1 on "
     "99.7% of kept tokens"),
    ("N-gram prompt rule",
     "in at least 3 prompts (the description's figure; slop-forensics' default is 2)",
     "the published description"),
    ("Ties",
     "equal scores are broken by first occurrence in the corpus (file order)",
     "the original's ordered counters and stable sorts do the same"),
    ("Feature set and distance",
     "120 words + 40 bigrams + 40 trigrams as one set of strings (fewer if too few qualify); "
     "Jaccard distance 1 - |A & B| / |A | B|; nearest lists by ascending distance, ties by name",
     "the published description"),
    ("Bootstrap",
     "the prompts all models share are resampled with replacement (200 times by default) and every "
     "model's feature set is recomputed; a prompt drawn k times adds its counts k times but counts once "
     "in the prompt rules; the background is held fixed",
     "prompts are the independent units; the rules are meant to drop prompt-specific words, which a "
     "repeated draw must not let through"),
]

_HUMAN = [
    ("N-gram background",
     "the given human writing profile: over-use = (model count / model characters) / "
     "(human count / (texts x average length))",
     "the published description names a human writing profile; rates per character are what the "
     "author's related code uses"),
    ("N-grams missing from the human profile",
     "treated as infinitely over-used (no smoothing) and ranked among themselves by count, ahead of "
     "every listed n-gram",
     "the profile lists only the 200 most frequent human n-grams, so a missing one is rarer than all of "
     "them; the author's auto-antislop code treats absent n-grams the same way"),
]

_POOLED = [
    ("N-gram background",
     "no human profile was given: the other input models pooled (leave-one-out), over-use = "
     "(model count / model characters) / ((pooled count + 0.5) / pooled characters)",
     "stylesim downloads nothing and has no hidden data path; a pooled background is computed offline "
     "and is blind to which models are related. It is not the published method: pass --human-profile "
     "to reproduce the published figure"),
]


def choices(background_kind: str, n_prompts: int | None = None, grouped: bool = True) -> list[dict[str, str]]:
    """Every open decision with what was chosen and a one-line why. ``n_prompts`` and ``grouped``
    (whether the outputs declare prompt groups, as EQ-Bench pages do) describe the inputs' unit."""
    specific = _HUMAN if background_kind == "human" else _POOLED
    rows = _COMMON[:8] + specific + _COMMON[8:]
    if not grouped:  # not EQ-Bench pages: the unit is the prompt id, and the row says so
        count = f" ({n_prompts} prompts)" if n_prompts else ""
        rows = [("What counts as a prompt", f"the prompt id{count}; several samples of one prompt count as one prompt",
                 "the prompt rules are meant to drop words that belong to one prompt")
                if choice == "What counts as a prompt" else (choice, chosen, why) for choice, chosen, why in rows]
    return [{"choice": c, "chosen": chosen, "why": why} for c, chosen, why in rows]


def _fmt(value: Any, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}".replace("-", "\u2212")  # a true minus, as in verdicts


def verdict(data: dict[str, Any]) -> dict[str, Any]:
    """Headline, details and caveats for a reproduce-eqbench result."""
    rep = data["reproduced"]
    pub = data["published"]
    a, b = rep["pair"]
    ci = rep.get("ci")
    level = round(100 * float(ci.get("level") or 0.95)) if ci else 95
    ci_text = "" if not ci else f" ({level}% prompt-bootstrap CI {_fmt(ci['low'])} to {_fmt(ci['high'])})"
    mutual = "are" if rep["mutual"] else "are not"
    published_pair = rep.get("why_this_pair") == "the published pair"
    if published_pair:
        headline = (
            f"Recomputed Jaccard distance between {a} and {b}: {_fmt(rep['distance'])}{ci_text}, against "
            f"the published {pub['distance']:.3f}; they {mutual} each other's nearest neighbour "
            f"(published: {'yes' if pub['mutual'] else 'no'})."
        )
    else:
        # Another pair's distance says nothing about the published figure: no comparison with it.
        headline = (
            f"The published pair is not among these inputs, so the published {pub['distance']:.3f} is not "
            f"reproduced. Shown instead, {rep.get('why_this_pair', 'another pair')}: {a} and {b}, Jaccard "
            f"distance {_fmt(rep['distance'])}{ci_text}; they {mutual} each other's nearest neighbour."
        )
    details = []
    if data["background"]["kind"] != "human":
        details.append("No human profile was given, so n-grams were ranked against the pooled other "
                       "models; the published figure used a human writing profile.")
    boot = rep.get("bootstrap")
    if boot:
        # The published figure and the reproduction come from the same outputs: their gap is one of
        # method details, which prompt resampling says nothing about (no inside/outside the interval).
        details.append(
            f"Across {boot['n_resamples']} prompt resamples the pair stayed mutual nearest neighbours in "
            f"{100 * boot['mutual_share']:.0f}% of them"
            + (f"; the published {pub['distance']:.3f} was computed on these same outputs, so its gap from "
               f"{_fmt(rep['distance'])} is a difference of method details, not of prompt sampling."
               if published_pair else ".")
        )
        picked = boot.get("ci_allowing_pick") or [None, None]
        if picked[0] is not None and picked[1] is not None:
            details.append(f"{b} was picked as {a}'s nearest on these outputs; allowing for that (an interval "
                           f"simultaneous over all of {a}'s distances), the {level}% interval is {_fmt(picked[0])} "
                           f"to {_fmt(picked[1])}.")
    cal = data.get("calibrated")
    if cal:
        details.append("Calibrated view (stylesim.compare on the same outputs): " + cal["verdict"]["headline"])
        details.extend(selection_notes(cal, rep))
    details.append("A Jaccard distance between top-200 lists has no reference scale or null model by "
                   "itself: how close is 'close' depends on the pool of models compared.")
    return {"headline": headline, "details": details, "caveats": list(CAVEATS)}


def selection_notes(cal: dict[str, Any], rep: dict[str, Any]) -> list[str]:
    """What the calibrated p-value cannot say: the pair was picked on these outputs, and how far
    ahead of the next model it is."""
    notes = [f"The pair was picked on these same outputs ({rep.get('why_this_pair', 'the pair shown')}), so the "
             "calibrated rank p-value is not that of a pair named before looking: it cannot confirm the "
             "choice that produced it."]
    agreement = cal.get("agreement") or {}
    picked = agreement.get("pvalue_above_background_if_picked")
    if picked is not None:
        permutations = (cal.get("parameters") or {}).get("permutations")
        floor = 1.0 / (permutations + 1) if permutations else None
        notes.append(f"Allowing for the pick, the sign-flip test of agreement above the background, taken as the "
                     f"best of every model compared with {isolate(cal['models']['a'])} (max-T), gives "
                     f"{_p(picked, floor)}.")
    ranked = [m for m in (cal.get("panel") or {}).get("models") or [] if m.get("t") is not None]
    if len(ranked) >= 2:
        first, second = ranked[0], ranked[1]
        notes.append(f"By studentised agreement the nearest model is at t = {_fmt(first['t'])}, and the next, "
                     f"{second['name']}, at t = {_fmt(second['t'])}.")
    return notes
