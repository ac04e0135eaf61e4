"""Fragments and complete documents for ``derive``, ``prove``, ``analyze``, ``trace`` and ``init`` output."""

from __future__ import annotations

from ..errors import UnsupportedObject
from ..induction.analysis import Analysis
from ..symbolic.derivation import Derivation
from ..general import GeneralProof
from ..initialization.initializers import Initializer
from ..induction.symmetry import Proof
from ..induction.trace import Trace
from ..initialization.variance import VarianceDerivation
from .latex import latex
from .plain_math import plain_math_tex
from .texutil import standalone, tex_text


def _network(obj) -> str:
    return "MLP " + tex_text(obj.spec.name).replace("-", "--")


def title_for(obj) -> str:
    if isinstance(obj, Derivation):
        return f"Backpropagation for the {_network(obj)}"
    if isinstance(obj, Proof):
        return f"Does training keep the hidden units tied? {_network(obj)}, {tex_text(obj.init.name)} initialization"
    if isinstance(obj, GeneralProof):
        return "The symmetry theorem for every depth, width, activation and loss"
    if isinstance(obj, Analysis):
        return (f"Twin classes and their persistence: {_network(obj)}, {tex_text(obj.init.name)} "
                f"initialization, {tex_text(obj.optimizer.name)}")
    if isinstance(obj, Trace):
        return f"Gradient descent step by step: {_network(obj)}, {tex_text(obj.init.name)} initialization"
    if isinstance(obj, VarianceDerivation):
        return plain_math_tex(obj.title)
    if isinstance(obj, tuple) and obj and all(isinstance(d, VarianceDerivation) for d in obj[:-1]) \
            and isinstance(obj[-1], (VarianceDerivation, Initializer)):
        return "Why the scaled initializations scale the way they do"  # (and the rule at one shape)
    raise UnsupportedObject(f"no document for {type(obj).__name__}")


def _body(obj, **settings) -> str:
    if isinstance(obj, tuple):  # several derivations, in order
        title_for(obj)  # rejects anything else
        return "\n".join(latex(item, **settings) for item in obj)
    return latex(obj, **settings)


def fragment_for(obj, **settings) -> str:
    title_for(obj)  # the same objects as document_for, no more
    packages = "amsmath and booktabs" if isinstance(obj, (Analysis, Trace)) else "amsmath"  # tables: \\toprule
    header = f"% symcheck output: \\input this file; needs {packages}\n"
    return header + _body(obj, **settings)


def document_for(obj, **settings) -> str:
    return standalone(_body(obj, **settings), title_for(obj))
