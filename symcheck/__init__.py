"""symcheck: symbolic proofs about how neural networks train.

The public API is exactly ``__all__``; everything else is internal.
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
)
from .general import GeneralProof, prove_general
from .symbolic.gradient import evaluate_gradient, GradientEvaluation
from .handout import build_handout, Handout
from .exact.decide import decide_equal, Decision
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
