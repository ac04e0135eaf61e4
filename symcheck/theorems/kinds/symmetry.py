"""Claim kind ``symmetry``: the constant-initialization theorem for one concrete network.

Training from ``[training] init`` (a name, a catalogue scheme such as
``xavier_uniform``, a pattern such as ``"W=0,b=random"`` or a JSON file) with
``[training] optimizer`` (any rule of ``symcheck.optimizers``) keeps every
hidden layer's units tied at every step (``prove_symmetry``: base case +
inductive step). "proved" needs the engine's NumPy gradient cross-check, a
numeric confirmation by float training with the same optimizer and nothing
refuted; "refuted" needs an exact counterexample that was re-checked
independently, and float training that separates the units as well.
"""

from __future__ import annotations

from ...identities import UNDECIDED, kernel_summary
from ...proof import prove_symmetry
from ...render.data import proof_data
from ...render.text import counterexample_text
from ..claims import ClaimKind, Verdict
from ._training import theorem_init, validate_init, validate_optimizer

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
        from ... import kernels

        proof = kernels.apply(proof, theorem.kernels)
        kernel_answers = kernels.summary(proof, theorem.kernels)
    confirmation = proof.confirmation
    status, evidence = proof.verdict, []
    for result in proof.results:
        evidence.append(f"{result.invariant.describe()}: base {result.base.status}, step {result.step.status}"
                        f"{kernel_summary(result.step)}")
    if proof.counterexample is not None:
        evidence += counterexample_text(proof.counterexample)
    if proof.cross_check is not None:
        check = proof.cross_check.gradients
        evidence.append(f"gradient cross-check: {check.method}, max relative difference "
                        f"{check.max_abs_difference:.1e} (tolerance {check.tolerance:.0e})")
    evidence.append(f"numeric confirmation: {confirmation.detail}")
    evidence += [f"note: {note}" for note in proof.notes]
    summary = (f"{spec.name} {spec.activation}/{spec.loss}, init {training['init']}"
               + (f", optimizer {optimizer}" if optimizer != "sgd" else "") + f": {status}{kernel_answers}")
    data = {"proof": proof_data(proof), "confirmation": {
        "step_difference": confirmation.step_difference,
        "consistent": confirmation.consistent, "detail": confirmation.detail}}
    return Verdict(status, summary, tuple(evidence), data)


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
