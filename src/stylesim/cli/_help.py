"""Help pages that read like a Unix tool's.

typer 0.29 labels every parameter with its Python type: arguments as ``{a}`` in the usage line
with a ``<path>`` type beside them, options as ``<list[Path]>`` or ``<str>``, and every flag
(its own ``--help`` included) as ``<bool>``. Commands built with :class:`HelpCommand` (and groups
with :class:`HelpGroup`) show instead:

- arguments in upper case, with no type: ``A B``, ``INPUTS...``, ``[NAME]`` when optional;
- flags with no metavar at all;
- options with their ``metavar=`` (FILE, DIR, N, ...), or click's plain type names (TEXT,
  INTEGER, FLOAT, PATH) where a parameter sets none.

typer builds its parameter objects itself and takes no per-parameter class, so the command swaps
each one for a subclass that only changes how it is displayed (parsing is untouched). Epilogs
written with :func:`examples` keep their line breaks and indentation, with or without rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.markup import escape
from typer import _click
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

# Shown for an option that sets no metavar (click's names for the same types).
_TYPE_METAVARS = {"int": "INTEGER", "float": "FLOAT", "str": "TEXT", "Path": "PATH"}


class _Argument(TyperArgument):
    """An argument shown as ``NAME`` (its metavar, else its name in upper case), with no type."""

    @property
    def display_name_raw(self) -> str:
        return self.metavar or self.name.upper()

    def _usage_display_name(self) -> str:
        name = self.display_name_raw + ("..." if self.nargs != 1 else "")
        return name if self.required else f"[{name}]"

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        return None


class _Option(TyperOption):
    """A flag shown with no metavar; an option with its metavar or a plain type name."""

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        annotation = self.type_descriptor.annotation
        inner = getattr(annotation, "__args__", None) if self.multiple else None
        name = getattr(inner[0] if inner else annotation, "__name__", "")
        return _TYPE_METAVARS.get(name, "VALUE")


def _tidy(param: _click.Parameter | None) -> None:
    if type(param) is TyperArgument:
        param.__class__ = _Argument
    elif type(param) is TyperOption:
        param.__class__ = _Option


def _write_epilog(command: _click.Command, formatter: _click.HelpFormatter) -> None:
    """The epilog line by line (click's plain formatter would re-wrap the examples)."""
    if command.epilog:
        formatter.write_paragraph()
        for line in command.epilog.strip("\n").splitlines():
            formatter.write(f"{'':>{formatter.current_indent + 2}}{line}\n" if line else "\n")


class _UnixHelp:
    """Mixin for typer's command and group classes (see the module docstring)."""

    params: list[_click.Parameter]

    def _tidy_params(self) -> None:
        for param in self.params:
            _tidy(param)

    def get_help_option(self, ctx: _click.Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        _tidy(option)
        return option

    def format_epilog(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        _write_epilog(self, formatter)  # type: ignore[arg-type]


class HelpCommand(_UnixHelp, TyperCommand):
    """A command whose ``--help`` reads like a Unix tool's; pass as ``cls=`` to ``app.command``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tidy_params()


class HelpGroup(_UnixHelp, TyperGroup):
    """A command group whose ``--help`` reads like a Unix tool's; pass as ``cls=`` to ``Typer``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tidy_params()


def examples(*items: tuple[str, str | Sequence[str]]) -> str:
    """An epilog of worked examples: what each one does, then the command, indented.

    A command given as several lines is continued with backslashes, as in a shell. The text is
    escaped for rich markup, and the unindented description lines keep typer's dedent from
    stripping the commands' indentation.
    """
    lines = ["Examples:"]
    for what, command in items:
        parts = [escape(part) for part in ([command] if isinstance(command, str) else command)]
        lines += ["", escape(what), "  " + " \\\n      ".join(parts)]
    return "\n".join(lines)
