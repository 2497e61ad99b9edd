"""Benchmark: the Monte Carlo behind every headline range, with the two gates and
the conditioning on what was observed (issue target: 100,000 draws of every figure
in under 1 s on one core). Prints figures, asserts nothing."""

from __future__ import annotations

import time

from analysis.core import paths
from analysis.model import engine, uncertainty
from analysis.model.scenarios import load_scenario

DRAWS = 100_000


def main() -> None:
    scenario = load_scenario(paths.SCENARIOS / "central.yaml")
    tables = engine.Tables.load()
    inputs, ctx = engine.prepare(scenario, tables)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        run = engine.evaluate(uncertainty.draw_inputs(inputs, DRAWS, uncertainty.SEED), ctx)
        timings.append(time.perf_counter() - started)
    print(
        f"monte carlo: {DRAWS} draws of {len(run.figures)} figures in {min(timings):.2f} s "
        f"(best of 3; {ctx.horizon} months of deliveries behind two gates, {len(ctx.observations)} observations "
        f"as of {tables.as_of}, {run.alive.mean():.1%} of draws surviving; target < 1 s)"
    )


if __name__ == "__main__":
    main()
