"""Write the handout's .tex and figures, and compile the PDF when a TeX engine is present."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildFailed, InvalidFile
from ..model.textfile import read_text_file
from ..model.spec import MLP
from .content import build_handout
from ..render.figures import draw_figures
from ..render.handout_exercises import sheet_tex
from ..render.handout_document import handout_tex
from .exercises import student_instances

LATEXMK = ("latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error")
PDFLATEX = ("pdflatex", "-interaction=nonstopmode", "-halt-on-error")


@dataclass(frozen=True)
class BuildResult:
    tex: Path
    figures: tuple[Path, ...]
    pdf: Path | None  # None when no TeX engine is installed
    engine: str | None
    log: Path | None
    extras: tuple[Path, ...] = ()  # the answer key and the students' sheets (.pdf, or .tex without TeX)
    extra_logs: tuple[Path, ...] = ()  # their TeX logs, beside them (the layout checks read every log)


@dataclass(frozen=True)
class Options:
    notation: str = "bracket"
    paper: str | None = None  # a4 or letter; None: the TeX installation's default
    appendix: bool = False
    answers: str = "separate"  # separate | inline | none
    students: tuple[str, ...] = ()  # one exercise sheet (and key) per name


ANSWERS = ("separate", "inline", "none")
#: A roster is a short list of names, one a line; larger files are not rosters.
MAX_ROSTER_BYTES = 64 * 1024
MAX_STUDENTS = 200


def tex_engine() -> tuple[str, ...] | None:
    if shutil.which("latexmk") and shutil.which("pdflatex"):
        return LATEXMK
    if shutil.which("pdflatex"):
        return PDFLATEX
    return None


def read_roster(path: Path) -> tuple[str, ...]:
    """Names, one a line (blank lines and # comments skipped), through the one user-file reader."""
    text = read_text_file(Path(path), "a roster (one student name a line)", MAX_ROSTER_BYTES)
    names = tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    if not names:
        raise InvalidFile(f"{path}: no names; expected one student name a line")
    if len(names) > MAX_STUDENTS:
        raise InvalidFile(f"{path}: {len(names)} names; at most {MAX_STUDENTS}")
    if len(set(names)) != len(names):
        repeated = next(n for n in names if names.count(n) > 1)
        raise InvalidFile(f"{path}: the name {repeated!r} appears twice; names must be unique")
    return names


def numbered_students(count: int) -> tuple[str, ...]:
    if not 1 <= count <= MAX_STUDENTS:
        raise InvalidFile(f"--students: {count} is not between 1 and {MAX_STUDENTS}")
    return tuple(f"student {k:0{len(str(count))}d}" for k in range(1, count + 1))


def _slug(name: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "-".join(part for part in kept.split("-") if part) or "student"


def write_sources(spec: MLP, seed: int, directory: Path, stem: str, options: Options = Options()):
    """The handout's .tex and figures, and the extra documents; returns (tex, figures, extra .tex files)."""
    handout = build_handout(spec, seed, options.appendix)
    settings = {"layer_notation": options.notation}
    figures = draw_figures(handout, directory, stem)
    tex = directory / f"{stem}.tex"
    tex.write_text(handout_tex(handout, stem, answers=options.answers, paper=options.paper, **settings),
                   encoding="utf-8")
    extras = []
    if options.answers == "separate":
        extras.append((f"{stem}-answers", sheet_tex(handout.exercises, None, "answers", options.paper, **settings)))
    if options.students:
        # the students' instances start after the handout's own, so no sheet repeats its exercises
        instances = student_instances(seed + 1, len(options.students))
        for name, instance in zip(options.students, instances):
            extras.append((f"{stem}-exercises-{_slug(name)}",
                           sheet_tex(instance, name, "exercises", options.paper, **settings)))
            if options.answers != "none":
                extras.append((f"{stem}-answers-{_slug(name)}",
                               sheet_tex(instance, name, "answers", options.paper, **settings)))
    extra_paths = []
    for name, text in extras:
        path = directory / f"{name}.tex"
        path.write_text(text, encoding="utf-8")
        extra_paths.append(path)
    return tex, tuple(figures.values()), tuple(extra_paths)


def compile_tex(tex: Path, engine: tuple[str, ...]) -> Path:
    """Run the engine in the .tex's directory; return the .log. Raise BuildFailed on error."""
    runs = 1 if engine[0] == "latexmk" else 2  # pdflatex twice for the figure references
    for _ in range(runs):
        done = subprocess.run([*engine, tex.name], cwd=tex.parent, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
        if done.returncode != 0:
            log = tex.with_suffix(".log")
            raise BuildFailed(f"{tex}: {engine[0]} failed (exit {done.returncode}); see {log}")
    return tex.with_suffix(".log")


def build(spec: MLP, seed: int, output: Path, options: Options = Options()) -> BuildResult:
    """``output`` ending in .pdf: compile (in a scratch directory) when possible, else write the
    .tex beside it; ending in .tex: write the .tex and its figures only."""
    output = Path(output)
    if output.suffix not in (".pdf", ".tex"):
        raise InvalidFile(f"-o: {output} must end in .pdf or .tex")
    directory = output.parent  # Path("x.pdf").parent is Path(".")
    if not directory.is_dir():
        raise InvalidFile(f"-o: directory {directory} does not exist")
    if options.answers not in ANSWERS:
        raise InvalidFile(f"--answers: unknown value {options.answers!r}; allowed: {', '.join(ANSWERS)}")
    stem = output.stem
    engine = tex_engine()
    if output.suffix == ".tex" or engine is None:
        tex, figures, extras = write_sources(spec, seed, directory, stem, options)
        return BuildResult(tex, figures, None, None, None, extras)
    with tempfile.TemporaryDirectory(prefix="symcheck-handout-") as scratch:
        scratch = Path(scratch)
        tex, figures, extras = write_sources(spec, seed, scratch, stem, options)
        log = compile_tex(tex, engine)
        kept, kept_logs = [], []
        for extra in extras:
            extra_log = compile_tex(extra, engine)
            shutil.copyfile(extra.with_suffix(".pdf"), directory / f"{extra.stem}.pdf")
            shutil.copyfile(extra_log, directory / extra_log.name)
            kept.append(directory / f"{extra.stem}.pdf")
            kept_logs.append(directory / extra_log.name)
        kept_tex = directory / tex.name
        kept_log = directory / log.name
        shutil.copyfile(tex.with_suffix(".pdf"), output)
        shutil.copyfile(tex, kept_tex)
        shutil.copyfile(log, kept_log)
        kept_figures = []
        for figure in figures:
            shutil.copyfile(figure, directory / figure.name)
            kept_figures.append(directory / figure.name)
    return BuildResult(kept_tex, tuple(kept_figures), output, engine[0], kept_log, tuple(kept), tuple(kept_logs))
