"""Self-identification statements: a model saying what it is or who made it.

Only first-person statements of being an AI model or assistant, or of having been made or
trained by someone, count; quoted speech does not (dialogue in stories, quoted documents), nor
does a third party's product ("TypeScript, developed by Microsoft"), nor a narrator who is a
person ("I'm Makima, the warden's assistant", "I am the bird of Hermes"). The precision of these
rules is measured on a labelled set in tests/fixtures/identity/labelled.jsonl (written by the
stylesim team) and stated in docs/method.md.
"""

from __future__ import annotations

import re

from .hygiene import VENDOR_NAMES, canonical_name

_VENDOR = "|".join(f"(?:{pattern})" for pattern in VENDOR_NAMES)
# A proper name: one or two capitalised words (or a version like GPT-4, Qwen2.5), not a vendor match.
_PROPER = r"[A-Z][\w\-]*(?:\.\w+)*(?:[ -][A-Z0-9][\w\-]*(?:\.\w+)*)?"
# What makes a sentence about an AI system. "assistant" alone is not enough (a warden's assistant).
_AI_CUE = re.compile(
    r"(?:\bAI\b|\bA\.I\.|\bLLM\b|(?i:\bartificial intelligence\b|\blanguage model\b|\bchat ?bot\b"
    r"|\b(?:virtual|digital|AI) assistant\b|\bneural network\b))"
)
# Proper names are matched case-sensitively ("I'm excited" is no name); the rest is not.
_FIRST_PERSON_NAME = re.compile(
    r"\b(?i:I am|I'm|I’m|my name is|call me|I go by)\s+(?i:called\s+)?(?P<name>(?i:" + _VENDOR + r")\b|"
    + _PROPER + r")"
)
_MAKER_VERBS = r"(?:developed|created|trained|built|made|designed|programmed|fine-tuned|released)"
_FIRST_PERSON_MAKER = re.compile(
    r"\b(?:I(?i:'m|’m| am| was| have been|'ve been|’ve been)?|[Mm]e)\b[^.!?\n\"“”]{0,60}?\b(?i:" + _MAKER_VERBS
    + r" by\s+(?:the\s+)?(?:(?:team|researchers|engineers|people) (?:at|of)\s+)?)(?P<name>(?i:" + _VENDOR
    + r")\b|" + _PROPER + r")"
)
_AS_AN_AI_MADE_BY = re.compile(
    r"\b(?i:as an? (?:AI|artificial intelligence|(?:large )?language model|AI assistant|AI model))"
    r"[^.!?\n\"“”]{0,40}?\b(?i:" + _MAKER_VERBS + r" by\s+(?:the\s+)?)(?P<name>(?i:" + _VENDOR + r")\b|" + _PROPER + r")"
)
_VENDOR_MADE_ME = re.compile(
    r"\b(?P<name>" + _VENDOR + r")\b[^.!?\n\"“”]{0,30}?\b(?:developed|created|trained|built|made|designed) me\b"
    r"|\bmy (?:creators|developers|makers|training team)\b(?: are| at| from)?\s+(?:the\s+)?(?:team at\s+)?"
    r"(?P<name2>" + _VENDOR + r")\b",
    re.IGNORECASE,
)
# Names that identify a model product on their own ("I am ChatGPT."), without an AI cue.
_PRODUCT_NAMES = {"ChatGPT", "GPT", "DeepSeek", "Qwen", "Vicuna", "OpenAI", "Anthropic"}
_NOT_NAMES = {"a", "an", "the", "not", "just", "here", "happy", "glad", "sorry", "afraid", "unable", "always",
              "still", "so", "very", "really", "sure", "going", "trying", "looking", "writing", "also", "only"}
_QUOTED = re.compile(r"\"[^\"\n]{0,2000}\"|“[^”\n]{0,2000}”|«[^»\n]{0,2000}»")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence around text[start:end] (newline or '. ' boundaries)."""
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start), text.rfind("! ", 0, start),
               text.rfind("? ", 0, start), -1) + 1
    rights = [i for i in (text.find("\n", end), text.find(". ", end), text.find("! ", end), text.find("? ", end)) if i >= 0]
    return left, (min(rights) + 1 if rights else len(text))


def _is_vendor(name: str) -> bool:
    return canonical_name(name) != name or any(re.fullmatch(p, name, re.IGNORECASE) for p in VENDOR_NAMES)


# Every pattern above contains one of these literal fragments (compared case-folded): texts
# without any of them, most texts, skip the patterns.
_HINTS = tuple(f"{verb} by" for verb in _MAKER_VERBS.strip("(?:)").split("|")) + (
    "i am", "i'm", "i’m", "my name is", "call me", "i go by", "made me", "developed me", "created me",
    "trained me", "built me", "designed me", "my creators", "my developers", "my makers", "my training team",
)


def find_identity_statements(text: str) -> list[tuple[str, str]]:
    """First-person self-identification statements as ``(canonical name, sentence excerpt)`` pairs."""
    folded = text.casefold()
    if not any(hint in folded for hint in _HINTS):
        return []
    quoted = [match.span() for match in _QUOTED.finditer(text)]

    def inside_quotes(position: int) -> bool:
        return any(low < position < high for low, high in quoted)

    found: dict[int, tuple[str, str]] = {}
    for pattern, needs_cue_for_other_names in ((_FIRST_PERSON_NAME, True), (_FIRST_PERSON_MAKER, True),
                                                (_AS_AN_AI_MADE_BY, False), (_VENDOR_MADE_ME, False)):
        for match in pattern.finditer(text):
            group = "name" if "name" in match.groupdict() and match.group("name") is not None else "name2"
            name = match.group(group).rstrip(".,;:")
            position = match.start(group)
            if position in found or inside_quotes(match.start()) or name.lower() in _NOT_NAMES:
                continue
            left, right = _sentence(text, match.start(), match.end())
            sentence = text[left:right]
            canonical = canonical_name(name)
            vendor = _is_vendor(name)
            # The cue may sit in the next sentence: "I am Claude. I'm an AI assistant, ..."
            has_cue = bool(_AI_CUE.search(text[left : min(len(text), right + 120)]))
            if pattern is _FIRST_PERSON_NAME:
                # "I'm Claude" alone could be a character; an AI cue or a product name is needed.
                if not (has_cue or canonical in _PRODUCT_NAMES):
                    continue
            elif pattern is _FIRST_PERSON_MAKER and not vendor and needs_cue_for_other_names and not has_cue:
                continue  # "I was trained by Master Chen"
            found[position] = (canonical, sentence.strip()[:240])
    return [found[position] for position in sorted(found)]
