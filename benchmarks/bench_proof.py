"""The inductive-step proof against the naive SymPy approach, in one run.

symcheck's proof: backprop by the layer recursion at the generic point of the
invariant set (tied symbols), one step, every identity decided exactly, plus
the NumPy cross-check -- what ``symcheck prove`` does.

The naive approach, as a SymPy user would write it: every entry a distinct
symbol, build the scalar loss, ``diff`` it with respect to every entry,
``subs`` the tied point, ``simplify`` each gradient entry, take the step and
decide each invariant identity with ``simplify(lhs - rhs) == 0``. It runs in a child process
with a time limit; a case that runs out is reported as "> limit" and its
ratio as a lower bound.

Run:  python benchmarks/bench_proof.py [--limit 300] [--quick]
"""

from __future__ import annotations

import argparse
import time

import sympy as sp
from sympy.core.cache import clear_cache

from symcheck.model.optimizer_symbols import LEARNING_RATE
from symcheck.model.optimizers import gradient_step
from symcheck.symbolic.backprop import data_symbols, diff_gradients, generic_parameters
from symcheck.exact.evaluation import flatten
from symcheck.induction.invariants import entry
from symcheck.induction.subspace import tie_subspace
from symcheck.induction.symmetry import prove_symmetry
from symcheck.induction.twins import full_partition
from symcheck.model.spec import MLP
from time_limit import within_limit

#: (hidden layers K, width): the issue's targets and the naive approach's cases
SYMCHECK_CASES = [(1, 2), (2, 8), (3, 3), (4, 4), (8, 16), (16, 64)]
NAIVE_CASES = [(1, 2), (3, 3), (2, 8), (4, 4)]
TARGETS = {(8, 16): 5.0, (16, 64): 30.0}
REQUIRED_RATIO = {(3, 3): 50.0}


def network(depth: int, width: int) -> MLP:
    return MLP((width,) * (depth + 1) + (1,), "tanh", "mse")


def symcheck_proof(spec: MLP) -> str:
    return prove_symmetry(spec, "constant").verdict


def naive_proof(spec: MLP) -> str:
    params = generic_parameters(spec)
    x, y = data_symbols(spec)
    subspace = tie_subspace(full_partition(spec), theorem_names=True)
    tied = subspace.parameters
    substitution = {g: v for name in spec.parameter_names
                    for g, v in zip(flatten(params[name]), flatten(tied[name]))}
    gradients = diff_gradients(spec, params, x, y)

    def at_tied_point(value):  # per entry: subs, then simplify
        if value and isinstance(value[0], tuple):
            return tuple(at_tied_point(row) for row in value)
        return tuple(sp.simplify(g.subs(substitution)) for g in value)

    stepped = gradient_step(tied, {name: at_tied_point(gradients[name]) for name in gradients}, LEARNING_RATE)
    for identity in subspace.identities:
        value = stepped[identity.group]
        if sp.simplify(entry(value, identity.position) - entry(value, identity.reference)) != 0:
            return "not proved"
    return "proved"


def timed(function, spec):
    clear_cache()
    start = time.perf_counter()
    verdict = function(spec)
    return time.perf_counter() - start, verdict


def _naive_timed(depth: int, width: int):
    return timed(naive_proof, network(depth, width))


def naive_time(depth: int, width: int, limit: float):
    """Seconds and verdict, or (None, None) when the time limit ran out."""
    return within_limit(_naive_timed, (depth, width), limit) or (None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=300.0, help="seconds per naive case (default 300)")
    parser.add_argument("--quick", action="store_true", help="only the small cases (a smoke run)")
    args = parser.parse_args()
    symcheck_cases = SYMCHECK_CASES[:3] if args.quick else SYMCHECK_CASES
    naive_cases = NAIVE_CASES[:2] if args.quick else NAIVE_CASES

    mine = {}
    print("symcheck prove (inductive step + base case + NumPy cross-check), tanh, mse")
    print(f"{'K':>3} {'width':>6} {'parameters':>11} {'seconds':>9}  verdict  target")
    for depth, width in symcheck_cases:
        spec = network(depth, width)
        seconds, verdict = timed(symcheck_proof, spec)
        mine[(depth, width)] = seconds
        target = TARGETS.get((depth, width))
        status = "" if target is None else f"< {target:g} s: {'met' if seconds < target else 'MISSED'}"
        print(f"{depth:>3} {width:>6} {spec.parameter_count:>11} {seconds:>9.3f}  {verdict:7}  {status}")

    print()
    print(f"naive SymPy (diff every entry, subs the tied point, simplify), limit {args.limit:g} s per case")
    print(f"{'K':>3} {'width':>6} {'naive s':>10} {'symcheck s':>11} {'ratio':>10}  required")
    for depth, width in naive_cases:
        seconds, verdict = naive_time(depth, width, args.limit)
        ours = mine.get((depth, width)) or timed(symcheck_proof, network(depth, width))[0]
        if seconds is None:
            naive, ratio = f"> {args.limit:g}", f"> {args.limit / ours:.0f}x"
            ratio_value = args.limit / ours
        else:
            naive, ratio_value = f"{seconds:.2f}", seconds / ours
            ratio = f"{ratio_value:.0f}x"
        required = REQUIRED_RATIO.get((depth, width))
        status = "" if required is None else f">= {required:g}x: {'met' if ratio_value >= required else 'MISSED'}"
        print(f"{depth:>3} {width:>6} {naive:>10} {ours:>11.3f} {ratio:>10}  {status}")


if __name__ == "__main__":
    main()
