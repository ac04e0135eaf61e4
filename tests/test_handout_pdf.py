"""The handout as a teacher receives it: the compiled PDFs, read back with pdftotext.

Each variant is built once per session (module-scoped fixtures); the tests read its text, its
LaTeX log and the data behind its figures."""

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from symcheck import MLP
from symcheck.cli import main
from symcheck.handout import build as handout_build
from symcheck.handout.build import Options
from texrun import require_tex

GOLDEN = Path(__file__).parent / "golden" / "handout_body.txt"

VARIANTS = {  # name -> (widths, activation, loss, build options)
    "default": ((2, 2, 1), "sigmoid", "bce", Options(paper="a4")),
    # a per-student sheet and its key are laid out (and checked for overfull boxes) too
    "relu-ce": ((3, 4, 4, 2), "relu", "ce", Options(paper="letter", students=("Ada Lovelace",))),
    # the appendix and an inline key are read and checked for overfull boxes too
    "tanh": ((2, 2, 1), "tanh", "bce", Options(paper="a4", appendix=True)),
    "elu": ((2, 2, 1), "elu", "bce", Options(paper="a4", notation="subscript", answers="inline")),
}

#: What a student must never read: the tool's own failures, log lines, raw SymPy names.
FORBIDDEN = [r"undecided", r"disagree", r"\bNOT\b", r"\[\d\] proved", r"\b[Wb]\d+_\d+", r"\b_s\d+\b",
             r"\*\*", r"differ by at most 0", r"\(1 identities\)", r"hidden layers \(\d+ units\)",
             r"\d\.\d{8,}"]


