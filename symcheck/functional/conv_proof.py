"""A convolution's update keeps an equitable partition of its channels: a symbolic check.

The network: one input channel (3 x 3), a convolution to 2 channels (2 x 2 kernel, bias),
the activation ``f`` (uninterpreted: every activation), a convolution to 2 channels (2 x 2
kernel, bias, output 1 x 1), ``f`` again, a linear readout and a loss ``ell`` (uninterpreted:
every loss). The point: the two layer-1 channels are twins (equal filters and biases); the
layer-2 weights are *not* equal per channel, only equitable per kernel position t:
W2[0, :, t] = (a_t, s_t - a_t), W2[1, :, t] = (s_t - a_t, a_t) (equal row sums and equal
column sums per position), with equal biases and readout weights. The gradient is taken by
``sympy.diff`` of the scalar loss with every entry a distinct symbol (an independent route
from symcheck's layer recursion), then evaluated at the point; every identity "block sum of
one channel's gradient = the other's" is decided by ``exact.decide.decide_equal``. Since the
update theta - eta g of SGD is linear and entrywise, equal gradient block sums keep the
partition; ``functional.proof`` shows the same for the other rules at the class level.
"""

from __future__ import annotations

import sympy as sp

from ..model.activations import f
from ..exact.decide import Decision, decide_equal
from ..exact.sampling import Sampler
from ..exact.verdict import REFUTED, UNDECIDED, combine
from .proof import Probe

KERNEL = ((0, 0), (0, 1), (1, 0), (1, 1))


def _conv(x, w, b, out_size):
    """x[k][i][j], w[p][k][t] with t over KERNEL: z[p][i][j] (valid convolution, stride 1)."""
    return [[[b[p] + sum(w[p][k][t] * x[k][i + di][j + dj] for k in range(len(x)) for t, (di, dj) in enumerate(KERNEL))
              for j in range(out_size)] for i in range(out_size)] for p in range(len(w))]


def prove_conv_step(seed: int = 0, perturb: bool = False) -> Probe:
    """``perturb``: W2[1, 1, t] = a_t + 1, so the column sums differ (not equitable): must be refuted."""
    x = [[[sp.Symbol(f"x_{i}{j}") for j in range(3)] for i in range(3)]]
    W1 = [[[sp.Symbol(f"W1_{p}0{t}") for t in range(4)]] for p in range(2)]
    b1 = [sp.Symbol(f"b1_{p}") for p in range(2)]
    W2 = [[[sp.Symbol(f"W2_{p}{k}{t}") for t in range(4)] for k in range(2)] for p in range(2)]
    b2 = [sp.Symbol(f"b2_{p}") for p in range(2)]
    V = [sp.Symbol(f"V_{p}") for p in range(2)]
    ell = sp.Function("ell")
    h1 = [[[f(z) for z in row] for row in ch] for ch in _conv(x, W1, b1, 2)]
    h2 = [ch[0][0] for ch in _conv(h1, W2, b2, 1)]
    output = sum(V[p] * f(h2[p]) for p in range(2))
    y = sp.Symbol("y")
    # every loss (``ell`` uninterpreted) for the proof; squared error, one instance of "every loss",
    # where the uninterpreted one cannot be evaluated to refute
    losses = (ell(output), (output - y) ** 2 / 2)
    u, a, s = sp.symbols("u0:4"), sp.symbols("a0:4"), sp.symbols("s0:4")
    beta, gamma, v = sp.symbols("beta gamma v")
    point = {b1[0]: beta, b1[1]: beta, b2[0]: gamma, b2[1]: gamma, V[0]: v, V[1]: v}
    for t in range(4):
        point.update({W1[0][0][t]: u[t], W1[1][0][t]: u[t], W2[0][0][t]: a[t], W2[0][1][t]: s[t] - a[t],
                      W2[1][0][t]: s[t] - a[t], W2[1][1][t]: a[t] + (1 if perturb else 0)})

    def grad(symbol, loss):
        return sp.diff(loss, symbol).xreplace(point).doit()

    checks = []

    def check(description, side):
        decision = decide_equal(side(losses[0], 1), side(losses[0], 0), Sampler(seed=seed))
        if decision.status == UNDECIDED:
            decision = decide_equal(side(losses[1], 1), side(losses[1], 0), Sampler(seed=seed))
            if decision.status != REFUTED:  # the instance may only refute: the claim is for every loss
                decision = Decision(UNDECIDED, decision.method)
        checks.append((description, decision.status, decision.method))

    for t in range(4):
        check(f"dW1 channel 1 = channel 0, position {t}", lambda loss, p: grad(W1[p][0][t], loss))
        check(f"dW2 row sums, position {t}", lambda loss, p: grad(W2[p][0][t], loss) + grad(W2[p][1][t], loss))
        check(f"dW2 column sums, position {t}", lambda loss, k: grad(W2[0][k][t], loss) + grad(W2[1][k][t], loss))
    check("db1 channel 1 = channel 0", lambda loss, p: grad(b1[p], loss))
    check("db2 channel 1 = channel 0", lambda loss, p: grad(b2[p], loss))
    check("dV channel 1 = channel 0", lambda loss, p: grad(V[p], loss))
    return Probe(combine(*(status for _, status, _ in checks)), tuple(checks))


__all__ = ["prove_conv_step"]
