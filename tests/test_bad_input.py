"""Malformed input everywhere -- command line, theorem files, point files -- gives
exactly one line on stderr that names the file, the field (and line) and what is
allowed, exit code 2, no traceback, and nothing on stdout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from symcheck.cli import main
from theorem_helpers import run_cli, symmetry_theorem, write

GRADIENT = '''statement = "gradient"
expect = "proved"

[network]
widths = [2, 2, 1]
activation = "sigmoid"
loss = "{loss}"

[claim]
kind = "gradient"
point = "{point}"
'''
POINT = '{"W1": [[0, 0], [0, 0]], "b1": [0, 0], "W2": [[0, 0]], "b2": [0], "x": [1, 2], "y": [1]}'
DERIVATION = '''statement = "derivation"
expect = "proved"

[network]
widths = [2, 2, 1]

[training]
init = "zeros"

[claim]
kind = "derivation"
'''


def theorem(**changes) -> str:
    return symmetry_theorem(**changes)


# (id, files to create, argv with {tmp} for the directory, substrings the message must contain)
CASES = [
    # ---- command line
    ("widths 0", {}, ["prove", "--widths", "0,2,1"], ["widths", "entry 0 is 0", "positive integer"]),
    ("widths -1", {}, ["prove", "--widths", "2,-1,1"], ["widths", "entry 1 is -1"]),
    ("widths a", {}, ["prove", "--widths", "2,a,1"], ["widths", "'a'", "not an integer"]),
    ("absurd width", {}, ["prove", "--widths", "2,100000,1"], ["widths", "100000", "not supported"]),
    ("absurd depth", {}, ["prove", "--widths", ",".join(["2"] * 300)], ["widths", "hidden layers"]),
    ("unknown activation", {}, ["prove", "--widths", "2,2,1", "--activation", "sigmod"],
     ["activation", "allowed:", "did you mean 'sigmoid'"]),
    ("unknown loss", {}, ["prove", "--widths", "2,2,1", "--loss", "mae"], ["loss", "allowed:", "mse"]),
    ("unknown init", {}, ["prove", "--widths", "2,2,1", "--init", "rand"], ["init", "did you mean 'random'"]),
    ("ce with one output", {}, ["prove", "--widths", "2,2,1", "--loss", "ce"], ["loss", "output width"]),
    ("jobs 0", {}, ["check", "--jobs", "0", "{tmp}"], ["--jobs", "from 1 to 256"]),
    ("negative timeout", {}, ["check", "--timeout", "-5", "{tmp}"], ["--timeout", "between 0"]),
    ("timeout not a number", {}, ["check", "--timeout", "soon", "{tmp}"], ["--timeout", "'soon'"]),
    ("missing theorem path", {}, ["check", "{tmp}/missing.toml"], ["missing.toml", "no such file"]),
    ("directory without theorems", {"empty/readme.txt": "x"}, ["check", "{tmp}/empty"], ["empty", "no theorem files"]),
    ("-k matches nothing", {"a.toml": theorem()}, ["check", "-k", "zzz", "{tmp}/a.toml"], ["-k 'zzz'", "matches none"]),
    ("point file missing", {}, ["grad", "--widths", "2,2,1", "--point", "{tmp}/p.json"], ["p.json", "no such file"]),
    ("point is a directory", {"d/x": ""}, ["grad", "--widths", "2,2,1", "--point", "{tmp}/d"], ["d", "is a directory"]),
    ("point not JSON", {"p.json": "{W1: 1"}, ["grad", "--widths", "2,2,1", "--point", "{tmp}/p.json"],
     ["p.json", "not valid JSON", "line 1"]),
    ("point wrong shape", {"p.json": POINT.replace('"W1": [[0, 0], [0, 0]]', '"W1": [[0, 0]]')},
     ["grad", "--widths", "2,2,1", "--point", "{tmp}/p.json"], ["p.json", "'W1'", "2 rows"]),
    ("point unknown key", {"p.json": POINT.replace('"b2"', '"b22"')},
     ["grad", "--widths", "2,2,1", "--point", "{tmp}/p.json"], ["p.json", "'b22'", "did you mean 'b2'"]),
    # ---- theorem files
    ("TOML syntax error", {"t.toml": 'statement = "s"\nexpect = proved\n'}, ["check", "{tmp}/t.toml"],
     ["t.toml:2:", "not valid TOML"]),
    ("empty theorem file", {"t.toml": "\n"}, ["check", "{tmp}/t.toml"], ["t.toml", "empty file"]),
    ("not UTF-8", {"t.toml": b"\xff\xfe statement"}, ["check", "{tmp}/t.toml"], ["t.toml", "not UTF-8"]),
    ("unknown top-level key", {"t.toml": theorem().replace("statement", "statment")}, ["check", "{tmp}/t.toml"],
     ["t.toml:1:", "statment", "did you mean 'statement'"]),
    ("unknown network key", {"t.toml": theorem().replace("widths", "widht")}, ["check", "{tmp}/t.toml"],
     ["t.toml:5:", "network.widht", "did you mean 'widths'"]),
    ("theorem width 0", {"t.toml": theorem(widths="[2, 0, 1]")}, ["check", "{tmp}/t.toml"],
     ["t.toml:5:", "network.widths", "entry 1 is 0"]),
    ("theorem width -1", {"t.toml": theorem(widths="[2, -1, 1]")}, ["check", "{tmp}/t.toml"],
     ["t.toml:5:", "network.widths", "positive integer"]),
    ("theorem width 'a'", {"t.toml": theorem(widths='[2, "a", 1]')}, ["check", "{tmp}/t.toml"],
     ["t.toml:5:", "network.widths", "'a'"]),
    ("theorem absurd width", {"t.toml": theorem(widths="[2, 100000, 1]")}, ["check", "{tmp}/t.toml"],
     ["t.toml:5:", "not supported"]),
    ("theorem widths not a list", {"t.toml": theorem(widths="3")}, ["check", "{tmp}/t.toml"],
     ["t.toml:5:", "network.widths", "list of positive integers"]),
    ("theorem unknown activation", {"t.toml": theorem(activation='"sigmod"')}, ["check", "{tmp}/t.toml"],
     ["t.toml:6:", "network.activation", "did you mean 'sigmoid'"]),
    ("theorem unknown loss", {"t.toml": theorem(loss='"cross"')}, ["check", "{tmp}/t.toml"],
     ["t.toml:7:", "network.loss", "allowed:"]),
    ("theorem ce with one output", {"t.toml": theorem(loss='"ce"')}, ["check", "{tmp}/t.toml"],
     ["t.toml:7:", "network.loss", "output width"]),
    ("theorem unknown init", {"t.toml": theorem(init='"rand"')}, ["check", "{tmp}/t.toml"],
     ["t.toml:10:", "training.init", "did you mean 'random'"]),
    ("theorem unknown optimizer", {"t.toml": theorem().replace("[training]", '[training]\noptimizer = "sgdd"')},
     ["check", "{tmp}/t.toml"], ["t.toml:10:", "training.optimizer", "did you mean 'sgd'"]),
    ("theorem seed wrong type", {"t.toml": theorem().replace("[training]", '[training]\nseed = "zero"')},
     ["check", "{tmp}/t.toml"], ["t.toml:10:", "training.seed", "integer"]),
    ("expect not a verdict", {"t.toml": theorem(expect="true")}, ["check", "{tmp}/t.toml"],
     ["t.toml:2:", "expect", "allowed: proved, refuted"]),
    ("unknown claim kind", {"t.toml": theorem().replace('"symmetry"', '"symetry"')}, ["check", "{tmp}/t.toml"],
     ["t.toml:", "claim.kind", "did you mean 'symmetry'"]),
    ("claim missing", {"t.toml": theorem().split("[claim]")[0]}, ["check", "{tmp}/t.toml"],
     ["t.toml", "claim", "missing"]),
    ("unknown claim option", {"t.toml": theorem() + 'points = "p.json"\n'}, ["check", "{tmp}/t.toml"],
     ["t.toml:14:", "claim.points", "claim kind 'symmetry'"]),
    ("training key the claim does not use", {"t.toml": DERIVATION}, ["check", "{tmp}/t.toml"],
     ["t.toml:8:", "training.init", "not used by claim kind 'derivation'"]),
    ("general widths not supported", {"t.toml": theorem(widths='"general"')}, ["check", "{tmp}/t.toml"],
     ["t.toml:5:", "network.widths", "concrete widths"]),
    ("custom activation shadows a built-in",
     {"t.toml": theorem(activation='"tanh"', extra='[activations]\ntanh = "x"\n')}, ["check", "{tmp}/t.toml"],
     ["t.toml:", "activations", "built in"]),
    ("unsafe custom activation",
     {"t.toml": theorem(activation='"evil"', extra='[activations]\nevil = "x.__class__"\n')},
     ["check", "{tmp}/t.toml"], ["t.toml:9:", "activations.evil", "attribute access"]),
    ("duplicate theorem names", {"a/t.toml": theorem(), "b/t.toml": theorem()}, ["check", "{tmp}"],
     ["t.toml", "already used"]),
    # ---- point files referenced from theorem files
    ("theorem point file missing", {"t.toml": GRADIENT.format(loss="bce", point="nope.json")},
     ["check", "{tmp}/t.toml"], ["nope.json", "no such file"]),
    ("theorem point target out of range", {"t.toml": GRADIENT.format(loss="bce", point="p.json"),
                                           "p.json": POINT.replace('"y": [1]', '"y": [3]')},
     ["check", "{tmp}/t.toml"], ["p.json", "'y'", "[0, 1]"]),
    ("theorem point non-number", {"t.toml": GRADIENT.format(loss="bce", point="p.json"),
                                  "p.json": POINT.replace('"x": [1, 2]', '"x": [1, "two"]')},
     ["check", "{tmp}/t.toml"], ["p.json", "'x'", "'two'", "finite number"]),
    ("inline point wrong length",
     {"t.toml": GRADIENT.format(loss="mse", point="p").replace('point = "p"', "point = {x = [1]}")},
     ["check", "{tmp}/t.toml"], ["t.toml:11:", "claim.point", "missing"]),
]


def _materialize(tmp_path: Path, files: dict, argv: list[str]) -> list[str]:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return [arg.replace("{tmp}", str(tmp_path)) for arg in argv]


def _run_in_process(argv, capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse usage errors
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("files, argv, needles", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_one_line_and_exit_2(tmp_path, capsys, files, argv, needles):
    code, out, err = _run_in_process(_materialize(tmp_path, files, argv), capsys)
    assert code == 2, err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    assert out == ""
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30


def test_unreadable_theorem_file(tmp_path, capsys, monkeypatch):
    path = write(tmp_path / "t.toml", theorem())

    real_open = os.open

    def denied(name, *args, **kwargs):
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)  # portable: root ignores chmod 000
    code, out, err = _run_in_process(["check", str(path)], capsys)
    assert code == 2 and err.count("\n") == 1 and "permission denied" in err and str(path) in err


@pytest.mark.parametrize("index", [0, 20, 24, 43])
def test_bad_input_in_a_fresh_interpreter(tmp_path, index):
    """The same guarantees hold for the installed command, not just for main()."""
    _, files, argv, needles = CASES[index]
    code, out, err = run_cli(*_materialize(tmp_path, files, argv))
    assert code == 2 and out == b"" and err.count("\n") == 1 and "Traceback" not in err
    assert all(needle in err for needle in needles)
