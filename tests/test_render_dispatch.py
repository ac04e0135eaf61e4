"""The printers: one per format, dispatching on class names; LaTeX printed from structure."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from symcheck.functional.analysis import dead_units_claim
from symcheck.induction.analysis import analyze
from symcheck.induction.trace import DATA_NOTE, trace
from symcheck.initialization.variance import all_derivations
from symcheck.initialization.patterns import parse_init
from symcheck.model.spec import MLP
from symcheck.render.data import data
from symcheck.render.latex import latex
from symcheck.render.sentence_text import sentence_text
from symcheck.render.text import text
from rewording import in_other_prose, math_parts

PACKAGE = Path(__file__).resolve().parent.parent / "symcheck"


@pytest.fixture(scope="module")
def separating_trace():
    # biases drawn at random: step 1 moves W2 and b2, and the rows of W1 separate after step 2
    return trace(MLP((2, 2, 1), "sigmoid", "bce"), parse_init("W=0,b=random", 3), 2, 3)


def _reword(witness):
    return None if witness is None else replace(witness, entry="the entry " + witness.entry[::-1])


def _reword_invariant(status):
    return replace(status, description="it is claimed that " + status.description, witness=_reword(status.witness))


def _reworded_trace(t):
    steps = tuple(replace(step, groups=tuple(replace(g, witness=_reword(g.witness)) for g in step.groups),
                          invariants=tuple(_reword_invariant(i) for i in step.invariants))
                  for step in t.steps)
    return replace(t, steps=steps, initial_invariants=tuple(_reword_invariant(i) for i in t.initial_invariants))


def test_rewording_the_trace_sentences_cannot_change_the_latex(separating_trace):
    witnesses = [g.witness for s in separating_trace.steps for g in s.groups if g.witness] + \
                [i.witness for s in separating_trace.steps for i in s.invariants if i.witness]
    assert any(w.gradient for w in witnesses) and any(len(w.entries) == 2 for w in witnesses)
    reworded = _reworded_trace(separating_trace)
    # the text prints the sentence (so the rewording is real) ...
    assert text(reworded) != text(separating_trace)
    # ... the LaTeX prints the structure the sentence was made from
    assert latex(reworded) == latex(separating_trace)


def test_the_witness_structure_is_what_the_sentence_says(separating_trace):
    for step in separating_trace.steps:
        for witness in [g.witness for g in step.groups] + [i.witness for i in step.invariants]:
            if witness is None:
                continue
            said = " vs ".join(f"{group}[{', '.join(map(str, position))}]" for group, position in witness.entries)
            assert witness.entry == ("dL/d" + said if witness.gradient else said)


class Witness:
    """Not symcheck's Witness: the printers dispatch on the class name, never on the defining module."""

    entry, point, value, recheck, rechecked = "W1[0, 0]", {}, "1/2", "", False
    entries, gradient = (("W1", (0, 0)),), False


def test_printers_dispatch_on_the_class_name():
    assert text(Witness()) == "W1[0, 0] = 1/2 at "
    with pytest.raises(TypeError, match="no text form for object"):
        text(object())
    with pytest.raises(TypeError, match="no data form for object"):
        data(object())


def test_one_mixin_gives_results_their_notebook_latex():
    defined = [path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
               if any(isinstance(node, ast.FunctionDef) and node.name == "_repr_latex_"
                      for node in ast.walk(ast.parse(path.read_text())))]
    assert defined == ["display.py"]


def test_the_notebook_form_of_a_trace_is_math_only(separating_trace):
    shown = separating_trace._repr_latex_()
    assert shown.startswith("$$") and shown.endswith("$$") and r"\paragraph" not in shown
    assert r"\text{step 1: moves }" in shown


# ---------------------------------------------------------------- sentences: prose and formulas kept apart

@pytest.fixture(scope="module")
def dead_relu_analysis():
    return analyze(MLP((2, 2, 1), "relu", "mse"), parse_init("zeros", 0), numeric=False)


def _sentences(dead_relu_analysis):
    """Every kind of sentence that is kept as structure, by name."""
    inits = {f"init {name}": parse_init(name, 5).description()
             for name in ("constant", "random", "xavier_uniform", "W=1/2,b=random", "W1=0,W2=-3,b=0")}
    return {**inits, "trace data": DATA_NOTE, "dead network claim": dead_relu_analysis.dead.statement,
            "dead units claim": dead_units_claim(MLP((2, 2, 1), "relu", "mse"), (), ()).statement}


SENTENCE_KINDS = ("init constant", "init random", "init xavier_uniform", "init W=1/2,b=random",
                  "init W1=0,W2=-3,b=0", "trace data", "dead network claim", "dead units claim")


