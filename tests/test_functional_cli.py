"""analyze on functional ties, dead units and .npz inits, through the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from symcheck.cli import main

MAGIC16 = [[0.125, 0.4375, 0.375], [0.5625, 0.3125, 0.0625], [0.25, 0.1875, 0.5]]


def write_init(tmp_path, middle, name="init.json"):
    values = {"W1": [[0.3, -0.2]] * 3, "b1": [0.1] * 3, "W2": middle, "b2": [0, 0, 0],
              "W3": [[0.5, 0.5, 0.5]], "b3": [0]}
    path = tmp_path / name
    path.write_text(json.dumps(values))
    return str(path)


def run_json(capsys, *args):
    code = main(["analyze", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("middle", [np.eye(3).tolist(), MAGIC16], ids=["identity", "magic-square"])
def test_tied_without_equal_weights_trains_like_width_1(capsys, tmp_path, middle):
    code, data = run_json(capsys, "--widths", "2,3,3,1", "--init", write_init(tmp_path, middle))
    assert code == 0 and data["verdict"] == "proved"
    assert [layer["effective_width"] for layer in data["layers"]] == [3, 3]
    assert [layer["functional_width"] for layer in data["layers"]] == [1, 1]
    assert [layer["live_width"] for layer in data["layers"]] == [1, 1]
    assert data["functional_ties"]["verdict"] == "proved"
    assert {c["name"]: c["verdict"] for c in data["claims"]}["functional ties persist"] == "proved"
    assert data["quotient"]["widths"] == [2, 1, 1, 1]
    assert data["float64"]["max_loss_difference"] < 1e-12


def test_coupled_l2_adam_refutes_functional_ties_and_keeps_twins(capsys, tmp_path):
    code, data = run_json(capsys, "--widths", "2,3,3,1", "--init", write_init(tmp_path, MAGIC16),
                          "--optimizer", "adam_l2")
    assert code == 1 and data["verdict"] == "refuted"
    example = data["functional_ties"]["first_step"]["counterexample"]
    assert example["rechecked"] and example["recheck_values"][0] != example["recheck_values"][1]
    assert data["functional_ties"]["class_level"]["verdict"] == "refuted"
    # twins (here: layer-1 units with equal rows whose columns differ -> none) and a constant init
    code, data = run_json(capsys, "--widths", "2,3,3,1", "--init", "W=1/2,b=0", "--optimizer", "adam_l2")
    assert code == 0 and data["twins_persist"]["verdict"] == "proved"


def test_adamw_keeps_functional_ties(capsys, tmp_path):
    code, data = run_json(capsys, "--widths", "2,3,3,1", "--init", write_init(tmp_path, MAGIC16),
                          "--optimizer", "adamw")
    assert code == 0 and data["functional_ties"]["verdict"] == "proved"


def test_dead_relu_units_are_excluded_from_the_live_width(capsys):
    # seed 3 draws b1 = (31/50, -41/50, -16/25): units 1 and 2 are dead
    code, data = run_json(capsys, "--widths", "2,3,1", "--activation", "relu", "--init", "W=0,b1=random,b=0",
                          "--seed", "3")
    assert code == 0
    layer = data["layers"][0]
    assert layer["dead_units"] == [1, 2] and layer["live_width"] == 1 and layer["functional_width"] == 3
    assert data["dead_units"]["verdict"] == "proved"


def test_npz_init_is_read_as_exact_float64(capsys, tmp_path):
    path = tmp_path / "init.npz"
    np.savez(path, W1=np.full((3, 2), 0.3), b1=np.zeros(3), W2=np.eye(3), b2=np.zeros(3),
             W3=np.full((1, 3), 0.5), b3=np.zeros(1))
    code, data = run_json(capsys, "--widths", "2,3,3,1", "--init", str(path))
    assert code == 0 and [layer["functional_width"] for layer in data["layers"]] == [1, 1]


@pytest.mark.parametrize("arrays, message", [
    ({"W1": np.zeros((3, 2))}, "no array 'b1'"),
    ({"W1": np.zeros((2, 3)), "b1": np.zeros(3), "W2": np.zeros((1, 3)), "b2": np.zeros(1)}, "has shape (2, 3)"),
    ({"W1": np.full((3, 2), np.nan), "b1": np.zeros(3), "W2": np.zeros((1, 3)), "b2": np.zeros(1)}, "inf or nan"),
    ({"W1": np.array([[{}] * 2] * 3, dtype=object), "b1": np.zeros(3), "W2": np.zeros((1, 3)),
      "b2": np.zeros(1)}, "without pickle"),
])
def test_bad_npz_files_are_one_line_errors(capsys, tmp_path, arrays, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    assert main(["analyze", "--widths", "2,3,1", "--init", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_a_fifo_is_refused_without_blocking(capsys, tmp_path):
    import os

    path = tmp_path / "pipe.npz"
    os.mkfifo(path)
    assert main(["analyze", "--widths", "2,3,1", "--init", str(path)]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_quotient_is_printed(capsys, tmp_path):
    assert main(["analyze", "--widths", "2,3,3,1", "--init", write_init(tmp_path, MAGIC16), "--quotient"]) == 0
    out = capsys.readouterr().out
    assert "quotient network 2-1-1-1" in out and "class sizes layer 1: [3]; layer 2: [3]" in out


def functional_theorem(claim: str, init: str, optimizer: str = "sgd", widths="[2, 3, 3, 1]",
                       activation="tanh", expect="proved") -> str:
    return f'''statement = "test"
expect = "{expect}"

[network]
widths = {widths}
activation = "{activation}"
loss = "mse"

[training]
init = "{init}"
optimizer = "{optimizer}"

[claim]
{claim}
'''


@pytest.mark.parametrize("claim, init, optimizer, expected", [
    ('kind = "functional"\nfunctional_widths = [1, 1]', "MAGIC", "adam", "proved"),
    ('kind = "functional"\nfunctional_widths = [3, 1]', "MAGIC", "adam", "refuted"),  # wrong widths
    ('kind = "functional"\nfunctional_widths = [1, 1]', "MAGIC", "adam_l2", "refuted"),
    ('kind = "quotient"', "MAGIC", "sgd", "proved"),
    ('kind = "dead_units"\ndead_units = [[], []]', "MAGIC", "sgd", "proved"),
    ('kind = "dead_units"\ndead_units = [[0], []]', "MAGIC", "sgd", "refuted"),
])
def test_functional_claim_kinds(tmp_path, claim, init, optimizer, expected):
    from symcheck.theorems import load_theorem
    from symcheck.theorems.runner import decide

    init_path = write_init(tmp_path, MAGIC16)
    path = tmp_path / "t.toml"
    path.write_text(functional_theorem(claim, init_path, optimizer))
    verdict, summary, _, _ = decide(load_theorem(path))
    assert verdict == expected, summary


@pytest.mark.parametrize("claim, field", [
    ('kind = "functional"', "functional_widths"),
    ('kind = "functional"\nfunctional_widths = [1]', "functional_widths"),
    ('kind = "dead_units"\ndead_units = [[5], []]', "dead_units"),
    ('kind = "dead_units"\ndead_units = "none"', "dead_units"),
])
def test_bad_functional_claims_are_load_errors(tmp_path, claim, field):
    from symcheck.errors import InvalidTheorem
    from symcheck.theorems import load_theorem

    path = tmp_path / "t.toml"
    path.write_text(functional_theorem(claim, write_init(tmp_path, MAGIC16)))
    with pytest.raises(InvalidTheorem, match=field):
        load_theorem(path)
