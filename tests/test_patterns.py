"""Init patterns: the tiny KEY=VALUE language, JSON init files, and their errors."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy as sp

from symcheck import MLP
from symcheck.cli import main
from symcheck.errors import InvalidPoint, InvalidSpec
from symcheck.initialization.inits import Init
from symcheck.initialization.patterns import FileInit, InitPattern, parse_init

SPEC = MLP.parse("2,2,1", "sigmoid", "bce")


def test_zero_pattern_gives_exact_zeros():
    values = parse_init("W=0,b=0").values(SPEC)
    assert values["W1"] == ((0, 0), (0, 0)) and values["b2"] == (0,)
    assert all(isinstance(v, sp.Integer) for v in values["b1"])


def test_layer_key_overrides_generic_key():
    values = parse_init("W1=random,W2=0,b=0", seed=3).values(SPEC)
    assert values["W2"] == ((0, 0),)
    assert all((v * 100).is_Integer and abs(v) < 1 for row in values["W1"] for v in row)
    assert len({v for row in values["W1"] for v in row}) > 1


def test_numbers_are_exact_rationals_of_the_literal():
    values = parse_init("W=0.1,b=-1/4").values(SPEC)
    assert values["W1"][0][0] == sp.Rational(1, 10)
    assert values["b1"][1] == sp.Rational(-1, 4)
    assert parse_init("W=1e-3,b=2").values(SPEC)["W2"][0][0] == sp.Rational(1, 1000)


def test_all_random_pattern_matches_plain_random_init():
    pattern = parse_init("W=random,b=random", seed=7).values(SPEC)
    assert pattern == Init("random", 7).values(SPEC)


def test_plain_names_still_give_init():
    assert isinstance(parse_init("constant"), Init)
    assert isinstance(parse_init("zeros"), Init)


def test_pattern_name_is_canonical():
    assert parse_init(" W = 0 , b = random ").name == "W=0,b=random"
    assert isinstance(parse_init("W=0,b=0"), InitPattern)


def test_json_init_file_reads_literals_exactly(tmp_path):
    path = tmp_path / "start.json"
    path.write_text(json.dumps({"W1": [[0.1, 0.2], [0.1, 0.2]], "b1": [0, 0], "W2": [[0.5, 0.5]], "b2": [0.3]}))
    init = parse_init(str(path))
    assert isinstance(init, FileInit)
    values = init.values(SPEC)
    assert values["W1"][0][0] == sp.Rational(1, 10)  # not the float nearest 0.1
    assert values["b2"][0] == sp.Rational(3, 10)


def test_json_init_file_validates_x_and_y_when_present(tmp_path):
    path = tmp_path / "start.json"
    path.write_text(json.dumps({"W1": [[0, 0], [0, 0]], "b1": [0, 0], "W2": [[0, 0]], "b2": [0], "x": [1]}))
    with pytest.raises(InvalidPoint, match="field 'x': expected a list of 2 numbers"):
        parse_init(str(path)).values(SPEC)


@pytest.mark.parametrize("text, fragment", [
    ("W=0", "no value for b1, b2"),
    ("W=rand,b=0", "did you mean 'random'"),
    ("V=0,b=0", "not W, b, W<layer> or b<layer>"),
    ("w=0,b=0", "did you mean 'W'"),
    ("W=0,,b=0", "item 1"),
    ("W=0,b=0,W=1", "given twice"),
    ("W3=0,W=0,b=0", "layers 1..2"),
    ("W=1/0,b=0", "divides by zero"),
    ("W=0=1,b=0", "not KEY=VALUE"),
    ("constnt", "did you mean 'constant'"),
    ("W=1e999,b=0", "out of range"),
    ("W=__import__('os'),b=0", "neither 'random' nor a number"),
])
def test_bad_patterns_are_one_line_errors(text, fragment):
    with pytest.raises(InvalidSpec, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        parse_init(text).values(SPEC)


@pytest.mark.parametrize("command", ["analyze", "trace", "prove"])
def test_bad_pattern_on_the_command_line_exits_2_with_one_line(command, capsys):
    code = main([command, "--widths", "2,2,1", "--init", "W=rnd,b=0"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "did you mean 'random'" in err
    assert "Traceback" not in err


def test_missing_init_file_exits_2(capsys):
    assert main(["analyze", "--widths", "2,2,1", "--init", "missing.json"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_fraction_of_the_literal_is_used():
    assert InitPattern((("W", Fraction(1, 3)), ("b", Fraction(0))), 0).values(SPEC)["W1"][0][0] == sp.Rational(1, 3)


def test_npz_init_is_capped_on_what_it_unpacks_to(tmp_path, monkeypatch):
    """--init FILE.npz and scan read .npz files through one reader: a small compressed file
    that unpacks past the cap is refused before any array is built."""
    import numpy as np

    from symcheck.model import model_files
    from symcheck.errors import InvalidFile
    from symcheck.initialization.patterns import parse_init

    path = tmp_path / "bomb.npz"
    np.savez_compressed(path, W1=np.zeros((2, 2)), b1=np.zeros(2), W2=np.zeros((1, 2)), b2=np.zeros(1))
    spec = MLP((2, 2, 1), "tanh", "mse")
    assert parse_init(str(path)).values(spec)["b2"] == (0,)  # within the cap it reads
    monkeypatch.setattr(model_files, "MAX_MODEL_BYTES", 64)  # unpacked it is ~600 bytes
    with pytest.raises(InvalidFile, match="unpacks to"):
        parse_init(str(path)).values(spec)
