"""The one exception for bad input."""

__all__ = ["InputError", "where"]


class InputError(Exception):
    """Bad input. The message names the file, the row (where there is one) and
    the reason, in that order: ``data/raw/claims.csv, row 7 (claim c07): ...``."""


def where(path: object, row: int | None = None, key: str | None = None) -> str:
    """Format the location part of an InputError message."""
    text = str(path)
    if row is not None:
        text += f", row {row}"
    if key:
        text += f" ({key})"
    return text
