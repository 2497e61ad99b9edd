"""The chips the figures name by role: each a row of the spec table."""

from __future__ import annotations

import pytest

from analysis.core import paths
from analysis.core.errors import InputError
from analysis.metadata import chips
from analysis.metadata.processed import read_processed


def test_every_role_is_a_row_of_the_shipped_spec_table():
    table = read_processed("chip_specs", paths.PROCESSED).set_index("chip")
    assert set(chips.NAMED) <= set(table.index)
    # The reference of H100-equivalents has the TPP every other chip is divided by.
    assert table.at[chips.REFERENCE, "tpp"] == pytest.approx(15_832)
    assert table.at[chips.IMPORTED, "tpp"] == pytest.approx(15_832)  # the H200 is one H100-equivalent by TPP


def test_a_spec_table_without_a_role_chip_is_refused_naming_it():
    chips.check_in_specs([chips.IMPORTED, chips.PREVIOUS, chips.REFERENCE, chips.DOMESTIC, "B200"])
    with pytest.raises(InputError) as refused:
        chips.check_in_specs([chips.IMPORTED, chips.PREVIOUS, chips.REFERENCE], "raw/chip_specs.csv")
    assert str(refused.value).startswith("raw/chip_specs.csv: no row for 'Ascend 910C'")


def test_the_data_build_refuses_a_spec_table_without_the_reference_chip(tmp_path):
    from helpers import copy_raw

    from analysis.evidence.specs import read_specs

    raw = copy_raw(tmp_path)
    path = raw / "chip_specs.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("H100 SXM,")), encoding="utf-8")
    with pytest.raises(InputError, match=r"chip_specs.csv: no row for 'H100 SXM'"):
        read_specs(raw)
