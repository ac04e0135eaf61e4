"""Independent kernels: the z3 re-check of every decided identity, the Coq export
of the inductive step, and the soundness of that bridge.

The bridge is tested the way ``test_soundness.py`` tests the SymPy route:
a fault is planted in the engine (a wrong backprop rule, a wrong invariant, a
wrong update) *together with* an equality check fooled into saying "proved";
z3 must then find a counterexample (and withhold the verdict) and the exported
Coq proof must fail to compile. Tests that need z3 or coqc skip with a reason
starting with "needs ", which CI turns into failures.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import shutil
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symcheck.exact import decide as decider
from symcheck.model.activations import f, relu
from symcheck.cli import main
from symcheck.errors import NotExportable
from symcheck.exact.decide import Decision
from symcheck.exact.verdict import PROVED, REFUTED, UNDECIDED
from symcheck.induction.invariants import EQUAL_COLUMNS, Invariant
from symcheck.induction.subspace import Identity
from symcheck.model import optimizers
from symcheck.model.spec import MLP
from symcheck.render.sentence_text import sentence_text
from test_soundness import plant
from theorem_helpers import PROOFS

backprop_module = importlib.import_module("symcheck.symbolic.backprop")
invariants_module = importlib.import_module("symcheck.induction.invariants")
smt = importlib.import_module("symcheck.kernels.smt")
coq = importlib.import_module("symcheck.kernels.coq")
kernels = importlib.import_module("symcheck.kernels")
subspace_module = importlib.import_module("symcheck.induction.subspace")


def needs_z3():
    return needs_solver("z3")


def needs_solver(name):
    module = smt.load(name)
    if module is None:
        pytest.skip(f'needs {smt.SOLVERS[name][2]} (pip install "symcheck[kernels]")')
    return module


def needs_coqc():
    if shutil.which("coqc") is None:
        pytest.skip("needs coqc (apt-get install coq)")


def prove(widths="3,4,4,2", activation="f", loss="mse", init="constant", optimizer="sgd"):
    from symcheck.induction.symmetry import prove_symmetry

    return prove_symmetry(MLP.parse(widths, activation, loss), init, optimizer=optimizer)


x, y = sp.symbols("x y", real=True)
ETA = sp.Symbol("eta", positive=True)


# ------------------------------------------------------------------ translator

@pytest.mark.parametrize("lhs, rhs, expected", [
    (f(x * y), f(y * x), PROVED),                       # the same term for every f
    (f(x), f(y), REFUTED),                              # differs for some f: a model exists
    (relu(x) - relu(-x), x, PROVED),                    # relu by its definition (If)
    (relu(x) + relu(-x), x, REFUTED),
    (x / x, 1, PROVED),                                 # denominators are assumed nonzero
    ((x + y) ** 2, x**2 + 2 * x * y + y**2, PROVED),
    (sp.tanh(x), sp.tanh(y), UNDECIDED),                # tanh is uninterpreted: never refuted
    (sp.exp(x) * sp.exp(y), sp.exp(x + y), UNDECIDED),  # true, but needs exp's definition
    (sp.Float("0.5") * x, x / 2, UNDECIDED),            # floats are not translated
    (sp.Max(ETA, 0, evaluate=False), ETA, PROVED),      # eta > 0, as SymPy knows
    (sp.Max(x, 0, evaluate=False), x, REFUTED),
])
@pytest.mark.parametrize("solver", ["z3", "cvc5"])
def test_smt_recheck_of_single_identities(solver, lhs, rhs, expected):
    module = needs_solver(solver)
    status, detail = smt.recheck(lhs, rhs, module)
    assert status == expected, detail
    if status == REFUTED:
        assert detail.startswith("counterexample:")


def test_z3_timeout_is_undecided():
    z3 = needs_z3()
    # a hard nonlinear identity with a 1 ms budget: z3 gives up, which is never "proved"
    a, b, c = sp.symbols("a b c", real=True)
    status, detail = smt.recheck((a**3 + b**3 + c**3) ** 3, (a + b + c) ** 9, z3, timeout_ms=1)
    assert status in (UNDECIDED, REFUTED)
    assert status != PROVED


# ------------------------------------------------------------------ z3 on proofs

def test_z3_reproves_every_identity_of_the_symmetry_theorem():
    needs_z3()
    proof = kernels.recheck_proof(prove())
    assert proof.verdict == PROVED
    for base, step in proof.invariants:
        for check in (base, step):
            (record,) = check.kernels
            assert record.kernel == "z3" and record.status == PROVED
            assert dict(record.counts) == {PROVED: check.identities}


def test_z3_agrees_with_a_refutation():
    needs_z3()
    proof = kernels.recheck_proof(prove("2,2,1", "tanh", init="xavier_uniform"))
    assert proof.verdict == REFUTED  # the counterexample stands, z3 does not contradict it
    statuses = {k.status for check in proof.induction.base for k in check.kernels}
    assert REFUTED in statuses
    assert not any("disagrees" in note for note in map(sentence_text, proof.notes))


def test_z3_record_is_in_text_json_and_latex():
    needs_z3()
    from symcheck.render.data import data
    from symcheck.render.documents import fragment_for
    from symcheck.render.text import text

    proof = kernels.recheck_proof(prove("2,2,1", "sigmoid", "bce"))
    assert "z3: 2 proved (for every function in place of sigmoid)" in text(proof)
    step = data(proof)["invariants"][0]["inductive_step"]
    assert step["kernels"]["z3"] == {"status": PROVED, "identities": {PROVED: 2},
                                     "note": "for every function in place of sigmoid", "not_proved": []}
    assert "z3: 2 proved" in fragment_for(proof)


def test_z3_on_analyze_twins_with_adam():
    needs_z3()
    from symcheck.induction.analysis import analyze

    analysis = kernels.recheck_analysis(analyze(MLP.parse("2,3,1", "tanh", "mse"), "W=0,b=0", "adam"))
    assert analysis.verdict == PROVED
    records = [k for c in analysis.twins.step.checks for k in c.kernels]
    assert records and all(k.kernel == "z3" for k in records)
    assert any(c.group.startswith("v:") for c in analysis.twins.step.checks)  # optimizer state re-checked too


# ------------------------------------------------------------------ Coq export

def test_coq_accepts_the_exported_step(tmp_path):
    needs_coqc()
    proof = prove()
    path = coq.export_proof(proof, tmp_path)
    text = path.read_text()
    assert "Variables sigma sigma' : R -> R." in text and "Admitted" not in text
    # the step is Coq's own: backward recursion (3) and the update are definitions of the file
    assert "Definition dh2 (x y : nat -> R) (p : nat) := sum 2 (fun r => W3 r p * delta3 x y r)." in text
    assert "Definition W1n (p k : nat) := W1 p k - eta * GW1 p k." in text
    compiled = coq.compile_file(path)
    assert compiled.accepted, compiled.detail
    assert set(compiled.axioms) <= coq.ALLOWED_AXIOMS


@pytest.mark.parametrize("widths, activation, loss, optimizer", [
    ("2,3,3,1", "relu", "mse", "sgd"),     # Heaviside(z, 0) printed by its definition
    ("2,2,2", "tanh", "ce", "sgd"),
    ("2,2,1", "sigmoid", "bce", "momentum"),
    ("2,2,1", "gelu", "bce", "sgd"),       # pi in gelu's derivative: Coq's PI
])
def test_coq_accepts_other_networks_and_optimizers(tmp_path, widths, activation, loss, optimizer):
    needs_coqc()
    compiled = coq.compile_file(coq.export_proof(prove(widths, activation, loss, optimizer=optimizer), tmp_path))
    assert compiled.accepted, compiled.detail


def test_an_axiom_outside_the_real_number_library_is_rejected(tmp_path):
    needs_coqc()
    path = tmp_path / "cheat.v"
    path.write_text("Require Import Reals.\nAxiom cheat : forall P : Prop, P.\n"
                    f"Theorem {coq.THEOREM} : (1 = 2)%R.\nProof. apply cheat. Qed.\n"
                    f"Print Assumptions {coq.THEOREM}.\n")
    compiled = coq.compile_file(path)
    assert not compiled.accepted and "unexpected axioms: cheat" in compiled.detail


def test_a_file_without_print_assumptions_is_rejected_not_a_crash(tmp_path):
    needs_coqc()
    path = tmp_path / "silent.v"
    path.write_text(f"Require Import Reals.\nTheorem {coq.THEOREM} : (1 = 1)%R.\nProof. reflexivity. Qed.\n")
    compiled = coq.compile_file(path)
    assert not compiled.accepted and "no Print Assumptions report" in compiled.detail


def test_refuted_or_vacuous_results_are_not_exported(tmp_path):
    with pytest.raises(NotExportable, match="refuted"):
        coq.export_proof(prove("2,2,1", "tanh", init="xavier_uniform"), tmp_path)
    with pytest.raises(NotExportable, match="vacuous"):
        coq.export_proof(prove("2,1"), tmp_path)


# ------------------------------------------------------------------ command line

def test_done_means_prove_with_two_kernels_and_export(tmp_path, capsys):
    needs_z3()
    needs_coqc()
    out = tmp_path / "out"
    code = main(["prove", "--widths", "3,4,4,2", "--activation", "f", "--kernel", "z3",
                 "--export", "coq", str(out)])
    captured = capsys.readouterr()
    assert code == 0
    assert "Verdict: PROVED" in captured.out and "z3: 9 proved" in captured.out
    (path,) = out.glob("*.v")
    assert f"wrote {path}" in captured.err
    assert coq.compile_file(path).accepted


def test_kernel_coq_records_coq_on_every_step_check(capsys):
    needs_coqc()
    assert main(["prove", "--widths", "2,2,1", "--activation", "sigmoid", "--loss", "bce",
                 "--kernel", "coq", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for invariant in data["invariants"]:
        assert invariant["inductive_step"]["kernels"]["coq"]["status"] == PROVED


def test_missing_z3_is_one_line_naming_the_extra(monkeypatch, capsys):
    monkeypatch.setattr(smt, "load", lambda name="z3": None)
    assert main(["prove", "--widths", "2,2,1", "--kernel", "z3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and 'pip install "symcheck[kernels]"' in err


def test_missing_coqc_is_one_line(monkeypatch, capsys):
    monkeypatch.setattr(coq.shutil, "which", lambda name: None)
    assert main(["check", "--kernel", "coq", "-k", "symmetry-2-2-1-sigmoid-bce"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "apt-get install coq" in err


def test_unknown_export_format_is_bad_input(tmp_path, capsys):
    assert main(["prove", "--widths", "2,2,1", "--export", "lean", str(tmp_path)]) == 2
    assert "allowed: coq" in capsys.readouterr().err


def test_theorem_file_kernels_field(tmp_path, capsys):
    from theorem_helpers import symmetry_theorem, write

    bad = write(tmp_path / "bad.toml", 'kernels = ["Z3"]\n' + symmetry_theorem())
    assert main(["check", str(bad)]) == 2
    assert "kernels: 'Z3' is not allowed; allowed: z3, cvc5, coq (did you mean 'z3'?)" in capsys.readouterr().err
    needs_z3()
    good = write(tmp_path / "good.toml", 'kernels = ["z3"]\n' + symmetry_theorem())
    assert main(["check", str(good), "--json"]) == 0
    (theorem,) = json.loads(capsys.readouterr().out)["theorems"]
    assert theorem["summary"].endswith("[z3: proved]")


# ------------------------------------------------------------------ soundness of the bridge

def fool_the_equality_check(monkeypatch):
    """SymPy's route says "proved" to everything: only the independent kernels stand."""
    plant(monkeypatch, decider.decide_equal, lambda lhs, rhs, *args, **kwargs: Decision(PROVED, decider.SYNTACTIC))


