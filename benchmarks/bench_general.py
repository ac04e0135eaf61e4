"""The general proof costs the same at every width; a concrete proof grows with it.

For growing widths w, the concrete proof ``prove_symmetry`` of the network
(w, w, w, 1) with tanh and mse (the baseline: one architecture at a time) is
timed next to ``prove_general()`` -- the theorem for every width at once --
and next to the command ``symcheck prove --general`` end to end (interpreter
start included). SymPy's cache is cleared before every measurement.

Run:  python benchmarks/bench_general.py [--widths 2,4,8,16] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time

from sympy.core.cache import clear_cache

from symcheck.general import prove_general
from symcheck.induction.symmetry import prove_symmetry
from symcheck.model.spec import MLP

TARGET_SECONDS = 2.0


def best_time(function, repeat: int) -> tuple[float, float]:
    """Best (wall, CPU) seconds over ``repeat`` runs, each with a cold SymPy cache.

    CPU time is reported too because the machine may be shared: wall time then
    includes waiting for a core."""
    walls, cpus = [], []
    for _ in range(repeat):
        clear_cache()
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus)


def command_time(repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "symcheck", "prove", "--general"],
                              capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"symcheck prove --general exited {done.returncode}: {done.stderr}")
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", default="4,16,64,128,256")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    widths = [int(w) for w in args.widths.split(",")]

    assert prove_general().verdict == "proved"
    wall, cpu = command_time(args.repeat)
    print(f"symcheck prove --general, whole command (interpreter start included), best of {args.repeat}:")
    def verdict(seconds):
        return "met" if seconds < TARGET_SECONDS else "NOT met"

    print(f"  wall {wall:.2f} s ({verdict(wall)}), CPU {cpu:.2f} s ({verdict(cpu)}); "
          f"target < {TARGET_SECONDS:.0f} s")
    print()
    print("in-process, cold SymPy cache, best of", args.repeat, "(CPU seconds; wall in parentheses)")
    print(f"{'network':>16} {'parameters':>10} {'concrete proof':>22} {'general proof':>20} {'ratio':>8}")
    for w in widths:
        spec = MLP((w, w, w, 1), "tanh", "mse")
        concrete_wall, concrete = best_time(lambda: prove_symmetry(spec), args.repeat)
        general_wall, general = best_time(prove_general, args.repeat)
        print(f"{spec.name:>16} {spec.parameter_count:>10} {concrete:>9.3f} s ({concrete_wall:6.3f} s) "
              f"{general:>7.3f} s ({general_wall:6.3f} s) {concrete / general:>7.2f}x")
    print()
    print("ratio = concrete / general (CPU). The general proof has no width parameter: it is one")
    print("proof for every width and depth, re-timed on each row; a concrete proof covers one network.")


if __name__ == "__main__":
    main()
