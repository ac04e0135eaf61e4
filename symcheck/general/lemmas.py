"""The lemmas of the general symmetry proof, one per generic layer.

Every lemma builds the layer's equations as SymPy matrix expressions whose
dimensions are symbols, from hypotheses written as structured matrices
(``Setting``), and *derives* the structure of what comes out with
``check_structure``. A generic middle layer i (2 <= i <= K) is one lemma, so
the proof covers every depth K; every dimension is a symbol, so it covers every
width; sigma is uninterpreted and the loss gradient g = dl/do is an arbitrary
m x B matrix, so it covers every activation and every loss.

Statements, hypotheses and checks are sentences (``model.sentence``) of prose
and the formulas of ``general.notation``, so every printer sets the same formulas.

A hypothesis can be dropped (``Setting.dropped``): the structured matrix is
then replaced by a generic ``MatrixSymbol`` and the lemmas that need it fail,
with the reason and, where one exists, a concrete counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from sympy import MatrixSymbol

from ..model.sentence import (
    Applied, Equals, LossDerivative, Measured, Operation, Primed, Relation, Sentence, Transposed, joined, said,
)
from .notation import (
    ARBITRARY_LOSS, BIAS_TIED, FIRST_BIAS_TIED, FIRST_TIED, G, GAMMA, IMPLIES, INVARIANT_SET, INVARIANT_SET_MEMBERS,
    LAYER, LOSS_GRADIENT, MIDDLE, MIDDLE_TIED, OUTPUT_TIED, OUTPUT, S_VALUE, SIGMA, SIGMA_PRIME, THETA, X, ZETA, bias,
    delta, equal_entries, gradient, hidden, pre_activation, repeated, times, weight,
)
from .structure import (
    CONSTANT, EQUAL_COLUMNS, EQUAL_ROWS, apply, broadcast, check_structure, dimension,
    equal_entry_columns, hadamard, ones, scalar, sigma, sigma_prime,
)

#: Hypotheses that can be dropped, by key: what they say.
HYPOTHESES = {
    "first-weight": said(weight("1"), " has equal rows: ", FIRST_TIED),
    "middle-weight": said("every middle ", weight("i"), " (", MIDDLE, ") is constant: ", MIDDLE_TIED),
    "output-weight": said(weight("K+1"), " has equal columns: ", OUTPUT_TIED),
    "hidden-bias": said("every hidden bias has equal entries: ", BIAS_TIED),
}
#: A mini-batch lemma whose statement holds example by example says so after its statement.
FOR_EVERY_EXAMPLE = said(" for every example of the batch")

D, M = dimension("d"), dimension("m")
N1, NK = dimension("n_1"), dimension("n_K")
N_PREV, N_CUR = dimension("n_{i-1}"), dimension("n_i")
ETA = sp.Symbol("eta", positive=True)

#: The quantities the lemmas are about, as their statements write them.
W_1, W_I, W_OUT = weight("1"), weight("i"), weight("K+1")
B_1, B_I = bias("1"), bias("i")
Z_1, Z_I, H_1, H_I, H_K, H_PREVIOUS = (pre_activation("1"), pre_activation("i"), hidden("1"), hidden("i"),
                                         hidden("K"), hidden("i-1"))
DELTA_I, DELTA_1 = delta("i"), delta("1")
#: z_1 = W_1 x + b_1
FIRST_LAYER_SUM = Operation(times(W_1, X), "+", B_1)
ALPHA, ALPHA_OTHER = sp.Symbol("alpha"), sp.Symbol("alpha'")


@dataclass(frozen=True)
class Check:
    """A check that is not a structure claim: a premise, a link, a scalar identity."""

    identity: Sentence
    holds: bool
    reason: Sentence = Sentence(())
    witness: dict | None = None


@dataclass(frozen=True)
class Lemma:
    """A lemma: its statement, hypotheses and checks. A mini-batch lemma states its one-example
    counterpart's ``statement``, ``for_every_example`` when that is how it holds, followed by its
    ``addition`` (what the batch changes); ``stated`` is the whole."""

    name: str
    statement: Sentence
    hypotheses: tuple[Sentence, ...]
    checks: tuple  # Claim | Check | CollapseCheck, each with .identity, .holds, .reason
    assumes: dict = field(default_factory=dict)  # quantity (a formula) -> property it takes as given
    derived: dict = field(default_factory=dict)  # quantity -> entry formula or matrix
    premises: tuple[str, ...] = ()
    for_every_example: bool = False
    addition: Sentence = Sentence(())

    @property
    def stated(self) -> Sentence:
        return self.statement + (FOR_EVERY_EXAMPLE if self.for_every_example else Sentence(())) + self.addition

    @property
    def checked(self) -> bool:
        return all(check.holds for check in self.checks)

    @property
    def reason(self) -> Sentence:
        return joined(dict.fromkeys(check.reason for check in self.checks if not check.holds), "; ")

    def concludes(self, quantity) -> str | None:
        """The property this lemma proved of ``quantity`` (None if it did not)."""
        for check in self.checks:
            if getattr(check, "quantity", None) == quantity and check.holds:
                return check.property
        return None


#: How a mini-batch lemma's name starts ("batch/forward-first"): Part II of the proof.
BATCH_PREFIX = "batch/"


@dataclass(frozen=True)
class Setting:
    """The structured hypotheses, for one example (batch = 1) or a batch of B."""

    batch: object = 1  # 1 or the dimension symbol B
    dropped: frozenset = frozenset()
    seed: int = 0

    @property
    def batched(self) -> bool:
        return self.batch != 1

    def name(self, lemma: str) -> str:
        """Lemma names carry the setting: "batch/forward-first" for the mini-batch proof."""
        return BATCH_PREFIX + lemma if self.batched else lemma

    def first_weight(self, tag=""):
        if "first-weight" in self.dropped:
            return MatrixSymbol("W_1", N1, D)
        return ones(N1) * MatrixSymbol(f"u{tag}", D, 1).T

    def middle_weight(self, tag=""):
        if "middle-weight" in self.dropped:
            return MatrixSymbol("W_i", N_CUR, N_PREV)
        return scalar(f"c_i{tag}") * ones(N_CUR, N_PREV)

    def output_weight(self, tag=""):
        if "output-weight" in self.dropped:
            return MatrixSymbol("W_{K+1}", M, NK)
        return MatrixSymbol(f"v{tag}", M, 1) * ones(1, NK)

    def hidden_bias(self, rows, layer: str, tag=""):
        if "hidden-bias" in self.dropped:
            return MatrixSymbol(f"b_{layer}", rows, 1)
        return scalar(f"beta_{layer}{tag}") * ones(rows)

    def data(self):
        return MatrixSymbol("x", D, self.batch)

    def loss_gradient(self):
        """g = dl/do at each example's (o, y): an arbitrary m x B matrix, so any loss."""
        return MatrixSymbol("g", M, self.batch)

    def column_sum(self, matrix):
        """Summing the per-example gradients of a bias: Delta 1_B."""
        return matrix if not self.batched else matrix * ones(self.batch)

    def claim(self, quantity, matrix, prop):
        return check_structure(quantity, matrix, prop, seed=self.seed)

    def hypothesis_lines(self, *keys: str) -> tuple[Sentence, ...]:
        return tuple(HYPOTHESES[k] + (said(" [DROPPED: generic matrix]") if k in self.dropped else Sentence(()))
                     for k in keys)


