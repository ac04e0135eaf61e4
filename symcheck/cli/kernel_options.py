"""``--kernel`` and ``--export coq DIR`` for ``prove`` and ``analyze``, declared once.

Kernels are optional (``symcheck.kernels``): nothing here imports z3 or runs
coqc unless the option is given."""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import NotExportable, SymcheckError
from .. import kernels
from ..kernels import require

KERNEL_CHOICES = ("z3", "cvc5", "coq")


def add_kernel_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kernel", action="append", default=[], choices=KERNEL_CHOICES, metavar="NAME",
                        help="also check with an independent kernel: z3 or cvc5 (re-check every identity; "
                             'pip install "symcheck[kernels]") or coq (exports the step, runs coqc); repeatable')
    parser.add_argument("--export", nargs=2, metavar=("coq", "DIR"),
                        help="write the proved inductive step as a Coq file (.v) into DIR")


def check_kernel_arguments(args: argparse.Namespace) -> None:
    """Before any work: an unknown export format or a missing kernel is bad input (exit 2)."""
    if args.export is not None and args.export[0] != "coq":
        raise SymcheckError(f"--export: unknown format {args.export[0]!r}; allowed: coq (e.g. --export coq out/)")
    if args.export is not None and not args.export[1].strip():  # Path("") is the current directory
        raise SymcheckError("--export coq: empty directory name; give a directory, e.g. --export coq out/")
    if args.export is not None and os.path.exists(args.export[1]) and not os.path.isdir(args.export[1]):
        raise SymcheckError(f"--export coq {args.export[1]}: not a directory; "
                            "give a directory to write the .v file into")
    if getattr(args, "general", False) and (args.kernel or args.export):
        raise SymcheckError("--kernel/--export: apply to concrete widths (--widths), not to --general")
    if args.kernel:
        require(args.kernel)


def apply_kernels(result, args: argparse.Namespace, command: str):
    """``result`` re-checked by the kernels asked for, and exported if asked; a note on stderr names the file."""
    asked = list(dict.fromkeys(args.kernel))
    for kernel in kernels.SMT_KERNELS:
        if kernel in asked:
            recheck = kernels.recheck_proof if hasattr(result, "induction") else kernels.recheck_analysis
            result = recheck(result, kernel=kernel)
    directory = args.export[1] if args.export else None
    if "coq" in asked:
        result, path, note = kernels.confirm_with_coq(result, directory)
        if path is not None:
            sys.stderr.write(f"symcheck {command}: wrote {path}\n")
    elif directory is not None:
        try:
            path = kernels.export_coq(result, directory)
            sys.stderr.write(f"symcheck {command}: wrote {path}\n")
        except NotExportable as reason:
            sys.stderr.write(f"symcheck {command}: not exported to Coq: {reason}\n")
    return result