def unit_dependent_hadamard(a, b):
    # rule (2) with a wrong factor per unit: delta_i = (i + 1) dL/dh_i sigma'(z_i)
    return tuple((i + 1) * p * q for i, (p, q) in enumerate(zip(a, b)))


def per_row_learning_rate(params, grads, lr):
    # the update theta - eta g with eta doubled on every row but the first
    def step(value, grad):
        if not isinstance(value, tuple):  # the rule also steps NumPy arrays: rows are axis 0
            return np.array([v - lr * (1 + (r > 0)) * g for r, (v, g) in enumerate(zip(value, grad))])
        if value and isinstance(value[0], tuple):
            return tuple(tuple(v - lr * (1 + (r > 0)) * g for v, g in zip(row, grow))
                         for r, (row, grow) in enumerate(zip(value, grad)))
        return tuple(v - lr * (1 + (r > 0)) * g for r, (v, g) in enumerate(zip(value, grad)))
    return {name: step(params[name], grads[name]) for name in params}


def per_row_rule(s):
    """The optimizer registry's sgd with ``per_row_learning_rate``."""
    return per_row_learning_rate(s.params, s.gradient(s.params), s.hyper["eta"]), s.state


def plant_fault(monkeypatch, fault):
    if fault == "backprop":
        plant(monkeypatch, backprop_module.hadamard, unit_dependent_hadamard)
    elif fault == "update":  # in the engine's update rule and in the confirmation's symbolic step
        monkeypatch.setitem(optimizers.OPTIMIZERS, "sgd", dataclasses.replace(optimizers.OPTIMIZERS["sgd"],
                                                                            apply=per_row_rule))
        plant(monkeypatch, optimizers.gradient_step, per_row_learning_rate)
    else:  # a wrong invariant: the columns of W1 are not equal in S (u_0 != u_1)
        original = invariants_module.symmetry_invariants
        plant(monkeypatch, original, lambda spec: original(spec) + (Invariant("W1", EQUAL_COLUMNS),))
        identities = subspace_module.tie_identities
        plant(monkeypatch, identities, lambda partition: identities(partition) + [
            Identity("W1", 1, "columns", (0, 1), (0, 0))])


