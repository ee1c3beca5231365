"""Plain view-model building blocks shared by every report kind.

Everything here is already formatted text or numbers; templates only place it. Text that came
from the inputs (model names, prompts, answers, phrases, paths) stays plain ``str`` and is
escaped by the template engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .charts import MiniCi


@dataclass
class Column:
    label: str
    num: bool = False
    title: str = ""
    name: bool = False  # the label is a user-supplied name: it may wrap anywhere, a fixed label never mid-word


@dataclass
class Cell:
    text: str = ""
    sort: str = ""  # machine-readable sort value (data-sort); empty: sort by the text
    sub: str = ""  # a second, smaller line
    num: bool = False
    head: bool = False  # a row header (<th scope="row">)
    ci: MiniCi | None = None
    bar: float | None = None  # width of a share bar, in user units of a 60-wide box
    strong: bool = False
    title: str = ""  # a tooltip: the original of a token shown with its emoji spelled out


@dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[list[Cell]]
    filter: bool = False
    sortable: bool = True
    empty: str = "Nothing to show."
    note: str = ""


@dataclass
class NavItem:
    anchor: str
    label: str


@dataclass
class Verdict:
    headline: str
    details: list[str]
    caveats: list[str]
    panel_note: str
    kicker: str  # one line above the headline ("Verdict for ...")


@dataclass
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass
class Snippet:
    """A keyword-in-context line: the left context, the match, the right context."""

    left: str
    match: str
    right: str
    prompt_id: str
    href: str = ""  # "#p-12" when the prompt is listed on the page


@dataclass
class SharedPhrase:
    phrase: str
    count_a: str
    count_b: str
    z_a: str
    z_b: str
    sort_count_a: str
    sort_count_b: str
    sort_z: str
    snippets_a: list[Snippet]
    snippets_b: list[Snippet]
    phrase_title: str = ""  # the phrase as written, when ``phrase`` spells out its emoji


@dataclass
class OwnPhrase:
    phrase: str
    count_own: str
    count_other: str
    z: str
    sort_count: str
    sort_z: str
    snippets: list[Snippet]
    phrase_title: str = ""


@dataclass
class OwnPhrases:
    id: str
    heading: str
    owner: str
    other: str
    rows: list[OwnPhrase]


@dataclass
class Phrases:
    id: str
    name_a: str
    name_b: str
    background: str
    shared: list[SharedPhrase]
    own: list[OwnPhrases]
    note: str = ""
    score_label: str = "z"  # what the shared rows' score is: log-odds z, or over-use against general English
    score_title: str = ""


@dataclass
class IdentityExample:
    prompt_id: str
    claims: str
    text: str
    href: str = ""


@dataclass
class IdentityCard:
    name: str
    statements: str
    claims: list[str]
    examples: list[IdentityExample]


@dataclass
class Example:
    prompt_id: str
    text: str


@dataclass
class ExampleGroup:
    name: str
    label: str
    examples: list[Example]
    total: int = 0  # how many there were in all (the examples are the first few)

    @property
    def count_label(self) -> str:
        shown = len(self.examples)
        return f"{shown} of {self.total} shown" if self.total > shown else str(shown)


@dataclass
class DataSection:
    inputs: Table
    coverage: Table
    coverage_note: str
    hygiene: Table
    hygiene_examples: list[ExampleGroup]
    parameters: Table
    definition: str


@dataclass
class Footer:
    version: str
    renderer: str
    created: str
    caveat: str


@dataclass
class Header:
    title: str
    heading: str
    kicker: str
    meta: list[str] = field(default_factory=list)
