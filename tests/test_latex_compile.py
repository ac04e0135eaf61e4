"""derive/prove --format latex compile with a real TeX engine, and the PDF says what it should."""

import subprocess
import sys

import pytest

from symcheck.cli import main
from texrun import compile_tex, pdf_text

pytestmark = pytest.mark.latex

COMMANDS = {
    "derive_221": (["derive", "--widths", "2,2,1", "--activation", "sigmoid", "--loss", "bce"],
                   ["Backpropagation for the MLP 2–2–1", "Forward pass", "Entry by entry", "on all 9 gradient entries"]),
    "derive_deep": (["derive", "--widths", "3,4,4,2", "--activation", "relu", "--loss", "ce", "--notation",
                     "subscript"], ["Backward pass", "Gradient-descent update"]),
    "prove_constant": (["prove", "--widths", "2,3,1", "--activation", "tanh"],
                       ["Base case", "Inductive step", "Verdict: proved", "2–1–1 network"]),
    "prove_random": (["prove", "--widths", "2,2,1", "--init", "random", "--seed", "3"],
                     ["Counterexample", "Verdict: refuted"]),
    "prove_logistic": (["prove", "--widths", "3,1", "--loss", "bce"], ["Verdict: proved", "vacuously"]),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_standalone_output_compiles(name, tmp_path, capsys):
    argv, expected = COMMANDS[name]
    main([*argv, "--format", "latex", "--standalone"])
    tex = tmp_path / f"{name}.tex"
    tex.write_text(capsys.readouterr().out, encoding="utf-8")
    text = pdf_text(compile_tex(tex))
    for line in expected:
        assert line in text, f"{line!r} not in the PDF of {name}"


def test_fragment_is_inputable(tmp_path, capsys):
    main(["derive", "--widths", "2,2,1", "--format", "latex"])
    fragment = capsys.readouterr().out
    assert r"\documentclass" not in fragment
    (tmp_path / "fragment.tex").write_text(fragment, encoding="utf-8")
    wrapper = tmp_path / "wrapper.tex"
    wrapper.write_text("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
                       "\\input{fragment}\n\\end{document}\n", encoding="utf-8")
    assert "Forward pass" in pdf_text(compile_tex(wrapper))


def test_prove_json_alias_still_works(capsys):
    assert main(["prove", "--widths", "2,2,1", "--json"]) == 0
    by_alias = capsys.readouterr().out
    assert main(["prove", "--widths", "2,2,1", "--format", "json"]) == 0
    assert capsys.readouterr().out == by_alias and by_alias.startswith("{")


def test_cli_latex_is_byte_identical_across_processes():
    argv = [sys.executable, "-m", "symcheck", "prove", "--widths", "2,2,1", "--format", "latex", "--standalone"]
    first = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    second = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    assert first == second and r"\end{document}" in first