FAULTS = ("backprop", "update", "invariant")


@pytest.mark.parametrize("fault", FAULTS)
def test_planted_fault_is_refuted_by_z3(monkeypatch, fault):
    needs_z3()
    fool_the_equality_check(monkeypatch)
    plant_fault(monkeypatch, fault)
    proof = kernels.recheck_proof(prove("2,3,1", "f"))
    refuted = [k for check in proof.induction.checks for k in check.kernels if k.status == REFUTED]
    assert refuted, "z3 did not find a counterexample to the planted fault"
    # the record names the identities z3 refuted, each with its counterexample
    assert any(status == REFUTED and detail.startswith("counterexample:")
               for k in refuted for _, _, status, detail in k.exceptions)
    assert proof.verdict == UNDECIDED
    assert any("z3 disagrees with SymPy" in note and "withheld" in note for note in map(sentence_text, proof.notes))


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_in_the_engine_does_not_reach_the_coq_file(monkeypatch, tmp_path, fault):
    # Coq's step is generated from the structure, not from SymPy's entries: the same file either way
    clean = coq.proof_text(prove("2,3,1", "f"))
    fool_the_equality_check(monkeypatch)
    plant_fault(monkeypatch, fault)
    proof = prove("2,3,1", "f")
    if proof.verdict == PROVED:
        assert coq.proof_text(proof) == clean


