"""The second batch of issue 17: made-up later-news sentences, labelled by
hand before the reader ran on them (tests/fixtures/blind_batch_later_news.yaml).

Scored blind, the first time the reader saw them: English quantities found 88%,
right bound 100%, 0 leaks, candidates precision 70%, recall 47%; French 100%,
95%, 1 leak, 88%, 94%. The misses were classes (a modifier inside a cue phrase,
approvals vetoing orders, "retails for", "holds", "by 6 times.", "les 10 et 11
mars", conditional "dépasseraient les", the H200 and the H20 both before the
ratio), fixed as classes, after which the batch is no longer blind: the floors
below only keep its scores from sliding back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis import candidates
from analysis.claims import read_metrics
from analysis.quantities import find_quantities

BATCH = yaml.safe_load((Path(__file__).parent / "fixtures" / "blind_batch_later_news.yaml").read_text(encoding="utf-8"))["sentences"]
UNITS = {row.metric: row.unit.split("|") for row in read_metrics().itertuples(index=False) if row.needs_value}


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def score(language: str) -> dict[str, float]:
    """Story quantities found (value and unit), of those the right bound,
    leaks, and the candidates' precision and recall, for one language."""
    expected_quantities = found_quantities = right_bounds = leaks = 0
    proposed = right = expected_candidates = 0
    for number, item in enumerate(s for s in BATCH if s["language"] == language):
        read = [(q.value, q.unit, q.bound) for q in find_quantities(item["text"])]
        unmatched = list(read)
        for value, unit, bound in item["quantities"]:
            expected_quantities += 1
            match = next((r for r in unmatched if _close(r[0], value) and r[1] == unit), None)
            if match is not None:
                unmatched.remove(match)
                found_quantities += 1
                right_bounds += match[2] == bound
        leaks += sum(1 for r in unmatched if not any(_close(r[0], v) for v in item.get("ignore", [])))
        rows = candidates.sentence_candidates("900_blind", number + 1, item["text"], UNITS, language)
        got = {(r["metric"], r["entity"], round(r["value"], 3)) for r in rows}
        want = {(m, e, round(float(v), 3)) for m, e, v in item["candidates"]}
        proposed += len(got)
        right += len(got & want)
        expected_candidates += len(want)
    return {
        "quantities_found": found_quantities / expected_quantities,
        "right_bound": right_bounds / max(found_quantities, 1),
        "leaks": leaks,
        "precision": right / max(proposed, 1),
        "recall": right / expected_candidates,
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_blind_batch_scores(language):
    result = score(language)
    assert result["quantities_found"] >= 0.9, result
    assert result["right_bound"] >= 0.85, result
    assert result["leaks"] <= 1, result
    assert result["precision"] >= 0.85, result
    assert result["recall"] >= 0.8, result
