"""The handout: computed content, a PDF that compiles cleanly, deterministic sources."""

import pytest

from symcheck import MLP
from symcheck.cli import main
from symcheck.handout import build as handout_build
from symcheck.handout.cases import case_table
from symcheck.errors import ExerciseCheckFailed
from symcheck.handout.exercises import exercises
from symcheck.handout.training import update_rule_outcomes
from needs import needs
from texrun import TOOLS, log_problems, pdf_text

RULE_TABLE_NAMES = ("sgd", "minibatch", "momentum", "adam", "weight_decay", "dropout", "per_unit_rates",
                    "one_unit_at_a_time", "random_biases")

SIGMOID_221 = MLP((2, 2, 1), "sigmoid", "bce")


def test_case_table_reproduces_seed_000():
    table = case_table(SIGMOID_221, (1, 2), (1,))
    assert table.agrees  # exact verdicts = NumPy float64, cell by cell
    a, b, c = table.rows
    everything = ("W1", "b1", "W2", "b2")
    assert [s.moved for s in a.steps] == [("W2", "b2"), everything, everything]
    assert [s.tied for s in a.steps] == [True, True, True]
    assert [s.moved for s in b.steps] == [("W2", "b2"), everything, everything]
    assert b.steps[-1].tied is False
    assert [s.moved for s in c.steps] == [everything] * 3


def test_dead_network_with_tanh_moves_only_the_output_bias():
    table = case_table(MLP((2, 2, 1), "tanh", "bce"), (1, 2), (1,))
    assert [s.moved for s in table.rows[0].steps] == [("b2",)] * 3 and table.agrees


def _worked_section(activation):
    """The 'One gradient step by hand' section for a 2-2-1 network, from the same computed objects."""
    from types import SimpleNamespace

    from symcheck.handout.content import WORKED_LEARNING_RATE, _zeros, example_data
    from symcheck.handout.exact import parameters
    from symcheck.handout.worked import worked_steps
    from symcheck.render.handout_tex import HandoutPrinter, _worked

    spec = MLP((2, 2, 1), activation, "bce")
    x, y = example_data(spec)
    zeros = parameters(spec, lambda name, shape: _zeros(shape))
    steps = worked_steps(spec, zeros, x, y, WORKED_LEARNING_RATE, 2)
    h = SimpleNamespace(spec=spec, worked_spec=spec, worked=steps, cases=case_table(spec, x, y, steps=1))
    return steps, _worked(HandoutPrinter({}), h)


def test_worked_step_two_with_tanh_says_nothing_moved():
    (first, second), text = _worked_section("tanh")
    assert not first.moved("W2") and not second.moved("W1")  # sigma(0) = 0: a dead network
    assert "the units have moved" not in text and r"\neq 0" not in text
    assert "nothing flows back to the hidden layer at step 2" in text
    assert "the first layer has not moved" in text


def test_worked_step_two_with_sigmoid_says_the_units_moved_together():
    (first, second), text = _worked_section("sigmoid")
    assert first.moved("W2") and second.moved("W1") and second.rows_equal("W1")
    assert "the units have moved, together" in text and "has not moved" not in text


@pytest.mark.parametrize("activation", ["softplus", "elu", "gelu"])
def test_worked_steps_with_activations_that_stay_symbolic_at_numbers(activation):
    """softplus(0) stays unevaluated in exact arithmetic: step 2 starts from such closed forms."""
    (first, second), _ = _worked_section(activation)
    assert first.checked and second.checked and second.rows_equal("W1")


def test_movement_reaches_one_layer_deeper_each_step():
    table = case_table(MLP((2, 3, 3, 1), "sigmoid", "bce"), (1, 2), (1,))
    assert [s.moved for s in table.rows[0].steps] == [
        ("W3", "b3"), ("W2", "b2", "W3", "b3"), ("W1", "b1", "W2", "b2", "W3", "b3")]
    assert table.agrees


