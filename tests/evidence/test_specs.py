"""Specs: H100/H20 equivalents from the spec table, fact-check rules and their verdicts, bad spec rows."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import copy_raw, replace_in_file

from analysis.core.errors import InputError
from analysis.evidence import specs


def test_spec_equivalents_from_the_table():
    table = specs.make_table_specs(specs.read_specs()).set_index("chip")
    # Hand computed from facts.md: 989.5 / 989.4 and 989.5 / 148.
    assert table.at["H200 SXM", "h100_equiv_bf16"] == pytest.approx(1.000101, rel=1e-6)
    assert table.at["H200 SXM", "h20_equiv_bf16"] == pytest.approx(6.685811, rel=1e-6)
    assert table.at["Ascend 910C", "h100_equiv_bf16"] == pytest.approx(752 / 989.4)
    assert specs.ratio(table.reset_index(), "H200 SXM", "H20", "memory_bandwidth_tbps") == pytest.approx(1.2)


def test_tpp_agrees_with_the_dense_rates_of_every_chip():
    """Issue 19, correction 2: TPP = dense TFLOPS x bit length (ECCN 3A090), so a row whose BF16 (x 16)
    or FP8 (x 8) disagrees with its TPP carries a wrong figure: the Ascend 910C's 800 TFLOPS against
    12,032 / 16 = 752 did."""
    table = specs.read_specs()
    for row in table.itertuples():
        for rate, bits in ((row.bf16_tflops, 16), (row.fp8_tflops, 8)):
            if not (pd.isna(rate) or pd.isna(row.tpp)):
                assert rate * bits == pytest.approx(row.tpp, rel=0.005), (row.chip, rate, bits, row.tpp)


def test_mi325x_follows_amds_datasheet():
    # AMD: 1,307.4 dense FP16/BF16 and 2,614.9 dense FP8 TFLOPS, so TPP 2,614.9 x 8 = 20,919 (not 1,300 x 16 = 20,800).
    row = specs.read_specs().set_index("chip").loc["Instinct MI325X"]
    assert (row["bf16_tflops"], row["fp8_tflops"], row["tpp"]) == (1307.4, 2614.9, 20_919)
    assert round(2614.9 * 8) == 20_919 and "AMD" in row["source"]


def test_a_bf16_rate_that_disagrees_with_the_tpp_is_refused(tmp_path):
    """Issue 19, correction 2: the Ascend 910C's ~800 TFLOPS against its sourced TPP 12,032 (= 752 x 16):
    800 x 16 = 12,800 is 6.4% above, so the raw table is refused, naming the row and the arithmetic; the
    MLU590's rounded 280 x 16 = 4,480 against 4,493 (0.3%) is within the tolerance."""
    raw = copy_raw(tmp_path)
    replace_in_file(raw / "chip_specs.csv", "Ascend 910C,Huawei,CN,752,", "Ascend 910C,Huawei,CN,800,")
    with pytest.raises(
        InputError,
        match=r"chip_specs\.csv, row 8 \(Ascend 910C\): TPP 12,032 disagrees with the dense rates: BF16 800 TFLOPS x 16 = 12,800",
    ):
        specs.read_specs(raw)
    assert abs(280 * 16 - 4_493) / 4_493 < specs.TPP_TOLERANCE < abs(800 * 16 - 12_032) / 12_032


def test_an_fp8_rate_that_disagrees_with_the_tpp_is_refused(tmp_path):
    # facts.md's rounded MI325X TPP 20,800 against AMD's 2,614.9 dense FP8 TFLOPS x 8 = 20,919 is within 0.6%:
    # refused too, since TPP is the rule's exact arithmetic on the published rate.
    raw = copy_raw(tmp_path)
    replace_in_file(raw / "chip_specs.csv", "TSMC N5/N6,20919,", "TSMC N5/N6,20800,")
    with pytest.raises(
        InputError, match=r"row 6 \(Instinct MI325X\): TPP 20,800 disagrees with the dense rates: FP8 2614.9 TFLOPS x 8 = 20,919"
    ):
        specs.read_specs(raw)


