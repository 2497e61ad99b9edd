"""Reading the processed tables (``data/processed/*.csv``) with the dtypes their schemas declare."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from analysis.core.files import restore_formula_cell
from analysis.core.memo import file_key, remembered

if TYPE_CHECKING:  # pandas is imported where a table is read
    import pandas as pd

__all__ = ["read_processed"]

#: Processed tables already read in this process, by path and file state (:func:`read_processed`;
#: the processed folder has about a dozen, a test's folders add more).
_READ: dict[tuple[str, int, int, int], pd.DataFrame] = {}


def read_processed(name: str, processed_dir: Path) -> pd.DataFrame:
    """Read one table of ``data/processed`` (``name`` without ``.csv``): text
    columns as strings with empty cells as missing, every other column in the
    dtype its schema declares (:mod:`analysis.metadata.schemas`).

    A file is parsed once per process while its inode, size and modification
    time stay the same (every write replaces the file, so a rewrite is a new
    inode), and each caller gets its own copy: one report reads the claims
    table some fifty times, and a warm kernel serves several reports."""
    from analysis.core.paths import resolve_folder

    path = resolve_folder(processed_dir) / f"{name}.csv"  # "../data/processed" works from any working folder
    key = file_key(path)
    if key is None:
        raise FileNotFoundError(f"{path}: not found; run `make data` first")
    return remembered(_READ, key, lambda: _parse_processed(name, path)).copy()


def _parse_processed(name: str, path: Path) -> pd.DataFrame:
    import pandas as pd

    from analysis.metadata.schemas import read_dtypes

    header = pd.read_csv(path, nrows=0).columns
    table = pd.read_csv(path, dtype={c: t for c, t in read_dtypes(name).items() if c in header})
    text_columns = [column for column in table.columns if table[column].dtype == object or pd.api.types.is_string_dtype(table[column])]
    return table.assign(**{column: table[column].map(restore_formula_cell) for column in text_columns}) if text_columns else table
