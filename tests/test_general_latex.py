"""The general proof's statements are sentences of prose and formulas: the text prints them as
written, the LaTeX sets every formula from its structure (never by parsing the prose)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import sympy as sp

import symcheck.general.proof as general_proof
import symcheck.render.text_general as text_general
from symcheck.general import HYPOTHESES, prove_general
from symcheck.general.lemmas import Setting, forward_first, forward_middle
from symcheck.general.notation import delta, gradient, hidden, pre_activation, weight
from symcheck.model.sentence import (
    AtStep, Entry, EntryIndex, Equals, LayerQuantity, Measured, Operation, Primed, Product, Sentence, Tilde,
)
from symcheck.render.data import data
from symcheck.render.latex import latex
from symcheck.render.sentence_text import sentence_text
from symcheck.render.text import text
from symcheck.render.text_general import restates
from rewording import in_other_prose, math_parts

RENDER = Path(__file__).resolve().parent.parent / "symcheck" / "render"


@pytest.fixture(scope="module")
def proof():
    return prove_general()


@pytest.fixture(scope="module")
def weakened():
    return prove_general(drop=["first-weight"], cross_check=False)


def _reworded_check(check):
    reason = in_other_prose(check.reason) if check.reason.parts else check.reason
    if type(check).__name__ == "CollapseCheck":  # its identity is made from its quantity
        return replace(check, reason=reason)
    return replace(check, identity=in_other_prose(check.identity), reason=reason)


def _reworded_proof(proof, monkeypatch):
    """Every statement, hypothesis, check and reason of ``proof`` reworded; the notation, the
    rescaling, the dropped hypotheses and the part titles too."""
    monkeypatch.setattr(general_proof, "NOTATION", tuple(map(in_other_prose, general_proof.NOTATION)))
    monkeypatch.setattr(general_proof, "RESCALING", tuple(map(in_other_prose, general_proof.RESCALING)))
    monkeypatch.setattr(general_proof, "HYPOTHESES", {k: in_other_prose(v) for k, v in HYPOTHESES.items()})
    parts = tuple((prefix, in_other_prose(title)) for prefix, title in text_general.PARTS)
    monkeypatch.setattr(text_general, "PARTS", parts)
    lemmas = tuple(replace(lemma, statement=in_other_prose(lemma.statement), addition=in_other_prose(lemma.addition),
                           hypotheses=tuple(map(in_other_prose, lemma.hypotheses)),
                           checks=tuple(map(_reworded_check, lemma.checks)))
                   for lemma in proof.lemmas)
    return replace(proof, theorem=in_other_prose(proof.theorem), lemmas=lemmas)


@pytest.mark.parametrize("which", ["proved", "weakened"])
@pytest.mark.parametrize("notation", ["bracket", "subscript"])
def test_rewording_the_general_proof_cannot_change_a_formula_of_its_latex(which, notation, proof, weakened,
                                                                         monkeypatch):
    original = proof if which == "proved" else weakened
    before_text, before = text(original), latex(original, layer_notation=notation)
    reworded = _reworded_proof(original, monkeypatch)
    after_text, after = text(reworded), latex(reworded, layer_notation=notation)
    # the rewording is real: the text and the LaTeX's prose both say something else ...
    assert after_text != before_text and after != before
    assert after.count("[") - before.count("[") > 100  # each prose part reworded in brackets
    # ... and every formula is typeset from its structure, whatever the prose around it says
    assert math_parts(after) == math_parts(before)
    # the Part II lemmas that restate Part I are still recognised as such
    assert after.count("with its hypotheses, for every example of the batch") == \
        before.count("with its hypotheses, for every example of the batch") >= 8


def test_rewording_a_hypothesis_or_a_reason_keeps_its_formulas(weakened):
    failing = next(check for lemma in weakened.lemmas for check in lemma.checks
                   if not check.holds and "refuted at" in sentence_text(check.reason))
    for sentence in (failing.identity, failing.reason, *HYPOTHESES.values()):
        assert any(not isinstance(part, str) for part in sentence.parts)
        for notation in ("bracket", "subscript"):
            assert math_parts(latex(in_other_prose(sentence), layer_notation=notation)) == \
                math_parts(latex(sentence, layer_notation=notation))


def _printed_sentences(proof):
    """Every sentence the LaTeX of ``proof`` prints."""
    yield proof.theorem
    yield from proof.notation
    yield from proof.rescaling
    yield from proof.dropped_hypotheses.values()
    for lemma in proof.lemmas:
        yield lemma.stated
        yield from lemma.hypotheses
        for check in lemma.checks:
            if type(check).__name__ != "CollapseCheck":
                yield check.identity
            yield check.reason


def test_no_formula_is_left_in_the_prose(proof, weakened):
    """A prose part with =, <, _, ^, ~ or dL/d in it would be a formula the LaTeX cannot set."""
    looks_like_math = re.compile(r"[=<>_^~]|\bd[lL]/d")
    for source in (proof, weakened):
        for sentence in _printed_sentences(source):
            prose = [part for part in sentence.parts if isinstance(part, str)]
            assert not any(looks_like_math.search(part) for part in prose), sentence_text(sentence)


@pytest.mark.parametrize("drop", [(), *((name,) for name in sorted(HYPOTHESES)), tuple(sorted(HYPOTHESES))])
def test_the_general_proof_latex_prints_with_every_hypothesis_dropped_or_kept(drop):
    shown = prove_general(drop=drop, cross_check=False)
    for notation in ("bracket", "subscript"):
        tex = latex(shown, layer_notation=notation)
        assert r"\paragraph{Theorem.}" in tex
        assert tex.count(r"\textbf{(fails)}") == len(shown.failed) and bool(shown.failed) == bool(drop)
        assert (r"\paragraph{Hypotheses dropped}" in tex) == bool(drop)
        assert tex.count("[DROPPED: generic matrix]") >= len(drop)
        assert ("Verdict: proved" in tex) == (not drop)


def test_prose_is_printed_as_prose_never_parsed_for_formulas():
    """What looks like a formula inside a prose part stays escaped text: only formula parts are
    set in math mode, so no printer guesses formulas out of sentences."""
    sentence = Sentence(("W_1 = 1 u^T and dL/dh_i ~ 0, so ", Equals(weight("1"), weight("2")), "."))
    assert latex(sentence) == (r"W\_1 = 1 u\textasciicircum{}T and dL/dh\_i \textasciitilde{} 0, so "
                               r"$W^{[1]} = W^{[2]}$.")
    for module in RENDER.glob("*.py"):
        assert "plain_math" not in module.read_text(), module.name


# ---------------------------------------------------------------- the forms, in text and in LaTeX

FORMS = [
    # form, text, LaTeX (bracket), LaTeX (subscript)
    (weight("K+1"), "W_{K+1}", "W^{[K+1]}", "W_{K+1}"),
    (LayerQuantity("W", "2"), "W2", "W^{[2]}", "W_{2}"),
    (Entry(pre_activation("1"), EntryIndex("row"), EntryIndex("column")), "z_1[i, j]", "z^{[1]}_{rc}",
     r"\left(z_{1}\right)_{rc}"),
    (Entry(gradient(weight("1")), 0, EntryIndex("column")), "dL/dW_1[0, j]",
     r"\left(\partial L/\partial W^{[1]}\right)_{0c}", r"\left(\partial L/\partial W_{1}\right)_{0c}"),
    (Entry(Operation(weight("i"), "-", Product((sp.Symbol("eta"), gradient(weight("i"))))), EntryIndex("row"), 0),
     "(W_i - eta dL/dW_i)[i, 0]", r"\left(W^{[i]} - \eta \partial L/\partial W^{[i]}\right)_{r0}",
     r"\left(W_{i} - \eta \partial L/\partial W_{i}\right)_{r0}"),
    (Operation(gradient(hidden("i")), "(.)", delta("i")), "dL/dh_i (.) delta_i",
     r"\partial L/\partial h^{[i]} \odot \delta^{[i]}", r"\partial L/\partial h_{i} \odot \delta_{i}"),
    (Tilde(hidden("i-1")), "h~_{i-1}", r"\tilde{h}^{[i-1]}", r"\tilde{h}_{i-1}"),
    (Tilde(pre_activation("1"), mark_after=True), "z_1~", r"\tilde{z}^{[1]}", r"\tilde{z}_{1}"),
    (AtStep(weight("i"), "0"), "W_i^(0)", "{W^{[i]}}^{(0)}", "W_{i}^{(0)}"),
    (Primed(weight("1")), "W_1'", "{W^{[1]}}'", "W_{1}'"),
    (Measured(3.1e-16, ".1e"), "3.1e-16", r"3.1 \times 10^{-16}", r"3.1 \times 10^{-16}"),
    (Measured(1e-12, ".0e"), "1e-12", "10^{-12}", "10^{-12}"),
]


@pytest.mark.parametrize("form, plain, bracket, subscript", FORMS)
def test_a_form_prints_in_text_and_in_both_layer_notations(form, plain, bracket, subscript):
    sentence = Sentence((form,))
    assert sentence_text(sentence) == plain
    assert latex(sentence) == f"${bracket}$"
    assert latex(sentence, layer_notation="subscript") == f"${subscript}$"


def test_a_batch_lemma_restates_its_one_example_lemma_by_structure():
    single, batch = Setting(), Setting(batch=sp.Symbol("B", integer=True, positive=True))
    first, batch_first = forward_first(single), forward_first(batch)
    assert batch_first.statement == first.statement and batch_first.for_every_example
    assert sentence_text(batch_first.stated) == sentence_text(first.stated) + " for every example of the batch"
    assert restates(batch_first, {first.name: first}) is first
    # another statement (here: the middle layer's) is not a restatement, whatever the names say
    impostor = replace(batch_first, statement=forward_middle(single).statement)
    assert restates(impostor, {first.name: first}) is None


def test_the_mini_batch_steps_lemma_prints_what_the_batch_adds(proof):
    steps = next(lemma for lemma in proof.lemmas if lemma.name == "batch/steps")
    assert sentence_text(steps.addition) == " (mini-batch SGD: the gradient is the sum over the B examples)"
    tex = latex(proof)
    assert r"(mini-batch SGD: the gradient is the sum over the $B$ examples)." in tex


def test_the_json_keeps_the_sentences_as_text(weakened):
    lemma = data(weakened)["lemmas"][0]
    assert lemma["statement"].startswith("h_0 = x arbitrary, W_1 = 1 u^T, b_1 = beta_1 1  =>  z_1 = W_1 x + b_1")
    assert lemma["identities"][0]["reason"].startswith("z_1[i, j] = beta_1 + Sum(W_1[i, _")
    assert "refuted at d = 2, n_1 = 3; W_1 = [[" in lemma["identities"][0]["reason"]


def test_a_failing_check_typesets_its_counterexample(weakened):
    tex = latex(weakened)
    why = (r"\emph{Why:} $z^{[1]}_{rc} = \beta_{1} + \sum_{k=0}^{d - 1} W^{[1]}_{rk} x_{kc}$ depends on the "
           r"row index $r$")
    assert why in tex
    assert r"$W^{[1]} = \begin{pmatrix}" in tex and r"$\sigma = \tanh$" in tex
    subscript = latex(weakened, layer_notation="subscript")
    assert r"\left(W_{1}\right)_{rk} x_{kc}" in subscript and "W^{[" not in subscript


def test_the_printers_know_the_mini_batch_lemmas_by_the_proofs_own_prefix():
    from symcheck.general.lemmas import BATCH_PREFIX
    from symcheck.render import text_general

    assert text_general.BATCH_PREFIX == BATCH_PREFIX
    assert any(lemma.name.startswith(BATCH_PREFIX) for lemma in prove_general(cross_check=False).lemmas)
