"""symcheck: symbolic proofs about how neural networks train.

The public API is exactly ``__all__``; everything else is internal.

The functions that do the work (``prove_symmetry``, ``analyze``, ``trace``,
``derive``, ...) are the public boundary: a ``SymcheckError`` that leaves one
of them says what was being done ("while proving 3-4-4-2 tanh mse with adam:
..."), keeping its class and ``__cause__`` (``errors.with_context``). The
command line and the theorem runner call the defining modules, so their
one-line messages carry no such prefix. Constructors, registry look-ups and
file readers (``MLP``, ``get_activation``, ``parse_init``, ``load_point``,
``load_theorem``) are not wrapped: their messages already name the field and
the value.
"""

from .model.activations import Activation, ACTIVATIONS, custom_activation, get_activation
from .induction.analysis import Analysis, analyze
from .symbolic.backprop import Backprop, backprop, diff_gradients, generic_parameters
from .induction.confirmation import confirm_symmetry, Confirmation
from .symbolic.derivation import Derivation, derive
from .errors import (
    InvalidExpression,
    InvalidFile,
    InvalidPoint,
    InvalidSpec,
    InvalidTheorem,
    SymcheckError,
    with_context,
)
from .general import GeneralProof, prove_general
from .symbolic.gradient import evaluate_gradient, GradientEvaluation
from .handout import build_handout, Handout
from .exact.identities import decide_equal, Decision
from .exact.verdict import Status
from .initialization.initializers import calculate_gain, compute_fans, Initializer, make_initializer
from .initialization.inits import Init
from .induction.invariants import check_invariant, Invariant, InvariantCheck, symmetry_invariants, tied_point
from .model.losses import get_loss, Loss, LOSSES
from .model.optimizers import get_optimizer, Optimizer, OPTIMIZERS
from .initialization.patterns import FileInit, InitPattern, parse_init
from .model.point import load_point, Point
from .induction.symmetry import Counterexample, Proof, prove_symmetry
from .render.latex import latex
from .model.safe_expr import parse_expression
from .initialization.signal import signal_report, SignalReport, SignalRun
from .model.spec import MLP
from .theorems import load_theorem, Outcome, run_theorems, Theorem, Verdict
from .induction.trace import Trace, trace
from .induction.twins import Partition, twin_classes
from .initialization.variance import DerivationStep, derived_rules, VarianceDerivation


def _network(spec: MLP) -> str:
    return f"{spec.name} {spec.activation} {spec.loss}"


def _optimizer_name(optimizer) -> str:
    return getattr(optimizer, "name", optimizer)


# The public boundary (see the module docstring): each function that does the work, wrapped once.
prove_symmetry = with_context(
    lambda spec, optimizer, **_: f"proving {_network(spec)} with {_optimizer_name(optimizer)}")(prove_symmetry)
analyze = with_context(
    lambda spec, optimizer, **_: f"analyzing {_network(spec)} with {_optimizer_name(optimizer)}")(analyze)
trace = with_context(lambda spec, steps, **_: f"tracing {_network(spec)} for {steps} steps")(trace)
derive = with_context(lambda spec, **_: f"deriving backpropagation for {_network(spec)}")(derive)
backprop = with_context(lambda spec, **_: f"backpropagating through {_network(spec)}")(backprop)
diff_gradients = with_context(lambda spec, **_: f"differentiating the loss of {_network(spec)}")(diff_gradients)
evaluate_gradient = with_context(lambda spec, **_: f"evaluating the gradient of {_network(spec)}")(evaluate_gradient)
confirm_symmetry = with_context(
    lambda proof, **_: f"confirming the proof for {_network(proof.spec)}")(confirm_symmetry)
prove_general = with_context(
    lambda drop, **_: "proving the general theorem" + (f" without {', '.join(drop)}" if drop else ""))(prove_general)
build_handout = with_context(lambda spec, **_: f"building the handout for {_network(spec)}")(build_handout)
signal_report = with_context(lambda **_: "computing the signal propagation report")(signal_report)
run_theorems = with_context(lambda theorems, **_: f"running {len(theorems)} theorem files")(run_theorems)
latex = with_context(lambda obj, **_: f"printing a value of type {type(obj).__name__!r} as LaTeX")(latex)

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "ACTIVATIONS",
    "Analysis",
    "analyze",
    "Backprop",
    "backprop",
    "build_handout",
    "calculate_gain",
    "check_invariant",
    "compute_fans",
    "confirm_symmetry",
    "Confirmation",
    "Counterexample",
    "custom_activation",
    "decide_equal",
    "Decision",
    "Derivation",
    "DerivationStep",
    "derive",
    "derived_rules",
    "diff_gradients",
    "evaluate_gradient",
    "FileInit",
    "GeneralProof",
    "generic_parameters",
    "get_activation",
    "get_loss",
    "get_optimizer",
    "GradientEvaluation",
    "Handout",
    "Init",
    "Initializer",
    "InitPattern",
    "InvalidExpression",
    "InvalidFile",
    "InvalidPoint",
    "InvalidSpec",
    "InvalidTheorem",
    "Invariant",
    "InvariantCheck",
    "latex",
    "load_point",
    "load_theorem",
    "Loss",
    "LOSSES",
    "make_initializer",
    "MLP",
    "Optimizer",
    "OPTIMIZERS",
    "Outcome",
    "parse_expression",
    "parse_init",
    "Partition",
    "Point",
    "Proof",
    "prove_general",
    "prove_symmetry",
    "run_theorems",
    "signal_report",
    "SignalReport",
    "SignalRun",
    "Status",
    "SymcheckError",
    "symmetry_invariants",
    "Theorem",
    "tied_point",
    "Trace",
    "trace",
    "twin_classes",
    "VarianceDerivation",
    "Verdict",
]
