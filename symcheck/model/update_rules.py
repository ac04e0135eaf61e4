"""The optimizers' update rules and notes as sentences (``model.sentence``): the formula of each
rule is built here once, from SymPy-free forms, and every printer (text, JSON, LaTeX) sets it
from this structure. ``model.optimizers`` attaches them to its registry; the rules' arithmetic
itself is there, in its ``_sgd``, ``_adam``, ... functions."""

from __future__ import annotations

from .sentence import (Applied, Equals, Grouped, LayerQuantity, Norm, Operation, Power, Product, Quotient, Relation,
                       Sentence, Variable)

THETA, ETA, G = Variable("theta"), Variable("eta"), Variable("g")
M, V, T = Variable("m"), Variable("v"), Variable("t")
MU, RHO, EPS, LAM = Variable("mu"), Variable("rho"), Variable("eps"), Variable("lam")
BETA1, BETA2 = Variable("beta", "1"), Variable("beta", "2")  # b1, b2 in text: beta_1, beta_2 in LaTeX
M_HAT, V_HAT = Variable("m", hat=True), Variable("v", hat=True)
UNIT, LAYER = Variable("r"), Variable("i")
L2 = Variable("L", "2")  # the penalty's name


def plus(first, second) -> Operation:
    return Operation(first, "+", second)


def minus(first, second) -> Operation:
    return Operation(first, "-", second)


def assign(target, value) -> Relation:
    """The update ``target <- value``."""
    return Relation(target, "<-", value)


def descent(direction) -> Relation:
    """theta <- theta - eta ``direction``."""
    return assign(THETA, minus(THETA, Product((ETA, direction))))


def moving_average(state, rate, new) -> Relation:
    """state <- rate state + (1 - rate) new: Adam's and RMSProp's exponential averages."""
    return assign(state, plus(Product((rate, state)), Product((Grouped(minus(1, rate)), new))))


def normalized(numerator, second_moment) -> Quotient:
    """numerator / (sqrt(second_moment) + eps)."""
    return Quotient(numerator, Grouped(plus(Applied("sqrt", (second_moment,)), EPS)))


def bias_corrected(moment, rate) -> Quotient:
    """moment / (1 - rate^t)."""
    return Quotient(moment, Grouped(minus(1, Power(rate, T))))


MOMENTUM_UPDATE = assign(M, plus(Product((MU, M)), G))
ADAM_STATE = Sentence(("Adam's ", M, ", ", V, ", ", T))

SGD = Sentence((descent(G),))
MINIBATCH = Sentence((descent(Grouped(plus(Applied(G, (Variable("x", "1"), Variable("y", "1"))),
                                           Applied(G, (Variable("x", "2"), Variable("y", "2")))))),
                      " (loss summed over the batch)"))
MINIBATCH_NOTE = Sentence(("checked for a batch of 2 symbolic examples; any batch size follows because a sum "
                           "of gradients that are each tied is tied (the tied set is a linear subspace)",))
MOMENTUM = Sentence((MOMENTUM_UPDATE, "; ", descent(M)))
NESTEROV = Sentence((MOMENTUM_UPDATE, "; ", descent(Grouped(plus(G, Product((MU, M)))))))
RMSPROP = Sentence((moving_average(V, RHO, Power(G, 2)), "; ", descent(normalized(G, V))))
ADAM = Sentence((assign(T, plus(T, 1)), "; ", moving_average(M, BETA1, G), "; ",
                 moving_average(V, BETA2, Power(G, 2)), "; ",
                 descent(normalized(Grouped(bias_corrected(M, BETA1)), bias_corrected(V, BETA2)))))
WEIGHT_DECAY = Sentence((descent(Grouped(plus(G, Product((LAM, THETA))))), "  (", L2, " penalty ",
                         Product((Quotient(LAM, 2), Power(Norm(THETA), 2))), ")"))
ADAMW = ADAM_STATE + Sentence(("; ", descent(Grouped(plus(normalized(M_HAT, V_HAT), Product((LAM, THETA)))))))
ADAM_L2 = (Sentence((assign(G, plus(G, Product((LAM, THETA)))),
                     " (coupled ", L2, ", as torch.optim.Adam(weight_decay=lam)); then ")) + ADAM_STATE
           + Sentence((" and ", descent(normalized(M_HAT, V_HAT)))))
CLIP = Sentence((assign(G, Operation(G, "*", Quotient(Variable("c"), Applied("max", (Variable("c"), Norm(G)))))), " with ",
                 Norm(G), " the global norm over all parameters; ", descent(G)))
MASK = Variable("m", "i")
DROPOUT = Sentence((descent(G), ", ", G, " computed with ", LayerQuantity("h", "i"), " replaced by ",
                    Operation(LayerQuantity("h", "i"), "(.)", MASK), ", an inverted-dropout mask with ",
                    Equals(Variable("p"), Quotient(1, 2)), ": each entry of ", MASK, " is ", 0, " or ", 2))
CLASS_SIZE = Variable("k")
DROPOUT_NOTE = Sentence(("the claim is for every mask: it is refuted by an exact mask that drops one unit of a "
                         "class and keeps another; with masks drawn at random a step separates a class of ",
                         CLASS_SIZE, " units with probability ", minus(1, Quotient(2, Power(2, CLASS_SIZE)))))
PER_UNIT_LR = Sentence((assign(Variable("theta", "r"), minus(Variable("theta", "r"),
                                                             Product((Variable("eta", "r"), Variable("g", "r"))))),
                        ", a learning rate ", Variable("eta", "i,r"), " per hidden unit ", UNIT, " of layer ", LAYER,
                        " (its incoming row and bias)"))
GAUSS_SEIDEL = Sentence(("one unit at a time: for each layer, for each unit ", UNIT, ", recompute ", G,
                         " at the current parameters and update ", UNIT, "'s incoming row and bias"))
NOISE = Sentence((assign(THETA, plus(minus(THETA, Product((ETA, G))), Variable("xi"))), ", ",
                  Variable("xi"), " an arbitrary perturbation of every entry"))
