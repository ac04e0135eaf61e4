"""Fragments and complete documents for ``derive``, ``prove``, ``analyze``, ``trace`` and ``init`` output."""

from __future__ import annotations

from ..errors import UnsupportedObject
from .latex import latex
from .texutil import standalone, tex_text


def _network(obj) -> str:
    return "MLP " + tex_text(obj.spec.name).replace("-", "--")


#: A document's title, by the class name of the object printed (no result module is imported).
TITLES = {
    "Derivation": lambda obj: f"Backpropagation for the {_network(obj)}",
    "Proof": lambda obj: (f"Does training keep the hidden units tied? {_network(obj)}, "
                          f"{tex_text(obj.init.name)} initialization"),
    "GeneralProof": lambda obj: "The symmetry theorem for every depth, width, activation and loss",
    "Analysis": lambda obj: (f"Twin classes and their persistence: {_network(obj)}, {tex_text(obj.init.name)} "
                             f"initialization, {tex_text(obj.optimizer.name)}"),
    "Trace": lambda obj: f"Gradient descent step by step: {_network(obj)}, {tex_text(obj.init.name)} initialization",
    "VarianceDerivation": lambda obj: latex(obj.title),
}


def _kind(obj) -> str:
    return type(obj).__name__


def title_for(obj) -> str:
    if _kind(obj) in TITLES:
        return TITLES[_kind(obj)](obj)
    if isinstance(obj, tuple) and obj and all(_kind(d) == "VarianceDerivation" for d in obj[:-1]) \
            and _kind(obj[-1]) in ("VarianceDerivation", "Initializer"):
        return "Why the scaled initializations scale the way they do"  # (and the rule at one shape)
    raise UnsupportedObject(f"no document for {_kind(obj)}")


def _body(obj, **settings) -> str:
    if isinstance(obj, tuple):  # several derivations, in order
        title_for(obj)  # rejects anything else
        return "\n".join(latex(item, **settings) for item in obj)
    return latex(obj, **settings)


def fragment_for(obj, **settings) -> str:
    title_for(obj)  # the same objects as document_for, no more
    packages = "amsmath and booktabs" if _kind(obj) in ("Analysis", "Trace") else "amsmath"  # tables: \\toprule
    header = f"% symcheck output: \\input this file; needs {packages}\n"
    return header + _body(obj, **settings)


def document_for(obj, **settings) -> str:
    return standalone(_body(obj, **settings), title_for(obj))
