"""analysis.core.errors: the one exception for bad input, and the location its
message starts with (file, row, key, then the reason)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.core.errors import InputError, where


def test_where_names_the_file_then_the_row_then_the_key():
    assert where(Path("data/raw/claims.csv"), 7, "claim c07") == "data/raw/claims.csv, row 7 (claim c07)"


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("a.csv",), "a.csv"),
        (("a.csv", 0), "a.csv, row 0"),  # row 0 is a row
        (("a.csv", None, "c1"), "a.csv (c1)"),
        (("a.csv", 3, ""), "a.csv, row 3"),  # an empty key is left out
    ],
)
def test_where_leaves_out_what_it_is_not_given(args, text):
    assert where(*args) == text


def test_an_input_error_is_its_own_kind_of_error():
    """The CLI prints an InputError as one line; a ValueError or an OSError caught elsewhere must not swallow one."""
    message = f"{where('claims.csv', 2, 'c1')}: duplicate claim_id"
    with pytest.raises(InputError) as raised:
        raise InputError(message)
    assert str(raised.value) == "claims.csv, row 2 (c1): duplicate claim_id"
    assert not issubclass(InputError, (ValueError, OSError, KeyError)) and issubclass(InputError, Exception)