def _pages(pdf: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout.split("\f")


def _overfull(log: Path) -> list[float]:
    text = log.read_text(encoding="latin-1")
    return [float(points) for points in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", text)]


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def variant(request, tmp_path_factory):
    require_tex()
    pytest.importorskip("matplotlib", reason="needs matplotlib for the figures (pip install -e '.[handout]')")
    widths, activation, loss, options = VARIANTS[request.param]
    directory = tmp_path_factory.mktemp(request.param)
    result = handout_build.build(MLP(widths, activation, loss), 0, directory / "handout.pdf", options)
    return request.param, result


@pytest.mark.latex
def test_no_failure_reaches_the_pdf(variant):
    name, result = variant
    text = "\n".join(_pages(result.pdf))
    for pattern in FORBIDDEN:
        assert not re.search(pattern, text), (name, pattern, re.search(pattern, text))
    if VARIANTS[name][3].answers == "inline":
        assert result.extras == () and "Answer key (instance 0)" in text
        return
    answers = result.pdf.with_name("handout-answers.pdf")
    assert answers in result.extras and answers.exists()  # the key is a separate file by default
    assert "Answer key" not in text and "Answer key" in "\n".join(_pages(answers))


@pytest.mark.latex
def test_no_overfull_boxes(variant):
    """Every PDF of the build: the handout, its answer key and each student's sheet and key."""
    name, result = variant
    logs = (result.log, *result.extra_logs)
    assert len(logs) == 1 + len(result.extras) and all(log.exists() for log in logs), name
    for log in logs:
        assert [p for p in _overfull(log) if p > 1.0] == [], (name, log.name)


@pytest.mark.latex
def test_variant_text_follows_its_network(variant):
    name, result = variant
    text = " ".join("\n".join(_pages(result.pdf)).split())
    if name == "relu-ce":
        assert "3–4–4–2 network is too large to do by hand" in text
        assert "binary cross-entropy (sigmoid output)" in text  # the worked example's loss, named rightly
    if name in ("tanh", "relu-ce"):
        assert "the hidden layer is dead" in text or "nothing flows back" in text
    if name == "default":
        assert "stationary point" in text and "ln 2" in text
    if name == "tanh":
        assert "The machine-checked proofs" in text and "Lemma A.1 (base case, invariant 1)" in text
        # Part II (a mini-batch) cites Part I's lemmas instead of printing them again
        assert text.count("downward induction") == 1 and text.count("is a linear subspace, and one gradient") == 1
        assert re.search(r"Lemma 11 \(batch/forward-first\)\. Lemma 1, with its hypotheses", text)


@pytest.fixture(scope="module")
def default(tmp_path_factory):
    require_tex()
    pytest.importorskip("matplotlib", reason="needs matplotlib for the figures (pip install -e '.[handout]')")
    directory = tmp_path_factory.mktemp("default")
    return handout_build.build(MLP((2, 2, 1), "sigmoid", "bce"), 0, directory / "handout.pdf",
                               Options(paper="a4"))


def _body(pdf: Path) -> str:
    """The text before the exercises, page numbers and layout spaces dropped."""
    text = "\n".join(_pages(pdf))
    body = text[:text.index("Exercises (instance")]
    return "\n".join(" ".join(line.split()) for line in body.splitlines() if line.strip())


@pytest.mark.latex
def test_default_body_matches_golden_text(default, request):
    body = _body(default.pdf)
    if request.config.regenerate_golden or not GOLDEN.exists():
        if not request.config.regenerate_golden:
            pytest.fail(f"{GOLDEN} is missing; run with SYMCHECK_REGENERATE_GOLDEN=1 and review it")
        GOLDEN.write_text(body, encoding="utf-8")
    assert body == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.latex
def test_default_body_answers_the_seed_questions(default):
    text = " ".join(_body(default.pdf).split())
    for phrase in ("Do several outputs break the symmetry? No.", "Linear regression may start equal",
                   "one factor s − y shared by all weights", "to redo a row by hand", "Proof.",
                   "S is a linear subspace", "Machine-checked."):
        assert phrase in text, phrase
    assert "Lemma 1" not in text  # the certificate only with --appendix


def test_figure_data_show_the_point():
    from symcheck.handout.training import training_runs

    runs = {run.label: run for run in training_runs(MLP((2, 2, 1), "sigmoid", "bce"))}
    assert np.all(runs["constant"].row_difference == 0) and runs["constant"].rows_equal
    assert runs["random"].row_difference[-1] > 0.1  # the plotted difference is visibly nonzero
    assert abs(runs["random"].biases[-1, 0] - runs["random"].biases[-1, 1]) > 1  # 3.4 vs -3.9
    zeros = runs["zeros"]
    assert zeros.stationary_start and max(zeros.losses) - min(zeros.losses) == 0
    assert abs(zeros.losses[0] - np.log(2)) < 1e-12  # stuck at ln 2: balanced XOR, all-zero is stationary


@pytest.mark.latex
@pytest.mark.parametrize("answers, key_inline, key_file", [("inline", True, False), ("none", False, False)])
def test_answer_modes(answers, key_inline, key_file, tmp_path, monkeypatch):
    require_tex()
    pytest.importorskip("matplotlib", reason="needs matplotlib for the figures (pip install -e '.[handout]')")
    result = handout_build.build(MLP((2, 2, 1), "sigmoid", "bce"), 0, tmp_path / "h.tex", Options(answers=answers))
    text = result.tex.read_text()
    assert ("Answer key" in text) == key_inline
    assert (tmp_path / "h-answers.tex").exists() == key_file


def test_students_get_their_own_sheets(tmp_path):
    pytest.importorskip("matplotlib", reason="needs matplotlib for the figures (pip install -e '.[handout]')")
    roster = tmp_path / "roster.txt"
    roster.write_text("# class 3b\nAda Lovelace\n\nAlan Turing\n", encoding="utf-8")
    assert main(["handout", "-o", str(tmp_path / "h.tex"), "--roster", str(roster), "--answers", "none"]) == 0
    sheets = sorted(tmp_path.glob("h-exercises-*.tex"))
    assert [s.name for s in sheets] == ["h-exercises-ada-lovelace.tex", "h-exercises-alan-turing.tex"]
    first, second = (s.read_text() for s in sheets)
    assert "for Ada Lovelace" in first and first.split("\\begin{enumerate}")[1] != second.split("\\begin{enumerate}")[1]
    assert not list(tmp_path.glob("h-answers*"))


@pytest.mark.parametrize("argv, message", [
    (["--students", "0"], "--students: 0 is not between 1 and"),
    (["--roster", "/nonexistent/roster.txt"], "no such file"),
    (["--answers", "maybe"], "invalid choice"),
    (["--paper", "a5"], "invalid choice"),
])
def test_bad_handout_options(argv, message, capsys, tmp_path):
    with pytest.raises(SystemExit) if "invalid choice" in message else _no_exit():
        code = main(["handout", "-o", str(tmp_path / "h.tex"), *argv])
        assert code == 2
    err = capsys.readouterr().err
    assert message in err


class _no_exit:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_an_undecided_cell_stops_the_build_with_exit_3(tmp_path, capsys, monkeypatch):
    from symcheck.handout import cases, content

    real = cases.case_table

    def with_an_undecided_cell(*args, **kwargs):
        table = real(*args, **kwargs)
        row = table.rows[2]
        step = row.steps[1]
        broken = cases.CaseStep(step.step, (), step.unmoved, ("W1",), step.tied, step.numeric_moved)
        rows = table.rows[:2] + (cases.CaseRow(row.label, row.init, (row.steps[0], broken, row.steps[2])),)
        return cases.CaseTable(table.spec, table.x, table.y, table.learning_rate, table.seed, rows,
                               table.trace_agrees)

    monkeypatch.setattr(content, "case_table", with_an_undecided_cell)
    assert main(["handout", "-o", str(tmp_path / "h.tex")]) == 3
    err = capsys.readouterr().err
    assert "case table (c), step 2" in err and "W1" in err and err.count("\n") == 1
    assert not (tmp_path / "h.tex").exists()
