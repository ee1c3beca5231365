"""Environment variables that must be looked at before the numerical libraries are imported."""

from __future__ import annotations

import os

from .errors import ConfigurationError

# A SOURCE_DATE_EPOCH that is not whole seconds, set aside by set_aside_bad_source_date_epoch().
_bad_epoch: str | None = None


def set_aside_bad_source_date_epoch() -> None:
    """Remove a malformed SOURCE_DATE_EPOCH from the environment and remember it.

    scipy reads the variable as an integer when it is imported and raises a ValueError (a
    traceback before stylesim's CLI can say anything) on any other value. stylesim reads it too,
    to stamp results (:func:`stylesim.result.created_timestamp`); :func:`check_source_date_epoch`
    reports the set-aside value as one line. An empty value counts as unset.
    """
    global _bad_epoch
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or epoch_seconds(value) is not None:
        return
    del os.environ["SOURCE_DATE_EPOCH"]
    if value.strip():
        _bad_epoch = value


def epoch_seconds(value: str) -> int | None:
    """Whole seconds since 1970 from an ASCII-digit string (surrounding spaces allowed) that a
    date can be made of (up to the year 9999), else None."""
    import datetime as _dt

    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return None
    try:
        _dt.datetime.fromtimestamp(int(value), _dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return int(value)


def check_source_date_epoch() -> None:
    """Raise ConfigurationError when SOURCE_DATE_EPOCH was set, at import (then set aside) or
    since, to something other than whole seconds that make a date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    bad = _bad_epoch if _bad_epoch is not None else (value if value.strip() and epoch_seconds(value) is None
                                                     else None)
    if bad is not None:
        raise ConfigurationError(
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970, up to the year 9999 (got {bad!r}); "
            "unset it or fix it")


# On import: stylesim/__init__.py imports this module before anything that imports scipy.
set_aside_bad_source_date_epoch()
