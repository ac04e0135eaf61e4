"""symcheck handout: a complete teaching handout (PDF, or LaTeX to build) on constant initialization."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...model.activations import NUMERIC_ACTIVATIONS, require_values
from ...model.spec import MLP
from .. import EXIT_OK, EXIT_UNDECIDED
from ..output_options import NOTATIONS
from ..options import add_seed_argument, output_file
from ...errors import HandoutUndecided
from ...handout.build import Options, build, numbered_students, read_roster
from ...render.texutil import PAPERS

NAME = "handout"
HELP = "write a teaching handout (PDF, or .tex and figures) on why weights must not all start at 0"
ORDER = 60
#: seconds before the run stops as undecided (--timeout): building takes longer than a proof
TIMEOUT = 600.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", default="handout.pdf", metavar="FILE", type=output_file,
                        help="handout.pdf (compiled when pdflatex is installed) or handout.tex (default: handout.pdf)")
    parser.add_argument("--widths", default="2,2,1", metavar="d,n1,...,m",
                        help="the network of the handout (default: 2,2,1, the worked example of the seeds)")
    parser.add_argument("--activation", default="sigmoid",
                        help=f"hidden activation: {', '.join(NUMERIC_ACTIVATIONS)} (default: sigmoid)")
    parser.add_argument("--loss", default="bce", help="mse, bce or ce (default: bce)")
    add_seed_argument(parser, "which numeric instance of the exercises (one per student)")
    parser.add_argument("--notation", default="bracket", choices=NOTATIONS,
                        help="layer index: W^{[1]} (bracket, default) or W_1 (subscript)")
    parser.add_argument("--paper", default=None, choices=PAPERS,
                        help="paper size (default: the TeX installation's)")
    parser.add_argument("--appendix", action="store_true",
                        help="append the machine-checked certificates, lemma by lemma (default: off)")
    parser.add_argument("--answers", default="separate", choices=("separate", "inline", "none"),
                        help="the answer key: a second PDF FILE-answers.pdf (separate, default), after the "
                             "exercises (inline) or not at all (none)")
    students = parser.add_mutually_exclusive_group()
    students.add_argument("--students", type=int, default=None, metavar="N",
                          help="also write N exercise sheets with different numbers (and their keys)")
    students.add_argument("--roster", default=None, metavar="FILE",
                          help="like --students, one sheet per name in FILE (one name a line)")


def run(args: argparse.Namespace) -> int:
    require_values(args.activation, "work the handout's examples out with")
    spec = MLP.parse(args.widths, args.activation, args.loss)
    students = (read_roster(Path(args.roster)) if args.roster is not None
                else numbered_students(args.students) if args.students is not None else ())
    options = Options(args.notation, args.paper, args.appendix, args.answers, students)
    try:
        result = build(spec, args.seed, Path(args.output), options)
    except HandoutUndecided as error:  # a check behind the text failed: nothing is handed out
        sys.stderr.write(f"symcheck handout: undecided: {error}\n")
        return EXIT_UNDECIDED
    for extra in result.extras:
        sys.stdout.write(f"wrote {extra}\n")
    if result.pdf is not None:
        sys.stdout.write(f"wrote {result.pdf} (built with {result.engine}; sources {result.tex})\n")
    else:
        figures = ", ".join(str(f) for f in result.figures)
        sys.stdout.write(f"wrote {result.tex} and its figures {figures}\n")
        how = "no pdflatex found; " if Path(args.output).suffix == ".pdf" else ""
        sys.stdout.write(f"{how}build the PDF with: cd {result.tex.parent} && latexmk -pdf {result.tex.name}"
                         f"  (or run pdflatex {result.tex.name} twice)\n")
    return EXIT_OK
