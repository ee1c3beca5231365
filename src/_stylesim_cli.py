"""The ``stylesim`` console script: imports the CLI under a Ctrl-C handler.

The package (numpy, scipy and the command modules) takes about half a second to import, and an
interrupt during that time would show Python's traceback before the CLI's own handling
(``cli._common.user_errors``) exists. This module lives outside the ``stylesim`` package because
importing anything inside it runs that import first.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from stylesim.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        raise SystemExit(130) from None
    run()
