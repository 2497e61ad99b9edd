"""Allocation: how the approved units might split among the buyers, and what
each share is in compute, memory, power and domestic chips.

Three rules split ``approved`` units among requests: proportional to request,
equal, and max–min fair (water-filling: everyone gets an equal share, capped at
their request, and what a capped buyer leaves is shared among the others).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

RULES = ("proportional", "equal", "max_min_fair")


def proportional(requests: Mapping[str, float], approved: float) -> dict[str, float]:
    """Each buyer gets approved × its share of all requests (never more than it asked)."""
    total = sum(requests.values())
    if total == 0:
        return {buyer: 0.0 for buyer in requests}
    return {buyer: min(asked, approved * asked / total) for buyer, asked in requests.items()}


def equal(requests: Mapping[str, float], approved: float) -> dict[str, float]:
    """Each buyer gets the same share of the approved units, whatever it asked."""
    return {buyer: approved / len(requests) for buyer in requests}


def max_min_fair(requests: Mapping[str, float], approved: float) -> dict[str, float]:
    """Water-filling: raise every unmet buyer's share together until it reaches
    its request or the approved units run out."""
    given = {buyer: 0.0 for buyer in requests}
    left = float(approved)
    unmet = sorted(requests, key=lambda buyer: requests[buyer])
    while unmet and left > 1e-9:
        share = left / len(unmet)
        smallest = unmet[0]
        need = requests[smallest] - given[smallest]
        if need <= share:
            for buyer in unmet:
                given[buyer] += need
            left -= need * len(unmet)
            unmet = [buyer for buyer in unmet if requests[buyer] - given[buyer] > 1e-9]
        else:
            for buyer in unmet:
                given[buyer] += share
            left = 0.0
    return given


_SPLITTERS = {"proportional": proportional, "equal": equal, "max_min_fair": max_min_fair}


def allocate(
    requests: Mapping[str, float],
    approved: float,
    h200: Mapping[str, float],
    *,
    domestic_chips_per_h200: float,
    training_share: float,
) -> pd.DataFrame:
    """One row per (rule, company): request, H200 units and what they amount to.

    ``h200`` is the H200 row of the spec table (bf16_tflops, memory_gb, tdp_w,
    h100_equiv_bf16, h20_equiv_bf16)."""
    rows = []
    for rule in RULES:
        for company, units in _SPLITTERS[rule](requests, approved).items():
            rows.append({
                "rule": rule,
                "company": company,
                "request_units": float(requests[company]),
                "h200_units": units,
                "domestic_chips": units * domestic_chips_per_h200,
                "bf16_pflops": units * h200["bf16_tflops"] / 1000,
                "h100_equiv": units * h200["h100_equiv_bf16"],
                "h20_equiv": units * h200["h20_equiv_bf16"],
                "hbm_tb": units * h200["memory_gb"] / 1000,
                "power_mw": units * h200["tdp_w"] / 1e6,
                "training_units": units * training_share,
                "inference_units": units * (1 - training_share),
            })
    return pd.DataFrame(rows).astype({"rule": "object", "company": "object"})


def inference_equivalents(inference_units: float, h200: Mapping[str, float], ascend: Mapping[str, float]) -> pd.DataFrame:
    """How many Ascend 910C would match the H200s kept for inference, by BF16
    compute and by memory bandwidth (the bound that matters for inference)."""
    return pd.DataFrame([
        {"measure": "bf16 compute", "h200_units": inference_units, "ratio": h200["bf16_tflops"] / ascend["bf16_tflops"],
         "ascend_910c_units": inference_units * h200["bf16_tflops"] / ascend["bf16_tflops"]},
        {"measure": "memory bandwidth", "h200_units": inference_units,
         "ratio": h200["memory_bandwidth_tbps"] / ascend["memory_bandwidth_tbps"],
         "ascend_910c_units": inference_units * h200["memory_bandwidth_tbps"] / ascend["memory_bandwidth_tbps"]},
    ])
