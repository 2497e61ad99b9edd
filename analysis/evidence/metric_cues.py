"""Which metrics a text names, by the cue words of ``claim_cues`` in
``analysis/lang/*.yaml`` (used to propose claim candidates). A cue matches
whole words ("cap" is not in "capabilities"); one ending in ``*`` matches the
start of a word ("approv*": approved, approval)."""

from __future__ import annotations

import re
from functools import cache

from analysis.lang import vocabulary as vocab

__all__ = ["metrics_named"]


@cache
def _cues() -> dict[str, list[tuple[list[re.Pattern[str]], re.Pattern[str] | None]]]:
    """Per metric, one (all-groups, none) matcher pair per language."""
    result: dict[str, list[tuple[list[re.Pattern[str]], re.Pattern[str] | None]]] = {}
    for language in vocab.LANGUAGES:
        for metric, spec in vocab.load(language)["claim_cues"].items():

            def word_starts(words: list[str]) -> re.Pattern[str]:
                # A cue is a whole word ("cap" is not in "capabilities"); one ending in "*" matches a word start.
                alternatives = [
                    re.escape(w.lower().rstrip("*")) + ("" if w.endswith("*") else r"(?![\w])")
                    for w in sorted(words, key=len, reverse=True)
                ]
                return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + ")")

            groups = [word_starts(group) for group in spec.get("all") or []]
            none = [w for group in spec.get("none") or [] for w in group]
            result.setdefault(metric, []).append((groups, word_starts(none) if none else None))
    return result


def metrics_named(text: str, language: str | None = None) -> list[str]:
    """The metrics whose cue words ``text`` holds (in the vocabulary's order),
    in ``language`` (``en``, ``fr``) or, when None, in either."""
    lowered = text.lower()
    named = []
    for metric, languages in _cues().items():
        for position, (groups, none) in enumerate(languages):
            if language is not None and vocab.LANGUAGES[position] != language:
                continue
            if groups and all(g.search(lowered) for g in groups) and not (none and none.search(lowered)):
                named.append(metric)
                break
    return named
