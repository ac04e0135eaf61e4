"""``symcheck init SCHEME --shape 5,3``: what an initialization scheme draws for one tensor."""

from __future__ import annotations

import json
import sys

from ...errors import InvalidSpec, unknown_name
from ...initialization.initializers import (
    NONLINEARITIES,
    SCHEME_NAMES,
    TORCH,
    Initializer,
    calculate_gain,
    describe_scheme,
    finite,
    make_initializer,
    scheme_family,
)

from ...initialization import variance
from ...render.data import data
from ...render.text import text
from ..output_options import add_format_arguments, latex_output, output_format
from ..options import reject_unused
from ...initialization import variance

NAME = "init"
HELP = "distribution, std and bound of an initialization scheme (PyTorch or Keras numbers)"
ORDER = 50


#: the options that describe the scheme's tensor and parameters (``make_initializer`` checks which apply)
OPTIONS = ("shape", "convention", "gain", "slope", "mode", "scale", "distribution", "mean", "std", "low", "high",
           "value", "cut")


def add_arguments(parser) -> None:
    parser.add_argument("scheme", nargs="?", help="e.g. xavier_uniform, he_normal, glorot_normal, orthogonal")
    parser.add_argument("--shape", help="weight shape, e.g. 5,3 (torch: out,in,*kernel; keras: *kernel,in,out)")
    parser.add_argument("--convention", default=TORCH, help="torch (default) or keras")
    parser.add_argument("--gain", help="a number or a nonlinearity name (PyTorch calculate_gain): "
                        + ", ".join(NONLINEARITIES))
    parser.add_argument("--slope", help="negative slope for --gain leaky_relu (default 0.01; 0 for he_*, "
                        "as kaiming_*_(a=0))")
    parser.add_argument("--mode", help="fan_in, fan_out (torch lecun/he) or fan_avg (variance_scaling)")
    parser.add_argument("--scale", help="variance_scaling: Var(W) = scale / fan")
    parser.add_argument("--distribution", help="variance_scaling: truncated_normal, untruncated_normal, uniform")
    parser.add_argument("--mean", help="normal: mean")
    parser.add_argument("--std", help="normal / truncated_normal: standard deviation (before the cut)")
    parser.add_argument("--low", help="uniform: lower end")
    parser.add_argument("--high", help="uniform: upper end")
    parser.add_argument("--value", help="constant: the value")
    parser.add_argument("--cut", help="truncated_normal under torch: values outside [-cut, cut] are redrawn")
    parser.add_argument("--list", action="store_true", help="list the schemes and exit")
    parser.add_argument("--explain", action="store_true", help="also print the derivation of the rule")
    add_format_arguments(parser, "output format (default: text); latex prints the derivations of the rule "
                                 "(as --explain), a fragment or with --standalone a document")


def run(args) -> int:
    if args.list:
        if args.scheme is not None:
            raise InvalidSpec(f"scheme: {args.scheme!r} is not used with --list, which lists the schemes and "
                              "exits; leave out one of them")
        reject_unused(args, (*OPTIONS, "explain", "format", "json", "standalone", "notation"),
                      "with --list, which lists the schemes and exits")
        for name in SCHEME_NAMES:
            print(f"{name:24s} {describe_scheme(name)}")
        return 0
    if args.scheme is None:
        raise InvalidSpec("scheme: missing; give a scheme name such as xavier_uniform (see --list)")
    if args.shape is None:
        raise InvalidSpec("shape: missing; give --shape, e.g. --shape 5,3")
    parameters = {name: getattr(args, name) for name in OPTIONS if name not in ("shape", "convention", "gain",
                                                                                "slope")}
    initializer = make_initializer(args.scheme, args.shape, args.convention, gain=_gain(args), **parameters)
    output = output_format(args)
    if output == "json":
        reject_unused(args, ("explain",), "with JSON output (the derivations are text or LaTeX: --format latex)")
    if output == "latex":
        derivations = explained_derivations(initializer)
        if not derivations:
            raise InvalidSpec(f"format: {initializer.scheme} has no scaling rule to derive; "
                              "--format latex needs a scheme such as xavier_uniform or he_normal")
        sys.stdout.write(latex_output(derivations + (initializer,), args))  # the rule at --shape last
    elif output == "json":
        print(json.dumps(data(initializer), indent=2))
    else:
        print(text(initializer))
        if args.explain:
            print()
            print(explain(initializer))
    return 0


def _gain(args):
    if args.slope is not None and args.gain != "leaky_relu":
        raise InvalidSpec("slope: only meaningful with --gain leaky_relu")
    if args.gain is None:
        return None
    if args.gain not in NONLINEARITIES:
        try:
            return finite("gain", args.gain)
        except InvalidSpec:
            if args.gain[:1] in tuple("0123456789+-."):  # meant as a number: say what is wrong with it
                raise
            raise InvalidSpec(unknown_name("gain", args.gain, NONLINEARITIES) + "; or give a number") from None
    if args.gain == "leaky_relu":
        default = 0.0 if scheme_family(args.scheme or "") == "he" else None
        slope = default if args.slope is None else finite("slope", args.slope)
        return calculate_gain("leaky_relu", slope)
    return calculate_gain(args.gain)


def explain(init: Initializer) -> str:
    chosen = explained_derivations(init)
    if not chosen:
        return f"{init.scheme}: no scaling rule to derive (its parameters are given directly)"
    return "\n\n".join(text(derivation) for derivation in chosen)


def explained_derivations(init: Initializer) -> tuple:
    """The variance derivations behind a scheme's rule, in reading order (empty if it has none)."""
    family = scheme_family(init.scheme)
    chosen = {
        "lecun": (variance.forward_recursion, variance.tanh_linear_regime, variance.lecun_rule),
        "he": (variance.forward_recursion, variance.relu_second_moment, variance.he_rule),
        "xavier": (variance.forward_recursion, variance.backward_recursion, variance.xavier_rule),
        "variance_scaling": (variance.forward_recursion,),
    }.get(family, ())
    if init.distribution == "uniform" and family in ("lecun", "he", "xavier", "variance_scaling"):
        chosen += (variance.uniform_bound,)
    if init.distribution == "truncated_normal":
        chosen += (variance.truncated_normal_std,)
    return tuple(derivation() for derivation in chosen)