def forward_first(setting: Setting) -> Lemma:
    x = setting.data()
    z = setting.first_weight() * x + broadcast(setting.hidden_bias(N1, "1"), setting.batch)
    h = apply(sigma, z)
    return Lemma(
        setting.name("forward-first"),
        said(Equals(hidden("0"), X), " arbitrary, ", FIRST_TIED, ", ", FIRST_BIAS_TIED, "  ", IMPLIES, "  ",
             Equals(Z_1, FIRST_LAYER_SUM), " and ", Equals(H_1, Applied(SIGMA, (Z_1,))), " have equal entries"),
        setting.hypothesis_lines("first-weight", "hidden-bias"),
        (setting.claim(Z_1, z, EQUAL_ROWS), setting.claim(H_1, h, EQUAL_ROWS)),
        derived={"z_1": z, "h_1": h},
        for_every_example=setting.batched,
    )


def forward_middle(setting: Setting) -> Lemma:
    h_prev, _ = equal_entry_columns(N_PREV, "s", setting.batch)
    z = setting.middle_weight() * h_prev + broadcast(setting.hidden_bias(N_CUR, "i"), setting.batch)
    h = apply(sigma, z)
    return Lemma(
        setting.name("forward-middle"),
        said("layer ", LAYER, ", ", MIDDLE, ": ", Equals(H_PREVIOUS, repeated(S_VALUE)), ", ", MIDDLE_TIED, ", ",
             BIAS_TIED, "  ", IMPLIES, "  ", Z_I, " and ", H_I, " have equal entries"),
        (equal_entries(H_PREVIOUS, S_VALUE),) + setting.hypothesis_lines("middle-weight", "hidden-bias"),
        (setting.claim(Z_I, z, EQUAL_ROWS), setting.claim(H_I, h, EQUAL_ROWS)),
        assumes={H_PREVIOUS: EQUAL_ROWS},
        derived={"z_i": z, "h_i": h},
        for_every_example=setting.batched,
    )


