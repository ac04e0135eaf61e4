"""The constant-initialization symmetry theorem for one concrete architecture and any
optimizer, proved by induction over training steps.

The invariant set is the full tie (``subspace.tie_subspace`` of the partition with one
class per hidden layer; for plain SGD named as in the theorem: W_1 = 1 u^T,
W_i = c_i 1 1^T, W_{K+1} = v 1^T, b_i = beta_i 1), optimizer state tied alike. The engine
(``engine.prove_invariance``) checks the base case on the initial values and the
inductive step from the generic point; here its checks are named by the theorem's
invariants ("W1: all rows equal", ..., ``named_by_invariants``) and the proof carries that
``engine.Induction``; the evidence policy (``evidence.checked``) decides whether the verdict
is released.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import budget
from ..exact.verdict import REFUTED, UNDECIDED, combine
from ..initialization.inits import Init
from ..initialization.patterns import parse_init
from ..model.activations import get_activation
from ..model.optimizers import get_optimizer
from ..model.sentence import Equals, Sentence, Variable
from ..model.spec import MLP
from ..display import LatexDisplay
from .confirmation import confirm_symmetry
from .engine import Counterexample, GroupCheck, Induction, prove_tie_persists
from .evidence import StepCrossCheck, checked
from .invariants import PROPERTIES, Invariant, invariant_of, symmetry_invariants
from .subspace import Subspace, tie_subspace
from .twins import full_partition


@dataclass(frozen=True)
class Proof(LatexDisplay):
    spec: MLP
    init: Init
    verdict: str  # proved | refuted | undecided, as the evidence policy released it
    #: the engine's base case and inductive step, the checks named by the theorem's invariants
    #: (in their order; the step's checks on optimizer state follow), and the counterexample
    induction: Induction
    tied: Subspace  # the invariant set: its generic point and identities
    cross_check: StepCrossCheck | None
    notes: tuple[Sentence, ...]  # prose with its formulas as structure (``model.sentence``)
    optimizer: str = "sgd"
    #: NumPy-only confirmation of the verdict (``symcheck.induction.confirmation``), None when skipped
    confirmation: object = None

    @property
    def invariants(self) -> tuple[tuple[GroupCheck, GroupCheck], ...]:
        """Per invariant of the theorem, in order: its base-case check and its inductive-step check."""
        return tuple(zip(self.induction.base, self.induction.checks))

    @property
    def state_checks(self) -> tuple[GroupCheck, ...]:
        """The inductive step's checks on optimizer state (momentum, moments), for rules with state."""
        return self.induction.checks[len(self.induction.base):]

    @property
    def counterexample(self) -> Counterexample | None:
        return self.induction.counterexample

    @property
    def stepped(self) -> dict | None:
        """The parameters after the update from the tied point (what was checked), when derived."""
        return self.induction.update[0] if self.induction.update else None

    @property
    def vacuous(self) -> bool:
        return not self.induction.base

    @property
    def convention(self) -> str:
        return get_activation(self.spec.activation).convention


def prove_symmetry(spec: MLP, init="constant", seed: int = 0, optimizer: str = "sgd") -> Proof:
    """Prove (or refute) that training from ``init`` keeps every invariant at every step.

    ``init`` is an ``Init``-like value or its text (a name, a catalogue scheme, a
    pattern such as "W=0,b=random", a JSON file). ``optimizer`` names an update
    rule of ``symcheck.model.optimizers``; its state is carried symbolically and
    tied like the parameters."""
    init = parse_init(init, seed) if isinstance(init, str) else init
    rule = get_optimizer(optimizer)
    budget.phase(f"proving the inductive step for MLP {budget.brief(spec.name)} ({rule.name})")
    # plain gradient descent, the theorem's own setting, names the generic point as the theorem
    # does (u, c_i, v, beta_i); a rule with state keeps block names, because state tensors are
    # sampled by name prefix (a second moment "v_...") and the theorem's v_r would be taken for one
    tied = tie_subspace(full_partition(spec), theorem_names=rule.name == "sgd")
    if rule.name != "sgd":
        tied = replace(tied, description=tied.description + (
            f"optimizer state ({', '.join(rule.state + rule.scalar_state) or 'none'}) tied alike; "
            f"hyperparameters symbolic ({', '.join(name for name, _ in rule.hyper)})",))
    induction = prove_tie_persists(tied, rule, seed, start=init.values(spec), exhaustive=True)
    induction = named_by_invariants(spec, induction)
    proof = Proof(spec, init, induction.verdict, induction, tied, None,
                  _notes(spec, rule, induction.checks[len(induction.base):], induction.concrete), optimizer=rule.name)
    proof = checked(proof, seed, confirm_symmetry)
    # what the init means for the symmetry, said about the verdict that stands
    base_refuted = any(check.status == REFUTED for check in induction.base)
    return replace(proof, notes=proof.notes + tuple(
        Sentence((note,)) for note in init.symmetry_notes(proof.verdict, base_refuted, proof.vacuous)))


def named_by_invariants(spec: MLP, induction: Induction) -> Induction:
    """``induction`` of the full tie with its checks named by the theorem's invariants and in their
    order (base case and step alike; the step's checks on optimizer state follow), the counterexample
    named too."""
    def named(checks):
        by_invariant = {Invariant(c.group, PROPERTIES[c.property]): c for c in checks if ":" not in c.group}
        return tuple(replace(by_invariant[inv], invariant=inv) if inv in by_invariant
                     # no identity (a hidden layer of width 1): the conjunction of none, proved vacuously
                     else invariant_check(inv, combine(), 0, ())
                     for inv in symmetry_invariants(spec))

    state = tuple(check for check in induction.checks if ":" in check.group)
    counterexample = induction.counterexample
    if counterexample is not None:
        counterexample = replace(counterexample, invariant=invariant_of(counterexample.identity))
    return replace(induction, base=named(induction.base), checks=named(induction.checks) + state,
                   counterexample=counterexample)


def invariant_check(invariant: Invariant, status, identities: int, methods: tuple) -> GroupCheck:
    """A check of ``invariant`` decided other than identity by identity (the class-level proof), or
    not at all: the engine's group of the invariant's identities, named by it."""
    prop = next(key for key, words in PROPERTIES.items() if words == invariant.property)
    layer = invariant.layer - 1 if prop == "columns" else invariant.layer  # the hidden layer of the tied units
    return GroupCheck(invariant.parameter, layer, prop, status, identities, methods, invariant=invariant)


def _notes(spec: MLP, rule, state_checks, concrete: bool) -> tuple[Sentence, ...]:
    notes = []
    if rule.name != "sgd":
        notes.append(Sentence((f"optimizer {rule.name}: ",)) + rule.rule)
        notes += [Sentence((f"optimizer state {check.group}: {check.property} of layer {check.layer} "
                            f"twins stay equal: {check.status} ({check.identities} identities)",))
                  for check in state_checks]
        if rule.note:
            notes.append(rule.note)
    if concrete:
        notes.append(Sentence(("the update was evaluated at one rational point (Gauss-Seidel sweep on a wide "
                               "network): enough to refute, never to prove",)))
    if spec.depth == 0:
        notes.append(Sentence((
            Equals(Variable("K"), 0), ": the network has no hidden layer, so there are no hidden units to be "
            "interchangeable and the theorem asserts nothing (it holds vacuously). Equal input "
            "weights of linear/logistic/softmax regression do separate after one step when the "
            "inputs differ, so zero or constant init is fine there.")))
    return tuple(notes)


__all__ = ["Proof", "invariant_check", "named_by_invariants", "prove_symmetry"]
