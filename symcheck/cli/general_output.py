"""``symcheck prove --general``: the theorem for every depth, width, activation and loss.

``prove`` owns the command; it declares these options with ``add_general_arguments``
and hands over to ``run_general`` when ``--general`` is given."""

from __future__ import annotations

import argparse

from ..errors import InvalidSpec
from ..general import HYPOTHESES, prove_general
from . import VERDICT_EXIT
from .output_options import write_result
from .options import reject_unused


def add_general_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--general", action="store_true",
        help="prove the theorem once for every depth K, all widths, any activation and any loss "
             "(symbolic widths; --widths is then not used)")
    parser.add_argument(
        "--drop", action="append", default=[], metavar="HYPOTHESIS",
        help="with --general: replace one hypothesis by a generic matrix to see which lemma fails "
             f"({', '.join(HYPOTHESES)}); may be repeated")


def run_general(args: argparse.Namespace, output: str) -> int:
    if getattr(args, "widths", None) is not None:
        raise InvalidSpec("widths: --general proves the theorem for every width; leave out --widths")
    # the general theorem is about constant init and plain gradient descent, for every sigma and loss
    reject_unused(args, ("activation", "loss"), "with --general, which proves the theorem for every "
                                                "activation and loss at once")
    reject_unused(args, ("init", "optimizer"), "with --general, which proves the theorem for constant "
                                               "initialization and plain gradient descent (sgd); give "
                                               "--widths to prove a concrete network with them")
    proof = prove_general(drop=args.drop, seed=getattr(args, "seed", 0))
    write_result(proof, output, args)
    return VERDICT_EXIT[proof.verdict]


def require_widths(args: argparse.Namespace) -> None:
    """A concrete proof needs --widths (optional on the parser because of --general)."""
    if getattr(args, "drop", None):
        raise InvalidSpec("drop: --drop only applies to --general")
    if args.widths is None:
        raise InvalidSpec("widths: missing; give --widths d,n1,...,m (e.g. 2,2,1) or use --general")
