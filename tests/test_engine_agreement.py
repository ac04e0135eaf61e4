"""The two former inductive-step routes agree: plain SGD's own path and the optimizer
engine run with ``optimizer="sgd"`` give the same verdict, the same status per invariant
and the same number of identities per invariant, base case and step, on a grid of
networks, activations, losses and initializations."""

import pytest

from symcheck.induction.optimizer_symmetry import optimizer_proof
from symcheck.induction.symmetry import _sgd_proof
from symcheck.initialization.patterns import parse_init
from symcheck.model.spec import MLP

NETWORKS = [(2, 2, 1), (2, 3, 1), (3, 2, 2, 1), (2, 2, 2, 2, 1), (3, 4)]
ACTIVATIONS = ["tanh", "relu", "sigmoid", "f", "identity"]
INITS = ["constant", "zeros", "random", "W=0,b=random", "W=1/2,b=0"]


def _loss(widths, index):
    """mse, bce and ce in turn; ce needs two outputs, so a one-output network takes bce there."""
    loss = ("mse", "bce", "ce")[index % 3]
    return "bce" if loss == "ce" and widths[-1] < 2 else loss


GRID = [(widths, activation, _loss(widths, n + m), init)
        for n, widths in enumerate(NETWORKS) for m, activation in enumerate(ACTIVATIONS) for init in INITS]


def _summary(proof):
    return (proof.verdict,
            tuple((r.invariant.describe(), r.base.status, r.base.identities, r.base.methods,
                   r.step.status, r.step.identities, r.step.methods)
                  for r in proof.results),
            None if proof.counterexample is None else
            (proof.counterexample.stage, proof.counterexample.invariant.describe(),
             proof.counterexample.position, proof.counterexample.reference))


@pytest.mark.parametrize("widths, activation, loss, init", GRID, ids=lambda v: "-".join(map(str, v))
                         if isinstance(v, tuple) else str(v))
def test_sgd_route_and_engine_route_agree(widths, activation, loss, init):
    spec = MLP(widths, activation, loss)
    start = parse_init(init, 0)
    sgd, _ = _sgd_proof(spec, start, 0)
    engine = optimizer_proof(spec, start, 0, "sgd")
    assert _summary(sgd) == _summary(engine)
