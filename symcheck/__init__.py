"""symcheck: symbolic proofs about how neural networks train.

The public API is exactly ``__all__``; everything else is internal.

The functions that do the work (``prove_symmetry``, ``analyze``, ``trace``,
``derive``, ...) are the public boundary: a ``SymcheckError`` that leaves one
of them says what was being done ("while proving 3-4-4-2 tanh mse with adam:
..."), keeping its class and ``__cause__`` (``errors.with_context``). The
command line and the theorem runner call the defining modules, so their
one-line messages carry no such prefix. Constructors, registry look-ups and
file readers (``MLP``, ``get_activation``, ``parse_init``, ``load_point``,
``load_theorem``, ...) are not wrapped: their messages already name the field
and the value (``tests/test_errors.py`` lists each with its reason).
"""

from . import budget
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
from .exact.decide import decide_equal, Decision
from .exact.verdict import Status
from .initialization.initializers import calculate_gain, compute_fans, Initializer, make_initializer
from .initialization.inits import Init
from .induction.engine import Counterexample, GroupCheck, Induction, prove_invariance
from .induction.invariants import Invariant, symmetry_invariants
from .model.losses import get_loss, Loss, LOSSES
from .model.optimizers import get_optimizer, Optimizer, OPTIMIZERS
from .initialization.patterns import FileInit, InitPattern, parse_init
from .model.point import load_point, Point
from .induction.subspace import Subspace, tie_subspace
from .induction.symmetry import Proof, prove_symmetry
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


def _public(function, describe):
    """``function`` at the public boundary: errors leaving it get their context (``with_context``),
    and pickle finds it by reference as ``symcheck.<name>`` (multiprocessing sends functions by
    name), which is this wrapper, not the function it wraps."""
    wrapped = with_context(describe)(function)
    wrapped.__module__ = __name__
    return wrapped


# The public boundary (see the module docstring): each function that does the work, wrapped once.
prove_symmetry = _public(
    prove_symmetry, lambda spec, optimizer, **_: f"proving {_network(spec)} with {_optimizer_name(optimizer)}")
analyze = _public(analyze, lambda spec, optimizer, **_: f"analyzing {_network(spec)} with {_optimizer_name(optimizer)}")
trace = _public(trace, lambda spec, steps, **_: f"tracing {_network(spec)} for {steps} steps")
derive = _public(derive, lambda spec, **_: f"deriving backpropagation for {_network(spec)}")
backprop = _public(backprop, lambda spec, **_: f"backpropagating through {_network(spec)}")
diff_gradients = _public(diff_gradients, lambda spec, **_: f"differentiating the loss of {_network(spec)}")
evaluate_gradient = _public(evaluate_gradient, lambda spec, **_: f"evaluating the gradient of {_network(spec)}")
confirm_symmetry = _public(confirm_symmetry, lambda proof, **_: f"confirming the proof for {_network(proof.spec)}")
prove_general = _public(
    prove_general, lambda drop, **_: "proving the general theorem" + (f" without {', '.join(drop)}" if drop else ""))
build_handout = _public(build_handout, lambda spec, **_: f"building the handout for {_network(spec)}")
signal_report = _public(signal_report, lambda **_: "computing the signal propagation report")
run_theorems = _public(run_theorems, lambda theorems, **_: f"running {len(theorems)} theorem files")
latex = _public(latex, lambda obj, **_: f"printing a value of type {type(obj).__name__!r} as LaTeX")
prove_invariance = _public(
    prove_invariance, lambda subspace, optimizer, **_: f"proving that a subspace of {_network(subspace.spec)} is "
                                                       f"closed under {_optimizer_name(optimizer)}")
decide_equal = _public(
    decide_equal, lambda lhs, rhs, **_: f"deciding {budget.brief(str(lhs))} = {budget.brief(str(rhs))}")
twin_classes = _public(twin_classes, lambda spec, **_: f"finding the twin classes of {_network(spec)}")
derived_rules = _public(derived_rules, lambda **_: "deriving the initializers' variance rules")

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
    "GroupCheck",
    "Handout",
    "Induction",
    "Init",
    "Initializer",
    "InitPattern",
    "InvalidExpression",
    "InvalidFile",
    "InvalidPoint",
    "InvalidSpec",
    "InvalidTheorem",
    "Invariant",
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
    "prove_invariance",
    "prove_symmetry",
    "run_theorems",
    "signal_report",
    "SignalReport",
    "SignalRun",
    "Status",
    "Subspace",
    "SymcheckError",
    "symmetry_invariants",
    "Theorem",
    "tie_subspace",
    "Trace",
    "trace",
    "twin_classes",
    "VarianceDerivation",
    "Verdict",
]
