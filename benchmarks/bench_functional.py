"""Benchmark: ``analyze`` and ``prove`` at the class level against today's per-entry engine and
a NumPy lower bound, measured in the same run.

For each network: the whole ``symcheck analyze --init "W=0,b=0"`` and ``symcheck prove``
commands (interpreter start included, wall and CPU seconds of the child process); the
per-entry engine (``analysis.analyze`` without the class-level route, ``proof.prove_symmetry``)
in a child process with a time limit (a case that runs out gives a lower bound); and a NumPy
lower bound for any tool that reads the network: comparing the rows of every weight matrix
with the first row, and one float64 training step (forward + backprop + update). Run:

    python benchmarks/bench_functional.py [--limit SECONDS] [--quick] [--network d,n1,...,m] [--no-per-entry]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NETWORKS = [(784, 512, 512, 10)] + [(64, w, 10) for w in (64, 256, 1024, 4096)] + \
           [(64, w, w, w, 10) for w in (64, 256, 1024, 4096)]
QUICK = [(784, 512, 512, 10), (64, 64, 10), (64, 1024, 10), (64, 64, 64, 64, 10), (64, 1024, 1024, 1024, 10)]

PER_ENTRY = """
import sys
from symcheck import MLP
from symcheck.induction.analysis import analyze
from symcheck.induction.symmetry import prove_symmetry
spec = MLP(tuple(int(w) for w in sys.argv[2].split(",")), "relu", "ce")
if sys.argv[1] == "analyze":
    print(analyze(spec, "W=0,b=0", "sgd").verdict)
else:
    print(prove_symmetry(spec, "constant", 0).verdict)
"""


def child(args: list[str], limit: float) -> tuple[float | None, float | None, str]:
    """(wall seconds, CPU seconds, last output line) of a child process; None on time out."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=limit, env=env)
    except subprocess.TimeoutExpired:
        return None, None, "timeout"
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = (done.stdout or done.stderr).strip().splitlines()
    return wall, cpu, lines[-1] if lines else ""


def numpy_lower_bound(widths: tuple[int, ...]) -> tuple[float, float]:
    """Seconds to compare every weight matrix's rows with its first row, and of one float64
    SGD step of the network (ReLU, softmax cross-entropy) on one example."""
    rng = np.random.default_rng(0)
    Ws = [np.zeros((n, m)) for m, n in zip(widths[:-1], widths[1:])]
    bs = [np.zeros(n) for n in widths[1:]]
    start = time.perf_counter()
    for W in Ws:
        bool(np.all(W == W[:1]))
    compare = time.perf_counter() - start
    x, y = rng.normal(size=widths[0]), np.eye(widths[-1])[0]
    start = time.perf_counter()
    hs, zs = [x], []
    for W, b in zip(Ws[:-1], bs[:-1]):
        zs.append(W @ hs[-1] + b)
        hs.append(np.maximum(zs[-1], 0))
    o = Ws[-1] @ hs[-1] + bs[-1]
    delta = np.exp(o - o.max()) / np.exp(o - o.max()).sum() - y
    for i in range(len(Ws) - 1, -1, -1):
        grad, bias_grad = np.outer(delta, hs[i]), delta
        if i:
            delta = (Ws[i].T @ delta) * (zs[i - 1] > 0)
        Ws[i] -= 0.1 * grad
        bs[i] -= 0.1 * bias_grad
    step = time.perf_counter() - start
    return compare, step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=120.0, help="time limit of a per-entry run (seconds)")
    parser.add_argument("--quick", action="store_true", help="a subset of the networks")
    parser.add_argument("--network", action="append", metavar="d,n1,...,m",
                        help="only this network (repeatable), e.g. 64,4096,4096,4096,10")
    parser.add_argument("--no-per-entry", action="store_true", help="skip the per-entry engine")
    args = parser.parse_args()
    chosen = [tuple(int(w) for w in n.split(",")) for n in args.network] if args.network else None
    print("| network | parameters | command | class level: wall / CPU | per-entry engine (CPU) | "
          "NumPy: compare rows / one step | CPU ratio vs per-entry |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for widths in chosen or (QUICK if args.quick else NETWORKS):
        text = ",".join(map(str, widths))
        params = sum(n * m + n for m, n in zip(widths[:-1], widths[1:]))
        compare, step = numpy_lower_bound(widths)
        for command, extra in (("analyze", ["--init", "W=0,b=0"]), ("prove", [])):
            wall, cpu, last = child(["-m", "symcheck", command, "--widths", text, "--activation", "relu",
                                     "--loss", "ce", *extra], args.limit)
            shown = "timeout" if wall is None else f"{wall:.2f} s / {cpu:.2f} s"
            if args.no_per_entry:
                base, ratio = "not run", ""
            else:
                _, base_cpu, base_last = child(["-c", PER_ENTRY, command, text], args.limit)
                base = f"> {args.limit:.0f} s (stopped)" if base_cpu is None else f"{base_cpu:.2f} s"
                ratio = "" if cpu is None else (f"> {args.limit / cpu:.0f}x" if base_cpu is None
                                                else f"{base_cpu / cpu:.1f}x")
            print(f"| {'-'.join(map(str, widths))} | {params:,} | {command} | {shown} | {base} | "
                  f"{compare * 1e3:.2f} ms / {step * 1e3:.2f} ms | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
