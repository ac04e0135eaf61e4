"""The optimizers in SymPy: every hyperparameter as a symbol (a proof covers every value), the
learning rate symbol ``eta``, and the operations the update rules need on SymPy expressions.
The rules themselves are ``model.optimizers``, which imports no SymPy."""

from __future__ import annotations

import sympy as sp

from .optimizers import Ops, Optimizer, shaped
from .spec import MLP

SYMPY_OPS = Ops(sp.sqrt, lambda a, b: sp.Max(a, b), lambda q: sp.Rational(q.numerator, q.denominator),
                lambda terms: sp.Add(*terms))

#: The learning rate as a symbol: the ``eta`` that ``hyper_symbols`` gives every rule (SymPy makes
#: one symbol of one name and assumptions), for the derivation's and the proofs' steps.
LEARNING_RATE = sp.Symbol("eta", positive=True)


def hyper_symbols(optimizer: Optimizer, spec: MLP) -> dict:
    """Every hyperparameter of ``optimizer`` on ``spec`` as a symbol: a proof covers every value."""
    symbols = {name: sp.Symbol(name, positive=True) for name, _ in optimizer.hyper}
    if optimizer.per_unit_rates:
        symbols["eta_unit"] = {(i, r): sp.Symbol(f"eta_{i}_{r}", positive=True)
                               for i, n in enumerate(spec.hidden_widths, 1) for r in range(n)}
    if optimizer.masks:
        symbols["mask"] = {(i, r): sp.Symbol(f"mask_{i}_{r}", nonnegative=True)
                           for i, n in enumerate(spec.hidden_widths, 1) for r in range(n)}
    if optimizer.noise:
        symbols["xi"] = {name: shaped(spec.parameter_shape(name), lambda idx, name=name: sp.Symbol(
            f"xi_{name}_{'_'.join(map(str, idx))}", real=True)) for name in spec.parameter_names}
    return symbols