def output_gradient(setting: Setting) -> Lemma:
    h_last, _ = equal_entry_columns(NK, "s", setting.batch)
    out_bias = MatrixSymbol("b_{K+1}", M, 1)
    o = setting.output_weight() * h_last + broadcast(out_bias, setting.batch)
    g = setting.loss_gradient()
    d_weight = g * h_last.T  # a batch sums the per-example outer products
    return Lemma(
        setting.name("output-gradient"),
        said(Equals(H_K, repeated(S_VALUE)), ", ", Equals(G, LOSS_GRADIENT), " any ", M, "-vector (any loss, any "
             "number ", M, " of outputs)  ", IMPLIES, "  ", Equals(gradient(W_OUT), times(G, Transposed(H_K))),
             " has equal columns; ", Equals(gradient(bias("K+1")), G), " is unconstrained"),
        (equal_entries(H_K, S_VALUE), ARBITRARY_LOSS),
        (setting.claim(gradient(W_OUT), d_weight, EQUAL_COLUMNS),),
        assumes={H_K: EQUAL_ROWS},
        derived={"o": o, "dL/dW_{K+1}": d_weight, "dL/db_{K+1}": setting.column_sum(g)},
    )


def backward_output(setting: Setting) -> Lemma:
    g = setting.loss_gradient()
    d_hidden = setting.output_weight().T * g
    return Lemma(
        setting.name("backward-output"),
        said(OUTPUT_TIED, ", ", Equals(G, LossDerivative(OUTPUT, "l")), " arbitrary  ", IMPLIES, "  ",
             Equals(gradient(H_K), times(Transposed(W_OUT), G)), " has equal entries"),
        setting.hypothesis_lines("output-weight") + (ARBITRARY_LOSS,),
        (setting.claim(gradient(H_K), d_hidden, EQUAL_ROWS),),
        derived={"dL/dh_K": d_hidden},
        for_every_example=setting.batched,
    )


def backward_middle(setting: Setting) -> Lemma:
    d_hidden, _ = equal_entry_columns(N_CUR, "gamma", setting.batch)
    z, _ = equal_entry_columns(N_CUR, "zeta", setting.batch)
    h_prev, _ = equal_entry_columns(N_PREV, "s", setting.batch)
    delta = hadamard(d_hidden, apply(sigma_prime, z))
    d_weight = delta * h_prev.T
    d_bias = setting.column_sum(delta)
    d_prev = setting.middle_weight().T * delta
    return Lemma(
        setting.name("backward-middle"),
        said("layer ", LAYER, ", ", MIDDLE, ": ", Equals(gradient(H_I), repeated(GAMMA)), ", ",
             Equals(Z_I, repeated(ZETA)), ", ", Equals(H_PREVIOUS, repeated(S_VALUE)), ", ", MIDDLE_TIED, "  ",
             IMPLIES, "  ", Equals(DELTA_I, Operation(gradient(H_I), "(.)", Applied(SIGMA_PRIME, (Z_I,)))), " and ",
             gradient(B_I), " have equal entries, ", Equals(gradient(W_I), times(DELTA_I, Transposed(H_PREVIOUS))),
             " is constant, ", Equals(gradient(H_PREVIOUS), times(Transposed(W_I), DELTA_I)), " has equal entries"),
        (equal_entries(gradient(H_I), GAMMA), equal_entries(Z_I, ZETA), equal_entries(H_PREVIOUS, S_VALUE))
        + setting.hypothesis_lines("middle-weight"),
        (setting.claim(DELTA_I, delta, EQUAL_ROWS), setting.claim(gradient(W_I), d_weight, CONSTANT),
         setting.claim(gradient(B_I), d_bias, EQUAL_ROWS), setting.claim(gradient(H_PREVIOUS), d_prev, EQUAL_ROWS)),
        assumes={gradient(H_I): EQUAL_ROWS, Z_I: EQUAL_ROWS, H_PREVIOUS: EQUAL_ROWS},
        derived={"dL/dW_i": d_weight, "dL/db_i": d_bias, "dL/dh_{i-1}": d_prev},
    )


