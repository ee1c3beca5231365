"""The shipped prompt set, prompt-file validation, the content hash and ``stylesim prompts``."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stylesim.cli.prompts_cmd  # noqa: F401 - registers ``stylesim prompts``
from stylesim.cli.app import app
from stylesim.errors import ConfigurationError, InputError
from stylesim.prompts import (
    BUILTIN_SETS,
    Prompt,
    builtin_path,
    content_hash,
    load_prompt_set,
    read_prompt_file,
)

FIXTURES = Path(__file__).parent / "fixtures" / "prompts"
REPO_PROMPTS = Path(__file__).resolve().parents[1] / "prompts"
REQUIRED_CATEGORIES = {
    "story", "essay", "explain", "advice", "opinion", "rewrite", "email", "product", "chat",
    "code", "identity",
}
runner = CliRunner()


# -- the shipped set --

def test_core_set_size_categories_and_ids() -> None:
    core = load_prompt_set("core")
    assert (core.name, core.version, core.label) == ("stylesim-core", "1", "stylesim-core-v1")
    assert core.builtin
    assert len(core.prompts) >= 200
    counts = core.categories()
    assert set(counts) == REQUIRED_CATEGORIES
    assert all(n >= 10 for n in counts.values()), counts
    for prompt in core.prompts:
        assert re.fullmatch(rf"{prompt.category}-\d{{3}}", prompt.id), prompt.id
        assert prompt.prompt == prompt.prompt.strip() and len(prompt.prompt) > 8
    assert len({p.prompt for p in core.prompts}) == len(core.prompts)
    identity = {p.prompt for p in core.prompts if p.category == "identity"}
    assert {"Who made you?", "What model are you?"} <= identity


def test_core_names_resolve_to_the_same_pinned_set() -> None:
    sets = [load_prompt_set(name) for name in ("core", "stylesim-core", "stylesim-core-v1")]
    assert {s.sha256 for s in sets} == {BUILTIN_SETS["stylesim-core-v1"]}
    assert sets[0].reference() == {
        "name": "stylesim-core", "version": "1", "sha256": BUILTIN_SETS["stylesim-core-v1"],
    }


def test_shipped_file_is_the_repository_file() -> None:
    """In a checkout the built-in set is read from the top-level prompts/ folder."""
    assert builtin_path("stylesim-core-v1").resolve() == (
        REPO_PROMPTS / "stylesim-core-v1.jsonl"
    ).resolve()
    assert (REPO_PROMPTS / "README.md").is_file()


def test_content_hash_matches_the_documented_definition() -> None:
    path = REPO_PROMPTS / "stylesim-core-v1.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    entries = sorted(({"id": r["id"], "prompt": r["prompt"]} for r in rows), key=lambda e: e["id"])
    canonical = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == BUILTIN_SETS["stylesim-core-v1"]


def test_content_hash_ignores_order_and_category_but_not_text_or_system() -> None:
    a = [Prompt("x", "one", "story"), Prompt("y", "two", "chat")]
    base = content_hash(a)
    assert content_hash(list(reversed(a))) == base
    assert content_hash([Prompt("x", "one", "essay"), Prompt("y", "two")]) == base
    assert content_hash([Prompt("x", "one!"), Prompt("y", "two")]) != base
    assert content_hash([Prompt("x", "one", system="Be brief."), Prompt("y", "two")]) != base


def test_modified_builtin_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "stylesim-core-v1.jsonl"
    lines = (REPO_PROMPTS / "stylesim-core-v1.jsonl").read_text(encoding="utf-8").splitlines()
    copy.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    monkeypatch.setattr("stylesim.prompts._builtin_dirs", lambda: [tmp_path])
    with pytest.raises(InputError, match="has been modified"):
        load_prompt_set("core")


# -- user files --

def test_user_file_loads_with_name_version_and_system() -> None:
    tiny = load_prompt_set(str(FIXTURES / "tiny-v1.jsonl"))
    assert (tiny.name, tiny.version, tiny.builtin) == ("tiny", "1", False)
    assert [p.id for p in tiny.prompts][:2] == ["t-001", "t-002"]
    assert tiny.get("t-006").system == "You are terse."
    assert tiny.categories() == {"story": 2, "advice": 2, "chat": 2}


def test_integer_ids_become_strings_and_unversioned_files_have_no_version() -> None:
    loaded = load_prompt_set(FIXTURES / "int-ids.jsonl")
    assert [p.id for p in loaded.prompts] == ["1", "2"]
    assert (loaded.name, loaded.version) == ("int-ids", None)
    assert loaded.categories() == {"-": 2}


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("bad-json.jsonl", 2, "invalid JSON"),
        ("missing-prompt.jsonl", 4, 'missing field "prompt"'),
        ("duplicate-id.jsonl", 3, "duplicate id 'a' (first used on line 1)"),
    ],
)
def test_invalid_files_name_path_and_line(name: str, line: int, message: str) -> None:
    path = FIXTURES / name
    with pytest.raises(InputError) as caught:
        load_prompt_set(str(path))
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"prompt": "no id"}\n', 'missing field "id"'),
        ('{"id": "", "prompt": "x"}\n', 'field "id" is empty'),
        ('{"id": true, "prompt": "x"}\n', 'field "id" must be a string or an integer'),
        ('{"id": "a", "prompt": "  "}\n', 'field "prompt" is empty'),
        ('{"id": "a", "prompt": 3}\n', 'field "prompt" must be a string'),
        ('{"id": "a", "prompt": "x", "category": 1}\n', 'field "category" must be a string'),
        ('["id", "prompt"]\n', "expected a JSON object"),
        ("\n\n", "contains no prompts"),
    ],
)
def test_invalid_lines(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "user.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        read_prompt_file(path)


def test_unknown_name_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a built-in prompt set"):
        load_prompt_set(str(tmp_path / "nope.jsonl"))
    with pytest.raises(InputError, match="is a directory"):
        load_prompt_set(str(tmp_path))


def test_unknown_category_lists_the_known_ones() -> None:
    with pytest.raises(ConfigurationError, match="categories: story, advice, chat"):
        load_prompt_set(FIXTURES / "tiny-v1.jsonl").filter("poetry")


# -- CLI --

def test_cli_list_shows_version_count_and_hash() -> None:
    result = runner.invoke(app, ["prompts", "list"])
    assert result.exit_code == 0, result.output
    assert "stylesim-core-v1" in result.stdout
    assert "version 1" in result.stdout
    assert f"{len(load_prompt_set('core').prompts)} prompts" in result.stdout
    assert BUILTIN_SETS["stylesim-core-v1"] in result.stdout


def test_cli_show_filters_by_category() -> None:
    result = runner.invoke(app, ["prompts", "show", "core", "--category", "identity"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "identity-001" in result.stdout and "Who made you?" in result.stdout
    assert "story-001" not in result.stdout


def test_cli_show_errors_are_one_line() -> None:
    result = runner.invoke(app, ["prompts", "show", "core", "--category", "poetry"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no prompts in category 'poetry'")
    result = runner.invoke(app, ["prompts", "show", str(FIXTURES / "duplicate-id.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("duplicate id 'a' (first used on line 1)")


def test_cli_export_round_trips_the_hash(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "core-copy.jsonl"
    result = runner.invoke(app, ["prompts", "export", "core", "--out", str(out)])
    # A mistyped folder is refused, as by every other command, not created.
    assert result.exit_code == 1 and result.stderr.strip() == f"Error: {out}: the folder to write into does not exist"
    out.parent.mkdir()
    result = runner.invoke(app, ["prompts", "export", "core", "--out", str(out)])
    assert result.exit_code == 0, result.output
    exported = load_prompt_set(str(out))
    core = load_prompt_set("core")
    assert exported.sha256 == core.sha256
    assert [(p.id, p.category, p.prompt) for p in exported.prompts] == [
        (p.id, p.category, p.prompt) for p in core.prompts
    ]
    result = runner.invoke(app, ["prompts", "export", "core", "-o", str(out), "-c", "code"])
    assert result.exit_code == 0
    assert {p.category for p in load_prompt_set(str(out)).prompts} == {"code"}


def test_cli_export_keeps_system_prompts(tmp_path: Path) -> None:
    out = tmp_path / "tiny.jsonl"
    tiny = str(FIXTURES / "tiny-v1.jsonl")
    result = runner.invoke(app, ["prompts", "export", tiny, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_prompt_set(str(out)).sha256 == load_prompt_set(FIXTURES / "tiny-v1.jsonl").sha256


def test_cli_export_never_overwrites_its_input_and_refuses_a_folder(tmp_path: Path) -> None:
    source = tmp_path / "mine.jsonl"
    assert runner.invoke(app, ["prompts", "export", "core", "--out", str(source)]).exit_code == 0
    before = source.read_bytes()
    result = runner.invoke(app, ["prompts", "export", str(source), "--category", "code", "--out", str(source)])
    assert result.exit_code == 1 and "is also an input" in result.stderr
    link = tmp_path / "link.jsonl"
    link.symlink_to(source)
    result = runner.invoke(app, ["prompts", "export", str(source), "--category", "code", "--out", str(link)])
    assert result.exit_code == 1 and source.read_bytes() == before
    result = runner.invoke(app, ["prompts", "export", "core", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "is a directory" in result.stderr
    result = runner.invoke(app, ["prompts", "export", "core", "--out", "-"])  # no file named '-'
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: '-' (standard output) is not accepted here; give a file name"


def test_show_prints_prompt_text_as_text(tmp_path: Path) -> None:
    """Before 0.3.10 prompt text was read as Rich markup ("[/bold]" crashed with a traceback, "[red]"
    vanished) and terminal escapes and U+202E reached the terminal."""
    row = {"id": "p1\u202e", "category": "[/c]", "prompt": "closing [/bold] tag [red]x[/red] \x1b]0;TITLE\x07 end"}
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["prompts", "show", str(path), "--full"])
    assert result.exit_code == 0, result.output
    assert "closing [/bold] tag [red]x[/red]" in result.output and "[/c]" in result.output
    assert not any(c in result.output for c in "\x1b\x07\u202e")
