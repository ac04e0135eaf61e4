"""``symcheck init-report``: how each initialization carries the signal through a deep MLP."""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import InvalidSpec
from ...initialization.initializers import CONVENTIONS, TORCH, check_convention, resolve_scheme
from ...initialization.signal import (
    DEFAULT_ACTIVATIONS,
    DEFAULT_DEPTH,
    DEFAULT_SAMPLES,
    DEFAULT_SCHEMES,
    DEFAULT_SEED,
    DEFAULT_WIDTH,
    MAX_LAYERS,
    MAX_SAMPLES,
    MAX_UNITS,
    SignalReport,
    outcomes,
    signal_report,
)
from ...render.data import data
from ...render.figures import draw_signal_report, load_pyplot
from ...render.text import text

from ..options import add_seed_argument, int_option, output_file

NAME = "init-report"
HELP = "Monte Carlo signal propagation per layer for each scheme x activation (table, plots)"
ORDER = 51
#: seconds before the run stops as undecided (--timeout): building takes longer than a proof
TIMEOUT = 600.0
PLOT_FORMATS = (".png", ".pdf")


def add_arguments(parser) -> None:
    parser.add_argument("--depth", type=int_option(1, MAX_LAYERS), default=DEFAULT_DEPTH, metavar="N",
                        help=f"hidden layers, 1..{MAX_LAYERS} (default {DEFAULT_DEPTH})")
    parser.add_argument("--width", type=int_option(1, MAX_UNITS), default=DEFAULT_WIDTH, metavar="N",
                        help=f"units per layer, 1..{MAX_UNITS} (default {DEFAULT_WIDTH})")
    parser.add_argument("--samples", type=int_option(1, MAX_SAMPLES), default=DEFAULT_SAMPLES, metavar="N",
                        help=f"inputs x ~ N(0, I), 1..{MAX_SAMPLES} (default {DEFAULT_SAMPLES})")
    add_seed_argument(parser, "random seed", DEFAULT_SEED)
    parser.add_argument("--schemes", default=",".join(DEFAULT_SCHEMES), help="comma-separated catalogue names")
    parser.add_argument("--activations", default=",".join(DEFAULT_ACTIVATIONS),
                        help="comma-separated: tanh, sigmoid, relu, identity")
    parser.add_argument("--convention", default=TORCH, help=f"{' or '.join(CONVENTIONS)} (default torch)")
    parser.add_argument("-o", "--output", type=output_file, help="also draw the plots into this .png or .pdf file")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args) -> int:
    check_convention(args.convention)
    schemes = tuple(resolve_scheme(name, "schemes") for name in _items("schemes", args.schemes))
    activations = _items("activations", args.activations)
    if args.output is not None and Path(args.output).suffix.lower() not in PLOT_FORMATS:
        raise InvalidSpec(f"output: {args.output!r}; the plot file must end in .png or .pdf")
    pyplot = load_pyplot() if args.output is not None else None  # fail before the computation
    report = signal_report(schemes, activations, args.depth, args.width, args.samples, args.seed,
                           args.convention)
    if args.json:
        print(json.dumps(data(report), indent=2))
    else:
        print(text(report))
    if pyplot is not None:
        draw(report, args.output)
        if not args.json:
            print(f"\nplots written to {args.output}")
    return 0


def _items(field, text):
    items = tuple(item.strip() for item in text.split(",") if item.strip())
    if not items:
        raise InvalidSpec(f"{field}: empty; give comma-separated names")
    return items





def draw(report: SignalReport, path: str) -> None:
    draw_signal_report(report, path, outcomes(report, report.runs[0].activation))