def backward_first(setting: Setting) -> Lemma:
    d_hidden, _ = equal_entry_columns(N1, "gamma", setting.batch)
    z, _ = equal_entry_columns(N1, "zeta", setting.batch)
    delta = hadamard(d_hidden, apply(sigma_prime, z))
    d_weight = delta * setting.data().T
    d_bias = setting.column_sum(delta)
    return Lemma(
        setting.name("backward-first"),
        said(Equals(gradient(H_1), repeated(GAMMA)), ", ", Equals(Z_1, repeated(ZETA)), ", ", X, " arbitrary  ",
             IMPLIES, "  ", Equals(gradient(W_1), times(DELTA_1, Transposed(X))), " has equal rows and ",
             gradient(B_1), " has equal entries"),
        (equal_entries(gradient(H_1), GAMMA), equal_entries(Z_1, ZETA), said(X, " arbitrary")),
        (setting.claim(gradient(W_1), d_weight, EQUAL_ROWS), setting.claim(gradient(B_1), d_bias, EQUAL_ROWS)),
        assumes={gradient(H_1): EQUAL_ROWS, Z_1: EQUAL_ROWS},
        derived={"dL/dW_1": d_weight, "dL/db_1": d_bias},
    )


#: Each invariant of the set S: parameter, the gradient that updates it (a key of the lemmas'
#: ``derived``), its structure.
INVARIANTS = (
    (W_1, "dL/dW_1", EQUAL_ROWS),
    (B_1, "dL/db_1", EQUAL_ROWS),
    (W_I, "dL/dW_i", CONSTANT),
    (B_I, "dL/db_i", EQUAL_ROWS),
    (W_OUT, "dL/dW_{K+1}", EQUAL_COLUMNS),
)


def _tied_parameters(setting: Setting, tag: str = "") -> dict:
    return {
        W_1: setting.first_weight(tag), B_1: setting.hidden_bias(N1, "1", tag),
        W_I: setting.middle_weight(tag), B_I: setting.hidden_bias(N_CUR, "i", tag),
        W_OUT: setting.output_weight(tag),
    }


def update(setting: Setting, gradients: dict) -> Lemma:
    """theta - eta g stays in S, with g the gradients the backward lemmas derived; and S is
    closed under linear combinations (it is a linear subspace)."""
    theta, other = _tied_parameters(setting), _tied_parameters(setting, "'")
    alpha, alpha_other = scalar("alpha"), scalar("alpha'")
    checks = []
    for parameter, derived, prop in INVARIANTS:
        stepped = theta[parameter] - ETA * gradients[derived]
        checks.append(setting.claim(Operation(parameter, "-", times(ETA, gradient(parameter))), stepped, prop))
    for parameter, _, prop in INVARIANTS:
        combined = alpha * theta[parameter] + alpha_other * other[parameter]
        checks.append(setting.claim(Operation(times(ALPHA, parameter), "+", times(ALPHA_OTHER, Primed(parameter))),
                                    combined, prop))
    return Lemma(
        setting.name("update"),
        said(INVARIANT_SET_MEMBERS, " is a linear subspace, and one gradient step ",
             Operation(THETA, "-", times(ETA, gradient(THETA))), " from a point of ", INVARIANT_SET,
             " stays in ", INVARIANT_SET),
        setting.hypothesis_lines("first-weight", "middle-weight", "output-weight", "hidden-bias")
        + (said("the gradients are those derived by output-gradient, backward-middle, backward-first"),),
        tuple(checks),
    )


def link(provider: Lemma, provided: str, consumer: Lemma, consumed: str) -> Check:
    """The property ``provider`` proved of a quantity is the one ``consumer`` assumes."""
    proved = provider.concludes(provided)
    wanted = consumer.assumes.get(consumed)
    holds = proved is not None and proved == wanted
    identity = said(f"{provider.name} proves ", provided, f": {wanted}; {consumer.name} assumes ", consumed,
                    f": {wanted}")
    reason = Sentence(()) if holds else (
        said(f"{provider.name} does not prove that ", provided, f" has {wanted}") if proved is None
        else said(provided, f": proved {proved}, assumed {wanted}"))
    return Check(identity, holds, reason)


def within_tolerance(claim: tuple, measured, error: float, tolerance: float, failure: str) -> Check:
    """A numeric check: ``claim`` (prose and formulas) then ``measured <= tolerance``, holding when
    ``error`` is within ``tolerance``; if not, the reason is ``failure`` followed by the error."""
    holds = error <= tolerance
    return Check(said(*claim, Relation(measured, "<=", Measured(tolerance, ".0e"))), holds,
                 Sentence(()) if holds else said(failure, Measured(error, ".3g")))


def premise(lemma: Lemma) -> Check:
    return Check(said(f"lemma {lemma.name} is checked"), lemma.checked,
                 Sentence(()) if lemma.checked else said(f"lemma {lemma.name} fails"))
