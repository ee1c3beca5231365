"""Command-line interface: ``stylesim COMMAND``. Each module registers its commands on ``app``."""

from __future__ import annotations

# Command modules register themselves on import.
from . import collect_cmd, compare_cmd, prompts_cmd  # noqa: F401
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