def test_rows_without_a_datasheet_are_flagged():
    """No Huawei datasheet for the 910C and AMD's own MI325X datasheet not reachable from the project's
    sources: both rows say so rather than pass as settled."""
    table = specs.read_specs().set_index("chip")
    for chip in ("Ascend 910C", "Instinct MI325X"):
        assert table.at[chip, "note"].startswith("Flagged:"), chip
    assert "12,800" in table.at["Ascend 910C", "note"] and "800 x 16" not in table.at["Ascend 910C", "source"]


def test_an_availability_flag_needs_its_source(tmp_path):
    table = specs.read_specs()
    flagged = table[table["us_available_2026_01_15"].notna()]
    assert len(flagged) == 6 and flagged["us_available_source"].notna().all()
    raw = copy_raw(tmp_path)
    text = (raw / "chip_specs.csv").read_text(encoding="utf-8")
    start = text.index("AnandTech (Ryan Smith")
    end = text.index("October 2022", start) + len("October 2022")
    (raw / "chip_specs.csv").write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3 \(H100 SXM\): us_available_2026_01_15 'yes' has no us_available_source"):
        specs.read_specs(raw)


def test_us_availability_is_read_as_a_flag(tmp_path):
    table = specs.read_specs().set_index("chip")
    assert table.at["H200 SXM", "us_available_2026_01_15"] == True and table.at["B30A", "us_available_2026_01_15"] == False
    assert pd.isna(table.at["Ascend 910C", "us_available_2026_01_15"])
    raw = copy_raw(tmp_path)
    replace_in_file(raw / "chip_specs.csv", "TSMC 4N,15832,yes,", "TSMC 4N,15832,maybe,")
    with pytest.raises(InputError, match=r"chip_specs\.csv, row 2 \(H200 SXM\): us_available_2026_01_15 'maybe'"):
        specs.read_specs(raw)


def test_fact_checks_cite_the_specs():
    from analysis.core import paths

    checks = pd.read_csv(paths.PROCESSED / "fact_checks.csv").set_index("check_id")
    assert checks.at["fc01", "verdict"] == "false" and "made by Nvidia" in checks.at["fc01", "evidence"]
    assert checks.at["fc03", "verdict"] == "false" and "TPP 15,832 vs 15,832" in checks.at["fc03", "evidence"]
    assert checks.at["fc04", "verdict"] == "partly true"
    assert "6.7x in BF16" in checks.at["fc04", "evidence"] and "1.2x in memory bandwidth" in checks.at["fc04", "evidence"]
    # "jusqu'à six fois" is an upper bound: 6.7x exceeds it.
    assert checks.at["fc05", "verdict"] == "false" and "is exceeded" in checks.at["fc05", "evidence"]
    # "second most powerful": B200 and B300 are above the H200 by TPP (seeds 002 and 003).
    for check_id in ("fc06", "fc07"):
        assert checks.at[check_id, "verdict"] == "false" and "ranks 3rd" in checks.at[check_id, "evidence"]
    assert checks.at["fc06", "article_id"].startswith("002") and checks.at["fc07", "article_id"].startswith("003")
    # TSMC: the sourced start (Q2 2026) is before the article's H2 2026.
    assert checks.at["fc08", "verdict"] == "partly true" and "Q2 2026" in checks.at["fc08", "evidence"]
    # "immediate": none delivered 27 days after the approval (28 Jan to 24 Feb 2026).
    assert checks.at["fc09", "verdict"] == "false" and "0 as of 24 Feb 2026" in checks.at["fc09", "evidence"]
    assert "27 days after" in checks.at["fc09", "evidence"]
    spec_based = checks["spec_rows"].notna()
    assert checks.loc[spec_based, "source"].str.contains("Epoch AI").all()
    assert checks.loc[~spec_based, "source"].str.contains("Reuters").all() and checks.loc[~spec_based, "fact_rows"].notna().all()


SPECS = pd.DataFrame(
    {
        "chip": ["Big", "Mid", "Old", "Small", "Rival"],
        "vendor": ["V", "V", "V", "V", "W"],
        "vendor_country": ["US"] * 4 + ["CN"],
        "bf16_tflops": [2000.0, 1000.0, 1000.0, 100.0, 900.0],
        "tpp": [32000.0, 16000.0, 16000.0, 1600.0, 14400.0],
        "memory_bandwidth_tbps": [8.0, 4.0, 3.0, 3.8, 3.0],
        "memory_gb": [192.0, 141.0, 80.0, 96.0, 128.0],
        "note": [None] * 5,
        "source": ["s"] * 5,
    }
)
FACTS = pd.DataFrame(
    {
        "fact_id": ["ramp", "approval", "delivered"],
        "description": ["Ramp start", "Approval", "Delivered"],
        "value": [None, None, 0.0],
        "unit": [None, None, "chips"],
        "period": ["2026-Q2", "2026-01-28", "2026-02-24"],
        "source": ["src"] * 3,
    }
)


