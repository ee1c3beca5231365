"""Cleaning model outputs before features see them, and counting what was cleaned.

Every step is reported in the result, never silent: reasoning blocks stripped, Unicode NFC,
empty outputs dropped, truncated outputs and refusals flagged, and self-identification
("I am ChatGPT", "developed by DeepSeek") masked for style features but kept as identity evidence
(found by :mod:`stylesim.identity`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

# Reasoning blocks that some models emit before the answer. An unclosed block at the start
# (a truncated reasoning trace) is removed to the end of the text.
_REASONING_TAGS = ("think", "thinking", "reasoning", "thought", "reflection", "scratchpad")
_REASONING_BLOCK = re.compile(
    r"<(?P<tag>" + "|".join(_REASONING_TAGS) + r")>.*?</(?P=tag)>\s*", re.IGNORECASE | re.DOTALL
)
_REASONING_UNCLOSED = re.compile(
    r"^\s*<(?:" + "|".join(_REASONING_TAGS) + r")>(?!.*</).*\Z", re.IGNORECASE | re.DOTALL
)
# A closing tag with no opening one: some APIs drop the opening "<think>".
_REASONING_ORPHAN_CLOSE = re.compile(
    r"\A.*?</(?:" + "|".join(_REASONING_TAGS) + r")>\s*", re.IGNORECASE | re.DOTALL
)

_REFUSAL = re.compile(
    r"^\W*(?:I(?:'m| am) (?:sorry|afraid)[^.!?\n]{0,80}?\b(?:can(?:no|')t|unable|won't|not able)"
    r"|I (?:can(?:no|')t|won't|am unable to|am not able to|must decline to)"
    # "help" and "assist" only as an offer declined ("help with", "help you", "help."), not as in
    # "I can't help but notice" or a lyric's "I cannot help the way I feel" (0.3.16).
    r" (?:(?:help|assist)(?=\s+(?:with|you|in|on|that|this|here)\b|\s*[.!,;]|\s*$)"
    r"|provide|comply|fulfil|fulfill|create|write|do|generate|engage)"
    r"|(?:Sorry|Unfortunately),? (?:but )?I (?:can(?:no|')t|won't|am unable))",
    re.IGNORECASE,
)

# Names of models and vendors. Used both to mask style features and to find identity claims.
VENDOR_NAMES: dict[str, str] = {
    # surface form (regex) -> canonical name
    r"chat\s?gpt": "ChatGPT",
    r"gpt-?[345](?:\.\d)?(?:-?(?:turbo|o|mini|nano))?": "GPT",
    r"open\s?ai": "OpenAI",
    r"claude": "Claude",
    r"anthropic": "Anthropic",
    r"gemini": "Gemini",
    r"bard": "Bard",
    r"gemma": "Gemma",
    r"google(?: deepmind)?": "Google",
    r"deep\s?mind": "DeepMind",
    r"deep\s?seek": "DeepSeek",
    r"llama": "Llama",
    r"meta(?: ai)?": "Meta",
    r"mistral(?: ai)?": "Mistral",
    r"mixtral": "Mistral",
    r"qwen|tongyi": "Qwen",
    r"alibaba(?: cloud)?": "Alibaba",
    r"kimi": "Kimi",
    r"moonshot(?: ai)?": "Moonshot",
    r"glm|chatglm|zhipu(?: ai)?": "Zhipu",
    r"ernie|baidu": "Baidu",
    r"grok|xai|x\.ai": "xAI",
    r"cohere|command[- ]r": "Cohere",
    r"phi-?\d": "Phi",
    r"microsoft": "Microsoft",
    r"vicuna": "Vicuna",
    r"lmsys|large model systems organi[sz]ation": "LMSYS",  # Vicuna: "developed by Large Model Systems Organization"
    r"yi-|01\.ai": "01.AI",
    r"hermes|nous research": "Nous",
    r"starling|openchat": "OpenChat",
    r"zephyr|hugging\s?face": "HuggingFace",
}
_NAME_ALTERNATION = "|".join(f"(?:{pattern})" for pattern in VENDOR_NAMES)
# The lookahead (every name starts with a letter or digit) lets the engine skip most positions
# before trying the alternation: twice as fast, same matches.
_NAME = re.compile(r"\b(?=[a-z0-9])(?:" + _NAME_ALTERNATION + r")\b", re.IGNORECASE)
IDENTITY_MASK = "MODELNAME"


@dataclass
class HygieneReport:
    """What cleaning did to one corpus."""

    records_read: int = 0
    kept: int = 0
    empty_dropped: int = 0
    reasoning_stripped: int = 0
    truncated: int = 0
    refusals: int = 0
    identity_statements: int = 0
    names_masked: int = 0
    duplicates_renumbered: int = 0
    over_long_cut: int = 0
    prompts_answered: int = 0
    same_text_other_prompts: int = 0  # prompts whose every answer is word for word one to another prompt
    same_text_example: str = ""
    identity_claims: Counter[str] = field(default_factory=Counter)
    identity_examples: list[dict[str, str]] = field(default_factory=list)
    refusal_examples: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "records_read": self.records_read,
            "kept": self.kept,
            "empty_dropped": self.empty_dropped,
            "reasoning_stripped": self.reasoning_stripped,
            "truncated": self.truncated,
            "refusals": self.refusals,
            "identity_statements": self.identity_statements,
            "names_masked": self.names_masked,
            "duplicates_renumbered": self.duplicates_renumbered,
            "over_long_cut": self.over_long_cut,
            "prompts_answered": self.prompts_answered,
            "same_text_other_prompts": self.same_text_other_prompts,
            "same_text_example": self.same_text_example[:240],
            "identity_claims": dict(self.identity_claims.most_common()),
            "identity_examples": list(self.identity_examples),
            "refusal_examples": list(self.refusal_examples),
        }


def canonical_name(surface: str) -> str:
    """The canonical vendor/model name for a matched surface form."""
    for pattern, name in VENDOR_NAMES.items():
        if re.fullmatch(pattern, surface, re.IGNORECASE):
            return name
    return surface


def strip_reasoning(text: str) -> tuple[str, bool]:
    """Remove reasoning blocks; return the text and whether anything was removed."""
    stripped = _REASONING_BLOCK.sub("", text)
    stripped = _REASONING_UNCLOSED.sub("", stripped)
    if stripped == text and re.search(r"</(?:" + "|".join(_REASONING_TAGS) + r")>", text, re.IGNORECASE):
        stripped = _REASONING_ORPHAN_CLOSE.sub("", text, count=1)
    return stripped, stripped != text


# After an opening "cannot", a turn to content ("…, but here is", "Here's", "below") within the
# next sentence or two: a disclaimer before an answer ("I can't draw a table, but here is the
# data: …"), not a refusal, when the answer that follows is substantial.
_GOES_ON = re.compile(
    r"\A[^\n]{0,200}?\b(?:here(?:'s| is| are)|below|the following|as follows)\b", re.IGNORECASE)
_ANSWER_WORDS = 40


def is_refusal(text: str) -> bool:
    """Whether the output opens with a refusal and does not go on to answer.

    A pattern match: an opening "I'm sorry, I can't …" counts; the same opening followed within
    200 characters by a turn to content ("but here is", "below") and at least
    :data:`_ANSWER_WORDS` more words does not (a capability disclaimer before an answer).
    """
    match = _REFUSAL.search(text[:300])
    if not match:
        return False
    rest = text[match.end():]
    return not (_GOES_ON.search(rest) and len(rest.split()) >= _ANSWER_WORDS)


# Literal fragments, one of which every name pattern above contains: a cheap substring test
# skips the large regular expression for the many texts that mention no model or vendor.
_NAME_HINTS = (
    "gpt", "chat", "open", "claude", "anthropic", "gemini", "bard", "gemma", "google", "deep",
    "llama", "meta", "mistral", "mixtral", "qwen", "tongyi", "alibaba", "kimi", "moonshot", "glm",
    "zhipu", "ernie", "baidu", "grok", "xai", "x.ai", "cohere", "command", "phi", "microsoft",
    "vicuna", "lmsys", "large model sys", "yi-", "01.ai", "hermes", "nous", "starling", "zephyr", "hugging",
)


def mask_names(text: str, extra_names: list[str] | None = None, *, vendors: bool = True) -> tuple[str, int]:
    """Replace model and vendor names with a neutral token so style features ignore them: the known
    vendors and models (unless ``vendors`` is false, for a text already through this) and
    ``extra_names``."""
    count = 0
    lowered = text.lower()
    folded = text.casefold()
    masked = text
    if vendors and any(hint in lowered for hint in _NAME_HINTS):
        masked, count = _NAME.subn(IDENTITY_MASK, text)
    for name in extra_names or []:
        # The substring test skips the (uncached-pattern) search for the many texts without the name.
        if len(name) >= 3 and name.casefold() in folded:
            masked, n = re.subn(r"\b" + re.escape(name) + r"\b", IDENTITY_MASK, masked, flags=re.IGNORECASE)
            count += n
    return masked, count


def clean_response(text: str) -> tuple[str, bool]:
    """NFC-normalise and strip reasoning blocks; return the text and whether reasoning was removed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text, had_reasoning = strip_reasoning(text)
    return text.strip(), had_reasoning