@pytest.mark.parametrize("kind", SENTENCE_KINDS)
def test_rewording_a_sentence_cannot_change_its_formulas(kind, dead_relu_analysis):
    sentence = _sentences(dead_relu_analysis)[kind]
    reworded = in_other_prose(sentence)
    assert any(not isinstance(part, str) for part in sentence.parts)
    # the prose is printed as written (so the rewording is real) ...
    assert sentence_text(reworded) != sentence_text(sentence) and latex(reworded) != latex(sentence)
    # ... and every formula is typeset from its structure, whatever the prose around it says
    assert math_parts(latex(reworded)) == math_parts(latex(sentence))
    assert math_parts(latex(reworded, layer_notation="subscript")) == \
        math_parts(latex(sentence, layer_notation="subscript"))


def test_the_analysis_latex_prints_the_claims_from_their_structure(dead_relu_analysis):
    dead = dead_relu_analysis.dead
    reworded = replace(dead_relu_analysis, dead=replace(dead, statement=in_other_prose(dead.statement)))
    before, after = latex(dead_relu_analysis), latex(reworded)
    assert before != after and math_parts(before) == math_parts(after)
    assert text(dead.statement) == ("with relu(0) = 0 and W = 0, b1 = 0, every W_i and b1 stay exactly 0 "
                                    "at every step: only b2 ever moves")
    assert r"$b^{[1]} = 0$" in before and r"only $b^{[2]}$ ever moves" in before
    deeper = analyze(MLP((2, 2, 2, 1), "relu", "mse"), parse_init("zeros", 0), numeric=False).dead.statement
    assert text(deeper).startswith("with relu(0) = 0 and W = 0, b1..b2 = 0, every W_i and b1..b2 stay")
    assert r"$b^{[1]}, \dots, b^{[2]} = 0$" in latex(deeper)


def test_a_sentence_prints_its_formulas_in_both_forms():
    constant = parse_init("constant", 0).description()
    assert sentence_text(constant) == \
        "every entry of W_i is w_i and every entry of b_i is beta_i (symbolic constants)"
    assert latex(constant) == (r"every entry of $W^{[i]}$ is $w_{i}$ and every entry of $b^{[i]}$ is "
                               r"$\beta_{i}$ (symbolic constants)")
    assert latex(parse_init("W2=1/2", 0).description(), layer_notation="subscript") == \
        r"$W_{2} = 1/2$ (every entry)"
    assert text(parse_init("W=0,b=-3", 0).description()) == "W = 0 (every entry); b = -3 (every entry)"
    assert text(DATA_NOTE).startswith("each step t uses its own symbolic example (x^t, y^t) and the learning "
                                      "rate is a symbol eta > 0: ")
    assert latex(DATA_NOTE).startswith(r"each step $t$ uses its own symbolic example $(x^{t}, y^{t})$ and the "
                                       r"learning rate is a symbol $\eta > 0$: ")


def _derivation_sentences():
    for derivation in all_derivations():
        yield from ((f"{derivation.name} title", derivation.title),
                    *((f"{derivation.name} assumption {n}", a) for n, a in enumerate(derivation.assumptions, 1)),
                    *((f"{derivation.name} step {n}", s.reason) for n, s in enumerate(derivation.steps, 1)))


def test_rewording_the_variance_derivations_cannot_change_their_formulas():
    printed = 0
    for where, sentence in _derivation_sentences():
        if all(isinstance(part, str) for part in sentence.parts):
            continue
        reworded = in_other_prose(sentence)
        if any(isinstance(part, str) for part in sentence.parts):  # "b_i = 0" is a formula alone
            assert latex(reworded) != latex(sentence), where
        for notation in ("bracket", "subscript"):
            assert math_parts(latex(reworded, layer_notation=notation)) == \
                math_parts(latex(sentence, layer_notation=notation)), where
        printed += 1
    assert printed >= 30  # most reasons and assumptions carry formulas


def test_a_derivation_step_prints_its_formulas_in_both_forms():
    forward = all_derivations()[0]
    assert text(forward.steps[0].reason) == \
        "z_i = W_i h_{i-1}: each unit r sums n_{i-1} = fan_in weighted inputs (bias 0 at init)"
    assert latex(forward.steps[0].reason) == (r"$z^{[i]} = W^{[i]} h^{[i-1]}$: each unit $r$ sums "
                                              r"$n_{i-1} = \mathrm{fan}_{\mathrm{in}}$ weighted inputs (bias 0 at init)")
    cross_terms = forward.steps[2].reason
    assert "E[W_i[r, j]] E[W_i[r, k]] = 0" in text(cross_terms)
    assert r"$E[\left(W_{i}\right)_{rj}] E[\left(W_{i}\right)_{rk}] = 0$" in \
        latex(cross_terms, layer_notation="subscript")