def plant_coq_fault(monkeypatch, fault):
    """A fault in the exported rule itself: each one breaks the symmetry, so coqc must reject."""
    network = importlib.import_module("symcheck.kernels.coq_network")
    if fault == "backprop":  # W instead of W^T in (3)
        monkeypatch.setattr(network, "BACKWARD", "sum {rows} (fun r => W{i} p r * delta{i} x y r)")
    elif fault == "update":  # a learning rate per row: eta (1 + p)
        rule = network.RULES["sgd"]
        monkeypatch.setitem(network.RULES, "sgd", dataclasses.replace(
            rule, update=lambda p, g, n: f"{p} - eta * (1 + INR p) * {g}"))
    else:  # a wrong invariant: the columns of W1 are not equal in S (u_0 != u_1)
        original = network.tie_identities
        monkeypatch.setattr(network, "tie_identities", lambda partition: original(partition) + [
            Identity("W1", 1, "columns", (0, 1), (0, 0))])


@pytest.mark.parametrize("fault", FAULTS)
def test_planted_fault_in_the_exported_rule_makes_coqc_reject(monkeypatch, tmp_path, fault):
    needs_coqc()
    proof = prove("2,3,2", "f")
    plant_coq_fault(monkeypatch, fault)
    compiled = coq.compile_file(coq.export_proof(proof, tmp_path))
    assert not compiled.accepted and "rejected" in compiled.detail


def test_a_fault_that_keeps_units_tied_is_not_coqs_to_catch(monkeypatch, tmp_path):
    # sigma'(h) for sigma'(z) changes the rule but keeps the symmetry: Coq accepts, which is why
    # the export takes (1)-(3) as the definition of the gradient (proofs/coq/Derivative.v proves it)
    needs_coqc()
    network = importlib.import_module("symcheck.kernels.coq_network")
    proof = prove("2,3,2", "f")
    original = network.network_text
    monkeypatch.setattr(coq, "network_text", lambda *a: original(*a).replace("* sigma' (z1 x p)", "* sigma' (h1 x p)"))
    text = coq.proof_text(proof)
    assert "sigma' (h1 x p)" in text
    assert coq.compile_file(coq.export_proof(proof, tmp_path)).accepted


