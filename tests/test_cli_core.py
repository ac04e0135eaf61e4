"""prove, grad and derive from the command line: exit codes, JSON shapes, one-line errors."""

import json
import subprocess
import sys

import numpy as np
import pytest

from symcheck import MLP
from symcheck.oracle import numeric
from symcheck.cli import main


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_prove_text_reads_as_a_proof(capsys):
    code, out, err = run(["prove", "--widths", "2,2,1", "--activation", "sigmoid", "--loss", "bce"], capsys)
    assert code == 0 and not err
    for line in ("Base case (t = 0)", "Inductive step (t -> t+1)", "W1 = 1 u^T", "Independent cross-check",
                 "Verdict: PROVED", "trains like a 2-1-1 network"):
        assert line in out


def test_prove_json_lists_every_invariant_with_evidence(capsys):
    code, out, _ = run(["prove", "--widths", "3,4,4,2", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["verdict"] == "proved"
    assert [(i["parameter"], i["property"]) for i in data["invariants"]][:2] == [
        ("W1", "equal rows"), ("b1", "equal entries")]
    step = data["invariants"][0]["inductive_step"]
    assert step["status"] == "proved" and step["identities"] == 9
    assert data["cross_check"]["passed"] and data["numeric_confirmation"]["consistent"]


def test_prove_random_init_exits_1_with_counterexample(capsys):
    code, out, _ = run(["prove", "--widths", "3,4,2", "--init", "random", "--json"], capsys)
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "refuted"
    example = data["counterexample"]
    assert example["stage"] == "base" and example["rechecked"]
    assert example["value"] != example["reference_value"]


def test_prove_k0_says_there_is_nothing_to_tie(capsys):
    code, out, _ = run(["prove", "--widths", "3,1", "--activation", "sigmoid", "--loss", "bce"], capsys)
    assert code == 0 and "no hidden layer" in out


def test_grad_matches_the_numpy_reference(tmp_path, capsys):
    spec = MLP((2, 3, 2), "tanh", "ce")
    rng = np.random.default_rng(5)
    params = {name: rng.uniform(-1, 1, spec.parameter_shape(name)) for name in spec.parameter_names}
    x, y = [0.3, -0.7], [0.25, 0.75]
    point = {name: value.tolist() for name, value in params.items()} | {"x": x, "y": y}
    path = tmp_path / "point.json"
    path.write_text(json.dumps(point))
    code, out, _ = run(["grad", "--widths", "2,3,2", "--activation", "tanh", "--loss", "ce",
                        "--point", str(path), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and set(data) >= {"loss", "grads"}
    reference = numeric.backprop(spec, params, np.array(x), np.array(y))
    assert data["loss"] == pytest.approx(reference.loss, rel=1e-12)
    for name in spec.parameter_names:
        assert np.array(data["grads"][name]).shape == params[name].shape
        np.testing.assert_allclose(data["grads"][name], reference.gradients[name], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_derive_prints_the_three_equations_per_layer(fmt, capsys):
    code, out, _ = run(["derive", "--widths", "2,2,1", "--activation", "sigmoid", "--loss", "bce",
                        "--format", fmt], capsys)
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        rules = [e["rule"] for e in data["equations"]]
        assert rules.count("(1)") == 2 and rules.count("(3)") == 1
        assert data["check"]["passed"] and len(data["scalar_equations"]) > 0
    else:
        assert "dL_dW1 = delta1 x^T  [(1)]" in out and "delta1 = dL_dh1 ⊙ sigmoid'(z1)" in out


POINT = {"W1": [[0.1, 0.2], [0.3, 0.4]], "b1": [0.0, 0.1], "W2": [[0.5, -0.6]], "b2": [0.2],
         "x": [1.0, 2.0], "y": [1.0]}


@pytest.mark.parametrize("mutate, needle", [
    (lambda p: p.pop("b2"), "'b2': missing"),
    (lambda p: p.update(W1=[[0.1, 0.2]]), "'W1': expected a list of 2 rows"),
    (lambda p: p.update(W1=[[0.1], [0.3]]), "'W1': row 0: expected 2 numbers"),
    (lambda p: p.update(W3=[[1.0]]), "unknown key"),
    (lambda p: p.update(x=[1.0, "a"]), "'x': entry [1] is 'a'"),
    (lambda p: p.update(y=[1.5]), "must lie in [0, 1]"),
])
def test_bad_point_files_name_the_field(tmp_path, capsys, mutate, needle):
    point = json.loads(json.dumps(POINT))
    mutate(point)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(point))
    code, out, err = run(["grad", "--widths", "2,2,1", "--loss", "bce", "--point", str(path)], capsys)
    assert code == 2 and not out
    assert needle in err and str(path) in err and err.count("\n") == 1


@pytest.mark.parametrize("text, needle", [
    ('{"W1": [[NaN, 0], [0, 0]]}', "NaN is not a finite number"),
    ('{"W1": [[1e999, 0], [0, 0]], "b1": [0, 0], "W2": [[0, 0]], "b2": [0], "x": [0, 0], "y": [0]}',
     "not finite"),
    ("not json", "not valid JSON"),
    ("", "empty file"),
])
def test_point_files_that_are_not_finite_json(tmp_path, capsys, text, needle):
    path = tmp_path / "p.json"
    path.write_text(text)
    code, _, err = run(["grad", "--widths", "2,2,1", "--point", str(path)], capsys)
    assert code == 2 and needle in err and err.count("\n") == 1


def test_the_console_script_runs_in_a_fresh_interpreter():
    done = subprocess.run([sys.executable, "-m", "symcheck", "prove", "--widths", "2,0,1"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == "symcheck prove: error: widths: entry 1 is 0; every width must be a positive integer"
    assert "Traceback" not in done.stderr
