"""Claim kind ``symmetry``: the constant-initialization theorem for one concrete network.

Training from ``[training] init`` (a name, a catalogue scheme such as
``xavier_uniform``, a pattern such as ``"W=0,b=random"`` or a JSON file) with
``[training] optimizer`` (any rule of ``symcheck.model.optimizers``) keeps every
hidden layer's units tied at every step (``prove_symmetry``: base case +
inductive step). "proved" needs the engine's NumPy gradient cross-check, a
numeric confirmation by float training with the same optimizer and nothing
refuted; "refuted" needs an exact counterexample that was re-checked
independently, and float training that separates the units as well.
``[training] steps = N`` claims steps 0..N only (``_within_steps``).
"""

from __future__ import annotations

from ...exact.identities import kernel_summary

from ...exact.verdict import PROVED, REFUTED, UNDECIDED
from ...induction.symmetry import prove_symmetry
from ...render.data import data as result_data
from ...render.sentence_text import sentence_text
from ...render.text import TextPrinter
from ..claims import ClaimKind, Verdict
from ._training import theorem_init, validate_init, validate_optimizer
from ... import kernels

#: Above this many parameters the tied-point proof is slow enough to deserve a clear answer.
MAX_PARAMETERS = 20000


def run(theorem, spec) -> Verdict:
    if spec.parameter_count > MAX_PARAMETERS:
        return Verdict(UNDECIDED, f"{spec.name}: {spec.parameter_count} parameters exceed the limit "
                                  f"of {MAX_PARAMETERS} for a concrete proof")
    training = theorem.training
    seed, optimizer = training["seed"], training["optimizer"]
    init = theorem_init(theorem)
    # prove_symmetry withholds any verdict that its re-checks, its gradient
    # cross-check or its numeric confirmation (training with this optimizer) contradict
    proof = prove_symmetry(spec, init, seed, optimizer=optimizer)
    kernel_answers = ""
    if theorem.kernels:  # independent kernels can only withhold a verdict, never make one
        proof = kernels.apply(proof, theorem.kernels)
        kernel_answers = kernels.summary(proof, theorem.kernels)
    confirmation = proof.confirmation
    status, evidence = proof.verdict, []
    for base, step in proof.invariants:
        evidence.append(f"{base.describe()}: base {base.status}, step {step.status}{kernel_summary(step)}")
    if proof.counterexample is not None:
        evidence += TextPrinter().proof_counterexample_lines(proof.counterexample)
    if proof.cross_check is not None:
        check = proof.cross_check.gradients
        evidence.append(f"gradient cross-check: {check.method}, max relative difference "
                        f"{check.max_abs_difference:.1e} (tolerance {check.tolerance:.0e})")
    evidence.append(f"numeric confirmation: {confirmation.detail}")
    evidence += [f"note: {sentence_text(note)}" for note in proof.notes]
    if training["steps"] != "all":
        status = _within_steps(proof, training["steps"], evidence)
    summary = (f"{spec.name} {spec.activation}/{spec.loss}, init {training['init']}"
               + (f", optimizer {optimizer}" if optimizer != "sgd" else "") + f": {status}{kernel_answers}")
    data = {"proof": result_data(proof), "confirmation": {
        "step_difference": confirmation.step_difference,
        "consistent": confirmation.consistent, "detail": confirmation.detail}}
    return Verdict(status, summary, tuple(evidence), data)


def _within_steps(proof, steps: int, evidence: list) -> str:
    """The claim for steps 0..``steps`` only. A proof for every step covers it, and so does a
    counterexample in the initial values; with ``steps = 0`` the base case alone decides.
    A counterexample to the inductive step is at a generic point of the tied set, not on the
    trajectory from this init: it refutes a bounded claim only when float training from the
    init separates the units within the bound as well."""
    bases = [check.status for check in proof.induction.base]
    counterexample = proof.counterexample
    if proof.verdict == PROVED:
        evidence.append(f"proved for every step, so for steps 0..{steps}")
        return PROVED
    if REFUTED in bases and counterexample is not None and counterexample.stage == "base" \
            and counterexample.rechecked:
        evidence.append("the initial values already break the symmetry (t = 0)")
        return REFUTED
    if steps == 0:
        if bases and all(status == PROVED for status in bases):
            evidence.append("steps = 0: the claim is the base case, which holds exactly")
            return PROVED
        return UNDECIDED
    untied = proof.confirmation.untied_step
    if proof.verdict == REFUTED and untied is not None and 1 <= untied <= steps:
        evidence.append(f"float training from the init separates the units at step {untied} <= {steps}")
        return REFUTED
    evidence.append(f"no verdict for steps 0..{steps}: the counterexample is at a generic point of the tied "
                    f"set, and float training from the init does not separate the units within {steps} steps")
    return UNDECIDED


def validate(theorem, specs) -> None:
    validate_init(theorem, specs)
    validate_optimizer(theorem)


KIND = ClaimKind(
    name="symmetry",
    description="training from the init keeps the units of every hidden layer tied, at every step",
    run=run,
    kernels=True,
    training=frozenset({"init", "seed", "optimizer", "steps"}),
    validate_options=validate,
)
