"""The independent SymPy re-check of a counterexample against its peers, in one run.

Every refutation's witness is re-computed by SymPy's own arithmetic before it is released
(``exact.recheck.confirmed_by_sympy``). The cases are the gradients of generic networks (every
entry its own symbol) at a random rational point, each compared with itself plus 1/10, so that
every re-check has to confirm a real difference. The routes, on the same expressions and points:

- symcheck's re-check: each distinct subexpression once, children first, SymPy numbers;
- the strongest SymPy peer, what the re-check did before: ``cse``, then each common subexpression
  substituted and ``evalf`` at the same 80 digits;
- naive SymPy: ``xreplace`` the point into the whole tree and ``evalf`` (no sharing);
- the lower bound: symcheck's DAG evaluator (``exact.evaluation``, mpmath at 60 digits), the route
  that found the witness and that the re-check must not share code with.

Run:  python benchmarks/bench_recheck.py [--limit 60] [--quick]
"""

from __future__ import annotations

import argparse
import random
import time

import sympy as sp
from sympy.core.cache import clear_cache

from symcheck.exact.evaluation import evaluate_many, flatten
from symcheck.exact.recheck import RECHECK_DIGITS, confirmed_by_sympy
from symcheck.model.spec import MLP
from symcheck.symbolic.backprop import backprop, data_symbols, generic_parameters
from time_limit import within_limit

#: (widths, activation, loss): networks whose gradients are re-checked
CASES = [((2, 3, 1), "sigmoid", "bce"), ((2, 3, 3, 1), "sigmoid", "bce"), ((3, 4, 4, 2), "tanh", "mse"),
         ((2, 4, 4, 4, 1), "gelu", "mse")]
SHIFT = sp.Rational(1, 10)


def gradient_entries(spec: MLP) -> tuple[list, dict]:
    """Every gradient entry of ``spec`` at its generic point, and a random rational point."""
    params = generic_parameters(spec)
    x, y = data_symbols(spec)
    gradients = backprop(spec, params, x, y).gradients
    entries = [entry for name in spec.parameter_names for entry in flatten(gradients[name])]
    rng = random.Random(0)
    symbols = sorted(set().union(*(e.free_symbols for e in entries)), key=str)
    point = {s: sp.Rational(rng.randint(-9, 9), rng.randint(1, 9)) for s in symbols}
    return entries, point


def symcheck_recheck(entries, point) -> bool:
    return all(confirmed_by_sympy(e, e + SHIFT, point) for e in entries)


def cse_recheck(entries, point) -> bool:
    """Both sides as one list through ``cse``, each replacement evaluated in order."""
    def confirmed(lhs, rhs):
        replacements, (left, right) = sp.cse([lhs, rhs], symbols=sp.numbered_symbols(cls=sp.Dummy))
        known = dict(point)
        for symbol, subexpression in replacements:
            known[symbol] = subexpression.xreplace(known).evalf(RECHECK_DIGITS)
        return abs(left.xreplace(known).evalf(RECHECK_DIGITS) - right.xreplace(known).evalf(RECHECK_DIGITS)) > 0
    return all(confirmed(e, e + SHIFT) for e in entries)


def naive_recheck(entries, point) -> bool:
    """Each side on its own (their difference would cancel symbolically to -1/10)."""
    def value(side):
        return side.xreplace(point).evalf(RECHECK_DIGITS)
    return all(abs(value(e) - value(e + SHIFT)) > 0 for e in entries)


def dag_lower_bound(entries, point) -> bool:
    """One pair at a time, as the decider asks."""
    def confirmed(lhs, rhs):
        left, right = evaluate_many([lhs, rhs], point)
        return left is not None and right is not None and left != right
    return all(confirmed(e, e + SHIFT) for e in entries)


ROUTES = [("symcheck", symcheck_recheck), ("cse + evalf", cse_recheck), ("naive evalf", naive_recheck),
          ("DAG evaluator", dag_lower_bound)]


def timed(route, entries, point) -> tuple[float, bool]:
    clear_cache()  # no route profits from another's cached SymPy objects
    start = time.perf_counter()
    confirmed = route(entries, point)
    return time.perf_counter() - start, confirmed


def _route_timed(index: int, case):
    entries, point = gradient_entries(MLP(*case))
    return timed(ROUTES[index][1], entries, point)


def limited(index: int, case, limit: float):
    """(seconds, confirmed) of route ``index`` in a child process, or (None, True) past ``limit``
    (a tree walk without sharing grows exponentially with depth)."""
    return within_limit(_route_timed, (index, case), limit) or (None, True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the smallest case (a smoke run)")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per route and case (default 60)")
    args = parser.parse_args()
    print("seconds to re-check every gradient entry of a generic network against entry + 1/10 "
          f"({RECHECK_DIGITS} digits), and the ratio to symcheck's re-check")
    print(f"{'network':<24} {'entries':>7}  " + "  ".join(f"{name:>20}" for name, _ in ROUTES))
    for widths, activation, loss in CASES[:1] if args.quick else CASES:
        spec = MLP(widths, activation, loss)
        entries, _ = gradient_entries(spec)
        results = [limited(index, (widths, activation, loss), args.limit) for index in range(len(ROUTES))]
        if not all(confirmed for _, confirmed in results):
            raise SystemExit(f"{spec.name}: a route did not confirm every difference: {results}")
        ours = results[0][0]
        if ours is None:
            raise SystemExit(f"{spec.name}: symcheck's re-check itself ran past --limit {args.limit:g} s")
        cells = [f"> {args.limit:g} s (> {args.limit / ours:.0f}x)" if seconds is None
                 else f"{seconds:9.3f} s ({seconds / ours:5.2f}x)" for seconds, _ in results]
        print(f"{'-'.join(map(str, widths)) + ' ' + activation:<24} {len(entries):>7}  " + "  ".join(f"{c:>20}" for c in cells))


if __name__ == "__main__":
    main()
