"""The later-news batches of issue 17: made-up sentences, labelled by hand
before the reader ran on them (tests/fixtures/blind_batch_later_news*.yaml),
each scored once, blind, then its misses fixed as classes.

Second batch, blind: English quantities found 88%, right bound 100%, 0 leaks,
candidates precision 70%, recall 47%; French 100%, 95%, 1 leak, 88%, 94%.
Third batch (written after the second's fixes), blind: English 79%, 100%,
0 leaks, precision 83%, recall 45%; French 93%, 92%, 0 leaks, 86%, 55%.
Fourth batch (after the third's fixes), blind: English 90%, 78%, 0 leaks,
precision 89%, recall 89%; French 100%, 100%, 0 leaks, 100%, 67%.
None is blind any more: the floors below only keep their scores from
sliding back."""

from __future__ import annotations

import helpers
import pytest
import yaml

from analysis.evidence import candidates
from analysis.metadata.metrics import metrics_table
from analysis.quantities.reader import find_quantities

FIXTURES = helpers.FIXTURES
BATCHES = ("blind_batch_later_news.yaml", "blind_batch_later_news_2.yaml", "blind_batch_later_news_3.yaml")
UNITS = {row.metric: row.unit.split("|") for row in metrics_table().itertuples(index=False) if row.needs_value}


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def score(batch: str, language: str) -> dict[str, float]:
    """Story quantities found (value and unit), of those the right bound,
    leaks, and the candidates' precision and recall, for one batch file and
    one language."""
    sentences = yaml.safe_load((FIXTURES / batch).read_text(encoding="utf-8"))["sentences"]
    expected_quantities = found_quantities = right_bounds = leaks = 0
    proposed = right = expected_candidates = 0
    for number, item in enumerate(s for s in sentences if s["language"] == language):
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


@pytest.mark.parametrize("batch", BATCHES)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_blind_batch_scores(batch, language):
    result = score(batch, language)
    assert result["quantities_found"] >= 0.9, result
    assert result["right_bound"] >= 0.85, result
    assert result["leaks"] <= 1, result
    assert result["precision"] >= 0.85, result
    assert result["recall"] >= 0.8, result