def test_planted_fault_in_analyze_is_refuted_by_z3(monkeypatch):
    needs_z3()
    from symcheck.induction.analysis import analyze

    fool_the_equality_check(monkeypatch)
    plant_fault(monkeypatch, "backprop")
    analysis = kernels.recheck_analysis(analyze(MLP.parse("2,3,1", "f", "mse"), "W=0,b=0", "sgd", numeric=False))
    assert analysis.verdict == UNDECIDED
    assert any(k.status == REFUTED for c in analysis.twins.step.checks for k in c.kernels)


def test_unfaulted_bridge_baseline(tmp_path):
    """The same network without faults: z3 proves, Coq accepts -- so the failures above are the faults'."""
    needs_z3()
    needs_coqc()
    proof = kernels.recheck_proof(prove("2,3,1", "f"))
    assert proof.verdict == PROVED
    assert coq.compile_file(coq.export_proof(proof, tmp_path)).accepted


def test_z3_proving_what_sympy_refuted_withholds_the_verdict(monkeypatch):
    needs_z3()

    def always_different(lhs, rhs, *args, **kwargs):
        point = {s.name: Fraction(1, 2) for s in sp.sympify(lhs).free_symbols | sp.sympify(rhs).free_symbols}
        return Decision(REFUTED, "planted", point, sp.S.One, sp.S.Zero)

    plant(monkeypatch, decider.decide_equal, always_different)
    proof = kernels.recheck_proof(prove("2,2,1", "f"))
    assert proof.verdict == UNDECIDED
    assert any("z3 disagrees with SymPy: z3 proves" in note for note in map(sentence_text, proof.notes))


def test_export_into_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert main(["prove", "--widths", "2,2,1", "--export", "coq", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a directory" in err


def test_analyze_exports_the_twins_step(tmp_path, capsys):
    needs_coqc()
    assert main(["analyze", "--widths", "2,3,1", "--init", "W=0,b=0", "--optimizer", "adam",
                 "--export", "coq", str(tmp_path)]) == 0
    (path,) = tmp_path.glob("analysis_*.v")
    text = path.read_text()
    assert "vW1n 1 0 = vW1n 0 0" in text  # Adam's second moment is part of the step
    assert coq.compile_file(path).accepted


def test_cvc5_reproves_the_symmetry_theorem_and_refutes_a_planted_fault(monkeypatch):
    needs_solver("cvc5")
    proof = kernels.recheck_proof(prove("2,3,1", "f"), kernel="cvc5")
    assert proof.verdict == PROVED
    assert all(k.kernel == "cvc5" and k.status == PROVED for check in proof.induction.checks for k in check.kernels)
    fool_the_equality_check(monkeypatch)
    plant_fault(monkeypatch, "backprop")
    faulty = kernels.recheck_proof(prove("2,3,1", "f"), kernel="cvc5")
    assert faulty.verdict == UNDECIDED
    assert any("cvc5 disagrees with SymPy" in note for note in map(sentence_text, faulty.notes))


def test_check_kernel_coq_over_library_theorems(capsys):
    needs_coqc()
    code = main(["check", str(PROOFS), "--kernel", "coq", "--jobs", "1", "-k", "*symmetry-2-2-1-sigmoid-bce*",
                 "--no-timings"])
    out = capsys.readouterr().out
    assert code == 0
    assert "symmetry-2-2-1-sigmoid-bce: 2-2-1 sigmoid/bce, init constant: proved [coq: proved]" in out


def test_kinds_without_an_inductive_step_say_why_not(capsys):
    needs_z3()
    code = main(["check", str(PROOFS), "--kernel", "z3", "--jobs", "1", "-k", "gradient-sigmoid-by-hand", "--json"])
    (theorem,) = json.loads(capsys.readouterr().out)["theorems"]
    assert code == 0 and theorem["got"] == "proved"
    assert "z3: not exportable: claim kind 'gradient' has no concrete inductive step" in theorem["summary"]


def test_coq_comments_cannot_be_closed_by_a_name():
    assert coq._comment("init from evil*) Axiom cheat : False. (*x.json") == \
        "init from evil* ) Axiom cheat : False. ( *x.json"
