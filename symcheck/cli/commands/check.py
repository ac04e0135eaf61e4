"""symcheck check: run a library of theorem files as a CI gate."""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
from dataclasses import replace
from pathlib import Path

from ... import budget
from ...errors import InvalidFile, SymcheckError
from ...theorems.report import junit_xml, report_data, table
from ...render.data import dumps
from ...theorems import discover, exit_code, load_theorem, run_theorems
from ...theorems.runner import DEFAULT_TIMEOUT
from ..options import int_option, output_file, seconds_option
from ... import kernels  # a kernel a theorem asks for must be installed: one line, exit 2, before any work

NAME = "check"
HELP = "check every theorem file (default: proofs/) and compare each verdict with the expected one"
ORDER = 40
#: the budget is per theorem (--timeout), not for the whole run
OWN_TIMEOUT = True
DEFAULT_PATH = "proofs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help=f"theorem files or directories searched for *.toml (default: {DEFAULT_PATH}/)")
    parser.add_argument("-k", dest="pattern", metavar="PATTERN",
                        help="only theorems whose name or file contains PATTERN (shell wildcards allowed)")
    parser.add_argument("--jobs", "-j", type=int_option(1, 256), default=min(4, os.cpu_count() or 1),
                        metavar="N", help="theorems checked in parallel (processes; default: up to 4 CPUs)")
    parser.add_argument("--timeout", type=seconds_option, default=DEFAULT_TIMEOUT, metavar="S",
                        help=f"seconds per theorem before it is undecided (default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    parser.add_argument("--kernel", action="append", default=[], choices=("z3", "cvc5", "coq"), metavar="NAME",
                        help="also check every theorem that supports it with an independent kernel: z3 or "
                             "cvc5 (re-check every identity) or coq (exports the step, runs coqc); repeatable")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--junit", metavar="FILE", type=output_file, help="also write a JUnit XML report to FILE")
    parser.add_argument("--no-timings", dest="timings", action="store_false",
                        help="leave out measured times, so that the output is byte-identical between runs")


def select(theorems, pattern: str | None):
    if not pattern:
        return theorems
    wildcard = any(c in pattern for c in "*?[")

    def matches(text: str) -> bool:
        return fnmatch.fnmatchcase(text, pattern) if wildcard else pattern in text

    return [t for t in theorems if matches(t.name) or matches(t.path)]


class Progress:
    """The theorem being checked, as the phase of the run's budget (shown on stderr by
    ``budget.Progress`` when the run takes long)."""

    def __init__(self, total: int):
        self.total, self.done = total, 0

    def on_start(self, theorem) -> None:
        budget.phase(f"theorem {self.done + 1}/{self.total}: checking {theorem.name}")

    def on_done(self, outcome) -> None:
        self.done += 1
        budget.phase(f"theorem {self.done}/{self.total} done: {outcome.name}: {outcome.got}")


def run(args: argparse.Namespace) -> int:
    paths = args.paths or [DEFAULT_PATH]
    if not args.paths and not Path(DEFAULT_PATH).is_dir():
        raise InvalidFile(f"{DEFAULT_PATH}/: no such directory; run from the repository root or name theorem files")
    theorems = []
    for path in discover(paths):
        # loading a file counts against the per-theorem budget too (parsing custom activations)
        with budget.limit(args.timeout or None, phase_text=f"loading {path}"):
            theorems.append(load_theorem(path))
    if args.kernel:
        theorems = [replace(t, kernels=tuple(dict.fromkeys(t.kernels + tuple(args.kernel)))) for t in theorems]
    kernels.require({name for t in theorems for name in t.kernels})
    _check_unique(theorems)
    chosen = select(theorems, args.pattern)
    if not chosen:
        raise SymcheckError(f"-k {args.pattern!r}: matches none of the {len(theorems)} theorems")
    progress = Progress(len(chosen))
    outcomes = run_theorems(chosen, jobs=args.jobs, timeout=args.timeout or None,
                            on_start=progress.on_start, on_done=progress.on_done)
    code = exit_code(outcomes)
    if args.junit is not None:
        _write(args.junit, junit_xml(outcomes, args.timings))
    if args.json:
        sys.stdout.write(dumps(report_data(outcomes, code, args.timings)))
    else:
        sys.stdout.write(table(outcomes, args.timings))
        if args.kernel:  # each summary ends with what the kernels said, or why they could not check it
            sys.stdout.write(f"\nKernels ({', '.join(dict.fromkeys(args.kernel))}):\n" + "".join(
                f"  {o.name}: {o.summary}\n"
                + "".join(f"    {case['summary']}\n" for case in o.cases if len(o.cases) > 1)
                for o in outcomes))
    return code


def _check_unique(theorems) -> None:
    seen = {}
    for theorem in theorems:
        if theorem.name in seen:
            raise SymcheckError(f"{theorem.path}: name: {theorem.name!r} is already used by {seen[theorem.name]}; "
                                "theorem names must be unique")
        seen[theorem.name] = theorem.path


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise InvalidFile(f"{path}: cannot write the JUnit report ({error.strerror})") from None
