"""Every ``--help`` page reads like a Unix tool's: upper-case arguments, no Python types, flags
without a metavar, the allowed values of --format and --family, nothing cut mid-word, and worked
examples at the end."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from stylesim.cli import app
from stylesim.features import ALL_FAMILY_NAMES
from stylesim.formats import names as format_names

runner = CliRunner()
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _command_paths(group=None, prefix=()) -> list[tuple[str, ...]]:
    """Every command and group under the root, as the words that name it (the root is ())."""
    group = group or typer.main.get_command(app)
    paths = [prefix]
    for name, command in getattr(group, "commands", {}).items():
        paths += _command_paths(command, (*prefix, name)) if hasattr(command, "commands") else [(*prefix, name)]
    return paths


COMMANDS = _command_paths()


def help_page(*words: str) -> str:
    """The help page as a user sees it in an 80-column terminal, colours removed."""
    result = runner.invoke(app, [*words, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return ANSI.sub("", result.output)


def flat(page: str) -> str:
    """The page's words in order, with the boxes and the line breaks removed."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", page).split())


def test_every_command_is_checked() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {"compare", "attribute", "matrix", "report", "reproduce", "reproduce eqbench-similarity",
            "fetch", "prompts", "prompts export", "collect"} <= names


@pytest.mark.parametrize("words", COMMANDS, ids=lambda words: " ".join(words) or "stylesim")
def test_help_has_no_python_types_or_markup(words: tuple[str, ...]) -> None:
    page = help_page(*words)
    for leftover in ("<bool>", "<list[", "<path>", "<str>", "<int>", "<float>", "`"):
        assert leftover not in page, (leftover, page)
    assert not re.search(r"\{\w+\}", page), page  # typer's {a} {b} for required arguments
    assert "…" not in page, page  # rich cuts a word that does not fit its column
    # Flags take no value: nothing between the flag (and its short form) and its help.
    assert "--help Show this message and exit." in flat(page), page


@pytest.mark.parametrize("words", COMMANDS, ids=lambda words: " ".join(words) or "stylesim")
def test_help_ends_with_worked_examples(words: tuple[str, ...]) -> None:
    page = help_page(*words)
    assert "Examples:" in page, page
    examples = page[page.index("Examples:"):]
    assert "╰" not in examples, "the examples come last"
    commands = [line.strip() for line in examples.splitlines() if line.strip().startswith("stylesim ")]
    assert 1 <= len(commands) <= 2, examples
    for line in commands:
        assert line.startswith(" ".join(("stylesim", *words))), (line, words)  # an example of this command
        assert len(line) < 78, line  # whole on one line of an 80-column terminal


@pytest.mark.parametrize(("words", "usage"), [
    (("compare",), "stylesim compare [OPTIONS] A B"),
    (("attribute",), "stylesim attribute [OPTIONS] STUDENT CANDIDATES..."),
    (("matrix",), "stylesim matrix [OPTIONS] INPUTS..."),
    (("report",), "stylesim report [OPTIONS] RESULT_JSON"),
    (("reproduce", "eqbench-similarity"), "stylesim reproduce eqbench-similarity [OPTIONS] INPUTS..."),
    (("fetch",), "stylesim fetch [OPTIONS] [NAME]"),
    (("prompts", "show"), "stylesim prompts show [OPTIONS] NAME_OR_FILE"),
])
def test_arguments_are_upper_case(words: tuple[str, ...], usage: str) -> None:
    page = help_page(*words)
    assert re.search(rf"Usage: {re.escape(usage)} *\n", page), page


def test_options_show_meaningful_metavars() -> None:
    page = flat(help_page("compare"))
    for option in ("--panel FILE", "--base FILE", "--out FILE", "--json FILE", "--cache-dir DIR",
                   "--seed SEED", "--resamples N", "--permutations N", "--format FORMAT",
                   "--family FAMILY", "--embedding-model NAME"):
        name, metavar = option.split()
        assert re.search(rf"{name}( -\w)? {metavar} ", page), (option, page)
    for flag in ("--no-embeddings", "--quiet -q", "--verbose -v"):
        assert re.search(rf"{flag} [A-Z][a-z]", page), (flag, page)  # straight to the help text


@pytest.mark.parametrize("command", ["compare", "attribute", "matrix"])
def test_format_lists_its_values(command: str) -> None:
    page = flat(help_page(command))
    assert f"detecting it: {', '.join(format_names())}." in page, page


def test_family_lists_its_values() -> None:
    page = flat(help_page("compare"))
    assert f"families (repeat the option): {', '.join(ALL_FAMILY_NAMES)}." in page, page


def test_plain_help_without_rich_keeps_the_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    """With rich switched off, click's formatter must not re-wrap the examples into prose."""
    import typer.core

    monkeypatch.setattr(typer.core, "HAS_RICH", False)
    page = help_page("compare")
    assert "Usage: stylesim compare [OPTIONS] A B" in page
    assert "<bool>" not in page and "<list[" not in page and "{a}" not in page
    assert "\n    stylesim compare a.jsonl b.jsonl --no-embeddings --json -\n" in page, page
