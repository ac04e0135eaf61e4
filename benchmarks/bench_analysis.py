"""Benchmark: the inductive step of ``analyze`` at width 128 with Adam.

The update rule runs on a tied point whose 128 x 128 blocks repeat one
expression. ``optimizers.pmap`` evaluates each distinct SymPy argument tuple
once; the naive baseline, measured in the same run, applies the rule to every
entry (the same code with the memo switched off). Run:

    python benchmarks/bench_analysis.py
"""

from __future__ import annotations

import time
from unittest import mock

from sympy.core.cache import clear_cache

from symcheck import MLP, analyze
from symcheck.model import optimizers
WIDTHS = "3,128,128,1"


def _naive_pmap(fn, *dicts):
    return {name: optimizers.tmap(fn, *(d[name] for d in dicts)) for name in dicts[0]}


def measure(optimizer: str) -> tuple[float, float]:
    spec = MLP.parse(WIDTHS, "sigmoid", "mse")
    clear_cache()  # neither run may profit from the other's SymPy cache
    start = time.perf_counter()
    fast = analyze(spec, "W=1/2,b=0", optimizer, numeric=False)
    tied = time.perf_counter() - start
    with mock.patch.object(optimizers, "pmap", _naive_pmap):
        clear_cache()
        start = time.perf_counter()
        naive = analyze(spec, "W=1/2,b=0", optimizer, numeric=False)
        baseline = time.perf_counter() - start
    assert fast.verdict == naive.verdict == "proved"
    return tied, baseline


if __name__ == "__main__":
    for name in ("sgd", "adam"):
        tied, baseline = measure(name)
        print(f"analyze {WIDTHS} {name:5}: memoized {tied:6.2f} s   naive {baseline:6.2f} s   "
              f"ratio {baseline / tied:4.1f}x")
