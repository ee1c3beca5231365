"""Command-line interface: ``stylesim COMMAND``. Each module registers its commands on ``app``."""

from __future__ import annotations

# Command modules register themselves on import.
from . import (  # noqa: F401
    collect_cmd,
    compare_cmd,
    fetch_cmd,
    matrix_cmd,
    prompts_cmd,
    report_cmd,
    reproduce_cmd,
)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