def test_update_rules():
    outcomes = {o.name: o for o in update_rule_outcomes(SIGMOID_221)}
    for keeps in ("sgd", "minibatch", "momentum", "adam", "weight_decay"):
        assert outcomes[keeps].keeps and outcomes[keeps].verdict == "proved"
        assert outcomes[keeps].max_row_difference == 0.0
    for breaks in ("dropout", "per_unit_rates", "one_unit_at_a_time"):
        assert not outcomes[breaks].keeps and outcomes[breaks].verdict == "refuted"
        assert outcomes[breaks].max_row_difference > 1e-9
    # random biases: no twins to keep (the verdict is about the twin classes, which are all singletons)
    assert not outcomes["random_biases"].keeps and outcomes["random_biases"].max_row_difference > 1e-9


def test_exercises_differ_by_student_and_never_degenerate():
    from symcheck.handout.exercises import student_instances

    instances = student_instances(0, 5)
    assert len({e.numbers() for e in instances}) == 5  # every student gets different numbers
    for e in instances:
        step = e.symmetry.step
        assert step.checked and e.symmetry.finite_difference_error < 1e-6
        assert step.x[0] != step.x[1]  # x1 = x2 would make W1 constant and hide "rows equal, columns differ"
        rows = step.updated["W1"]
        assert rows[0] == rows[1] and rows[0] != (0, 0) and rows[0][0] != rows[0][1]
        assert e.logistic.step.distinct_entries("W1")
        assert len(e.rules.rules) == 4 and not {r.name for r in e.rules.rules} & set(RULE_TABLE_NAMES)
        first, second = e.case.steps
        assert not first.moved("W1") and first.distinct_entries("W2") and not second.rows_equal("W1")
        assert all(s.moved("b2") and not s.moved("W2") for s in e.dead.steps)
        assert e.outputs.proof.verdict == "proved" and e.outputs.proof.spec.output_width >= 2
        soft = e.regression.softmax.updated["W1"]
        assert len(set(soft)) == 2  # the true class's row and the (equal) others
        f = e.functional  # tied without equal weights: no twins, one functional class per layer
        assert f.twin_widths == (3, 3) and f.functional_widths == (1, 1) and f.keeps["adam_l2"] == "refuted"


def test_exercise_checks_fire(monkeypatch):
    import numpy as np

    from symcheck.handout import exercises as module
    from symcheck.oracle import tolerances

    rng = np.random.default_rng(0)
    with monkeypatch.context() as patch:
        patch.setattr(tolerances, "SAME_FORMULA", 0.0)  # no NumPy agreement is good enough now
        with pytest.raises(ExerciseCheckFailed, match="symmetry exercise"):
            module.symmetry_exercise(rng)
        with pytest.raises(ExerciseCheckFailed, match="logistic exercise"):
            module.logistic_exercise(rng)
    real_std = np.std
    with monkeypatch.context() as patch:
        patch.setattr(np, "std", lambda values: 1.02 * real_std(values))  # a sampler 2% off
        with pytest.raises(ExerciseCheckFailed, match="scaling exercise"):
            module.scaling_exercise(rng)
    module.scaling_exercise(rng)  # and with the real sampler it passes


def test_tex_only_output_says_how_to_build(tmp_path, capsys):
    needs("matplotlib")
    assert main(["handout", "-o", str(tmp_path / "notes.tex"), "--widths", "2,2,1", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "latexmk -pdf notes.tex" in out
    assert (tmp_path / "notes.tex").exists() and (tmp_path / "notes-weights.pdf").exists()


def test_without_a_tex_engine_the_sources_are_written(tmp_path, capsys, monkeypatch):
    needs("matplotlib")
    monkeypatch.setattr(handout_build, "tex_engine", lambda: None)
    assert main(["handout", "-o", str(tmp_path / "h.pdf")]) == 0
    out = capsys.readouterr().out
    assert "no pdflatex found" in out and (tmp_path / "h.tex").exists() and not (tmp_path / "h.pdf").exists()


@pytest.mark.parametrize("argv, message", [
    (["handout", "-o", "x.docx"], "must end in .pdf or .tex"),
    (["handout", "--widths", "2,1"], "at least one hidden layer"),
    (["handout", "--activation", "sigmod"], "did you mean 'sigmoid'"),
    (["handout", "--activation", "f"], "the generic f has no numeric values to work"),
    (["handout", "-o", "/nonexistent-dir/h.pdf"], "does not exist"),
])
def test_bad_input(argv, message, capsys):
    try:
        code = main(argv)
    except SystemExit as stop:  # the output file is checked by the option's parser
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