def _verdict(rule: str, subject: str, reference: str, quote: str = "", specs_table: pd.DataFrame = SPECS) -> str:
    check = specs.Check(quote, subject, reference)
    return specs.FACT_CHECK_RULES[rule](check, specs.Evidence(specs_table, FACTS)).verdict


@pytest.mark.parametrize(
    "rule, subject, reference, quote, verdict",
    [
        ("rank", "Mid", "2", "", "true"),
        ("rank", "Mid", "1", "", "false"),
        ("rank", "Small", "2", "", "false"),  # three above it
        ("rank", "Rival", "1", "", "true"),  # ranked among its own vendor's chips
        ("ratio", "Mid", "Small", "jusqu'à dix fois plus puissante", "true"),  # 10x in BF16 and TPP: an upper bound of ten holds
        ("ratio", "Mid", "Small", "jusqu'à six fois plus puissante", "false"),
        ("ratio", "Mid", "Small", "plus de douze fois plus puissante", "false"),
        ("ratio", "Mid", "Small", "environ neuf fois plus puissante", "partly true"),  # compute within 15%, memory not
        ("ratio", "Mid", "Small", "environ six fois plus puissante", "false"),  # off by 40%
        ("made_by", "Small", "V", "", "true"),
        ("made_by", "Small", "CN", "", "false"),
        ("made_by", "Rival", "CN", "", "true"),
        ("cut_down", "Mid", "Old", "", "false"),  # same TPP: not cut down
        ("cut_down", "Small", "Mid", "", "true"),
        ("starts_by", "ramp", "2026-H2", "", "partly true"),  # starts before the period said
        ("starts_by", "ramp", "2026-Q2", "", "true"),
        ("starts_by", "ramp", "2026-Q1", "", "false"),  # said to happen before it starts
        ("happened_by", "delivered", "approval", "", "false"),
    ],
)
def test_fact_check_rules_compute_verdicts_from_the_rows(rule, subject, reference, quote, verdict):
    assert _verdict(rule, subject, reference, quote) == verdict


def test_rank_follows_the_spec_table():
    # Without the B300 row, the H200 is second by TPP behind the B200 only: the same check turns true.
    table = specs.make_table_specs(specs.read_specs())
    check = specs.Check("", "H200 SXM", "2")
    evidence = specs.Evidence(table[table["chip"] != "B300"], FACTS)
    assert specs.FACT_CHECK_RULES["rank"](check, evidence).verdict == "true"
    assert specs.FACT_CHECK_RULES["rank"](check, specs.Evidence(table, FACTS)).verdict == "false"


def test_fact_check_with_unknown_rule_or_subject_names_the_row(tmp_path, capsys):
    from analysis.__main__ import main

    raw = copy_raw(tmp_path)
    replace_in_file(raw / "fact_checks.csv", ",rank,H200 SXM,2", ",rank,H300,2")
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    assert "fact_checks.csv, row 7 (fc06): rule 'rank' cannot be applied: chip 'H300' is not in chip_specs.csv" in capsys.readouterr().err
    replace_in_file(raw / "fact_checks.csv", ",rank,H300,2", ",rnak,H200 SXM,2")
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    assert "fact_checks.csv, row 7 (fc06): unknown rule 'rnak'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_spec_without_source_or_with_bad_number_is_refused(tmp_path):
    raw = copy_raw(tmp_path)
    replace_in_file(raw / "chip_specs.csv", "H20,Nvidia,US,148,", "H20,Nvidia,US,fast,")
    with pytest.raises(InputError, match=r"chip_specs\.csv, row 4 \(H20\): bf16_tflops 'fast' is not a positive number"):
        specs.read_specs(raw)
    replace_in_file(raw / "chip_specs.csv", "H20,Nvidia,US,fast,", "H20,Nvidia,USA,148,")
    with pytest.raises(InputError, match=r"row 4 \(H20\): vendor_country 'USA' is not a two-letter country code"):
        specs.read_specs(raw)
