"""The red-team table: hostile and unlucky input across the command line, theorem
files, point and init files and special files (FIFOs, devices, symlink loops,
directories, unreadable files). Every row must end with its exit code (2: bad
input), exactly one line on stderr that names what is wrong, no traceback,
nothing on stdout, and within a generous time bound (a FIFO or /dev/zero must
not hang or eat memory).

Rows run in-process for speed, under ``signal.alarm`` so that a hang fails the
row instead of the suite; the special files also run in a fresh interpreter
under a subprocess timeout. A Hypothesis fuzz test at the end throws generated
theorem text, point/init JSON and argument lists at the same entry point."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symcheck.cli import main
from theorem_helpers import run_cli, symmetry_theorem

#: seconds a row may take: generous, a guard against hangs rather than a benchmark
BUDGET = 60
POINT = {"W1": [[0.1, 0.2], [0.3, 0.4]], "b1": [0.0, 0.1], "W2": [[0.5, -0.6]], "b2": [0.2],
         "x": [1.0, 2.0], "y": [1.0]}
BIG = "9" * 5000
W = ["--widths", "2,2,1"]

# special files, created by _materialize
FIFO, LOOP, DIRECTORY, DANGLING = "<fifo>", "<symlink loop>", "<directory>", "<dangling link>"


def point(**changes) -> str:
    """POINT as JSON with some fields replaced by raw JSON text."""
    data = {key: json.dumps(value) for key, value in POINT.items()}
    data.update(changes)
    return "{" + ", ".join(f'"{key}": {value}' for key, value in data.items()) + "}"


def theorem(**changes) -> str:
    return symmetry_theorem(**changes)


GRADIENT_THEOREM = '''statement = "gradient"
expect = "proved"

[network]
widths = [2, 2, 1]
activation = "sigmoid"
loss = "mse"

[claim]
kind = "gradient"
point = "{point}"
'''


def _rows():
    """(id, argv with {tmp}, files to create, substrings the one line must contain)."""
    rows = []
    add = rows.append
    # ---- --widths: ASCII digits only, bounded length, every command that takes it
    for name, text, needles in [
        ("superscript two", "2,²,1", ["'²'", "ASCII"]),
        ("arabic-indic digit", "2,٣,1", ["'٣'", "ASCII"]),
        ("full-width digit", "２,2,1", ["'２'"]),
        ("5000 digits", f"2,{BIG},1", ["5000 digits"]),
        ("empty entry", "2,,1", ["entry 1", "not an integer"]),
        ("empty", "", ["widths", "empty"]),
        ("trailing comma", "2,2,1,", ["entry 3"]),
        ("decimal", "2.5,1", ["'2.5'"]),
        ("exponent", "1e3,1", ["'1e3'"]),
        ("hexadecimal", "0x10,1", ["'0x10'"]),
        ("minus zero", "2,-0,1", ["entry 1 is 0"]),
        ("semicolons", "2;2;1", ["'2;2;1'"]),
        ("two signs", "+-2,1", ["'+-2'"]),
        ("underscore", "1_0,1", ["'1_0'"]),
        ("one width", "3", ["at least two widths"]),
    ]:
        add((f"prove --widths {name}", ["prove", "--widths", text], {}, ["widths", *needles]))
    for command in ("derive", "analyze", "trace"):
        add((f"{command} --widths superscript", [command, "--widths", "2,²,1"], {}, ["widths", "'²'"]))
    add(("grad --widths superscript", ["grad", "--widths", "2,²,1", "--point", "{tmp}/p.json"],
         {"p.json": point()}, ["widths", "'²'"]))
    add(("handout --widths 5000 digits", ["handout", "--widths", f"2,{BIG},1", "-o", "{tmp}/h.tex"], {},
         ["widths", "5000 digits"]))
    # ---- --seed: 0 .. 2**32-1 wherever random values are drawn
    for command, extra in [("prove", W + ["--init", "random"]), ("analyze", W + ["--init", "W=random,b=0"]),
                           ("trace", W + ["--init", "random"]), ("init-report", []),
                           ("handout", ["-o", "{tmp}/h.tex"])]:
        add((f"{command} --seed -1", [command, *extra, "--seed", "-1"], {}, ["--seed", "-1", "0 to 4294967295"]))
    for name, text in [("2**32", "4294967296"), ("arabic-indic", "٣"), ("decimal", "1.5"), ("hex", "0x1"),
                       ("5000 digits", BIG), ("empty", "")]:
        add((f"prove --seed {name}", ["prove", *W, "--init", "random", "--seed", text], {}, ["--seed"]))
    # ---- --steps, --jobs, --timeout
    for text in ("0", "7", "²", "-1", "three"):
        add((f"trace --steps {text}", ["trace", *W, "--steps", text], {}, ["--steps"]))
    for text in ("0", "257", "٣", "1.0"):
        add((f"check --jobs {text}", ["check", "--jobs", text, "{tmp}"], {}, ["--jobs"]))
    for text in ("-1", "nan", "inf", "1e9", "５", ""):
        add((f"check --timeout {text!r}", ["check", "--timeout", text, "{tmp}"], {}, ["--timeout"]))
    # ---- init-report sizes
    for option, text in [("--depth", "0"), ("--depth", "201"), ("--depth", "²"), ("--width", "0"),
                         ("--width", "4097"), ("--width", "1e3"), ("--samples", "0"), ("--samples", "100001")]:
        add((f"init-report {option} {text}", ["init-report", option, text], {}, [option]))
    # ---- init: shapes and parameters
    for text, needles in [("²,3", ["'²'"]), ("0,3", ["entry 0 is 0"]), ("5,x", ["'x'"]),
                          ("3,99999999999", ["99999999999"]), (f"{BIG},3", ["5000 digits"])]:
        add((f"init --shape {text[:12]}", ["init", "xavier_uniform", "--shape", text], {}, ["shape", *needles]))
    for option, text, scheme in [("--std", "１", "normal"), ("--std", "nan", "normal"), ("--mean", "inf", "normal"),
                                 ("--low", "1e999", "uniform"), ("--gain", "nan", "xavier_uniform"),
                                 ("--value", "٣", "constant")]:
        add((f"init {scheme} {option} {text}", ["init", scheme, "--shape", "3,3", option, text], {},
             [option.lstrip("-")]))
    add(("init --slope inf", ["init", "he_normal", "--shape", "3,3", "--gain", "leaky_relu", "--slope", "inf"], {},
         ["slope"]))
    # ---- init patterns on the command line
    for name, text, needles in [
        ("5000-digit value", f"W={BIG},b=0", ["5000 characters"]),
        ("5000-digit fraction", f"W=1/{BIG},b=0", ["characters"]),
        ("5000-digit layer key", f"W{BIG}=0,b=0", ["is not W, b"]),
        ("divide by zero", "W=1/0,b=0", ["divides by zero"]),
        ("arabic-indic value", "W=٣,b=0", ["'٣'"]),
        ("huge exponent", "W=1e-101,b=0", ["exponent"]),
        ("nan", "W=nan,b=0", ["'nan'"]),
        ("inf", "W=inf,b=0", ["'inf'"]),
        ("key twice", "W=0,W=1,b=0", ["given twice"]),
        ("empty item", "W=0,,b=0", ["empty"]),
        ("missing biases", "W=0", ["no value for b1"]),
        ("unknown key", "x=0,b=0", ["'x'"]),
        ("two equals signs", "W=0=1,b=0", ["not KEY=VALUE"]),
        ("empty", " ", ["init: empty"]),
        ("file name too long", "a" * 5000, ["file name too long"]),
        ("layer beyond the network", "W9=0,W=0,b=0", ["'W9'", "layers 1..2"]),
    ]:
        add((f"analyze --init {name}", ["analyze", *W, "--init", text], {}, needles))
    add(("prove --init 5000-digit value", ["prove", *W, "--init", f"W={BIG},b=0"], {}, ["5000 characters"]))
    add(("trace --init divide by zero", ["trace", *W, "--init", "W=0,b=1/0"], {}, ["divides by zero"]))
    # ---- output files: checked before any work
    for argv, needles in [
        (["init-report", "-o", "/nonexistent/r.pdf"], ["/nonexistent", "does not exist"]),
        (["init-report", "-o", "{tmp}"], ["is a directory"]),
        (["init-report", "-o", ""], ["empty file name"]),
        (["handout", "-o", "/nonexistent/h.pdf"], ["/nonexistent", "does not exist"]),
        (["handout", "-o", ""], ["empty file name"]),
        (["check", "--junit", "", "{tmp}/t.toml"], ["--junit", "empty file name"]),
        (["prove", *W, "--export", "coq", ""], ["--export coq", "empty directory name"]),
        (["prove", *W, "--export", "coq", "{tmp}/t.toml"], ["--export coq", "not a directory"]),
        (["check", "--junit", "/nonexistent/j.xml", "{tmp}/t.toml"], ["--junit", "does not exist"]),
        (["check", "--junit", "{tmp}", "{tmp}/t.toml"], ["--junit", "is a directory"]),
    ]:
        add((" ".join(a if a != "" else "''" for a in argv), argv, {"t.toml": theorem()}, needles))
    # ---- point files (grad)
    grad = ["grad", *W, "--point", "{tmp}/p.json"]
    for name, text, needles in [
        ("401-digit integer", point(b2=f"[{'9' * 401}]"), ["401 characters"]),
        ("5000-digit decimal", point(b2=f"[{BIG}.5]"), ["characters"]),
        ("100000-deep array", "[" * 100000 + "]" * 100000, ["100000 deep"]),
        ("deep objects", '{"a": ' * 5000 + "1" + "}" * 5000, ["5000 deep"]),
        ("deep value", point(x="[" * 50 + "1" + "]" * 50), ["51 deep"]),
        ("NaN", point(b2="[NaN]"), ["NaN", "finite"]),
        ("Infinity", point(b2="[Infinity]"), ["Infinity"]),
        ("-Infinity", point(b2="[-Infinity]"), ["-Infinity"]),
        ("1e999", point(b2="[1e999]"), ["'b2'", "not finite"]),
        ("boolean", point(b2="[true]"), ["'b2'", "True"]),
        ("null", point(b2="[null]"), ["'b2'", "None"]),
        ("string", point(b2='["0.5"]'), ["'b2'", "'0.5'"]),
        ("empty file", "", ["empty file"]),
        ("top-level list", "[]", ["expected a JSON object"]),
        ("empty object", "{}", ["missing"]),
        ("byte-order mark", "\ufeff" + point(), ["not valid JSON"]),
        ("binary", b"\xff\xfe\x00\x01", ["not UTF-8"]),
        ("truncated", point()[:-5], ["not valid JSON"]),
        ("duplicate-free unknown key", point(W3="[[1]]"), ["'W3'", "unknown key"]),
        ("mini-batch y not a batch", point(x="[[1, 2], [3, 4]]"), ["'y'", "mini-batch of 2"]),
        ("mini-batch sizes differ", point(x="[[1, 2], [3, 4]]", y="[[1], [0], [1]]"), ["'y'", "2 examples"]),
        ("mini-batch row too short", point(x="[[1, 2], [3]]", y="[[1], [0]]"), ["'x'", "row 1"]),
        ("mini-batch non-number", point(x="[[1, 2], [3, \"a\"]]", y="[[1], [0]]"), ["'x'", "'a'"]),
        ("mini-batch too large", point(x=json.dumps([[0, 0]] * 1025), y=json.dumps([[0]] * 1025)),
         ["1025 examples", "at most 1024"]),
        ("empty x", point(x="[]"), ["'x'", "length 0"]),
    ]:
        add((f"grad point {name}", grad, {"p.json": text}, ["p.json", *needles]))
    add(("grad bce mini-batch target out of range",
         ["grad", *W, "--loss", "bce", "--point", "{tmp}/p.json"],
         {"p.json": point(x="[[1, 2], [3, 4]]", y="[[1], [2]]")}, ["'y'", "[0, 1]"]))
    add(("grad point name with a newline", ["grad", *W, "--point", "a\nb.json"], {}, ["a\\nb.json", "no such file"]))
    add(("init pattern with an escape sequence", ["analyze", *W, "--init", "W=\x1b[2J,b=0"], {}, ["\\x1b"]))
    add(("grad point name too long", ["grad", *W, "--point", "a" * 5000], {}, ["file name too long"]))
    # ---- init files
    init = ["analyze", *W, "--init", "{tmp}/i.json"]
    for name, text, needles in [
        ("401-digit integer", point(b2=f"[{'9' * 401}]"), ["401 characters"]),
        ("100000-deep array", "[" * 100000 + "]" * 100000, ["100000 deep"]),
        ("NaN", point(W1="[[NaN, 0], [0, 0]]"), ["NaN"]),
        ("missing W1", point().replace('"W1": [[0.1, 0.2], [0.3, 0.4]], ', ""), ["'W1'", "missing"]),
        ("wrong shape", point(W1="[[1, 2]]"), ["'W1'", "2 rows"]),
        ("x of the wrong length", point(x="[1]"), ["'x'"]),
        ("empty", "", ["empty file"]),
    ]:
        add((f"init file {name}", init, {"i.json": text}, ["i.json", *needles]))
    # ---- theorem files
    check = ["check", "{tmp}/t.toml"]
    for name, text, needles in [
        ("5000-digit width", theorem(widths=f"[2, {BIG}, 1]"), ["too long"]),
        ("30-digit width", theorem(widths=f"[2, {'9' * 30}, 1]"), ["network.widths", "not supported"]),
        ("100000-deep array", theorem(extra="x = " + "[" * 100000 + "]" * 100000 + "\n"), ["nested too deeply"]),
        ("deep inline tables", theorem().replace("[claim]", "[claim]\nopt = " + "{a = " * 5000 + "1" + "}" * 5000),
         ["nested too deeply"]),
        ("NUL character", theorem().replace("test theorem", "a\0b"), ["not valid TOML"]),
        ("byte-order mark", "\ufeff" + theorem(), ["byte-order mark"]),
        ("seed -1", theorem().replace("[training]", "[training]\nseed = -1"), ["training.seed"]),
        ("seed 2**40", theorem().replace("[training]", "[training]\nseed = 1099511627776"), ["training.seed"]),
        ("float width", theorem(widths="[2, 2.0, 1]"), ["network.widths"]),
        ("date width", theorem(widths="[2, 1979-05-27, 1]"), ["network.widths"]),
        ("inf width", theorem(widths="[2, inf, 1]"), ["network.widths"]),
        ("larger than 1 MiB", theorem() + "#" * (1024 * 1024), ["larger than 1 MiB"]),
        ("not UTF-8", b'statement = "\xff"\n', ["not UTF-8"]),
        ("full-width exp in an activation",
         theorem(activation='"mine"', extra='[activations]\nmine = "ｅｘｐ(x)"\n'), ["activations.mine", "ASCII"]),
        ("arabic-indic digit in an activation",
         theorem(activation='"mine"', extra='[activations]\nmine = "x * ٣"\n'), ["activations.mine", "ASCII"]),
    ]:
        add((f"theorem {name}", check, {"t.toml": text}, ["t.toml", *needles]))
    add(("theorem point is /dev/zero", check, {"t.toml": GRADIENT_THEOREM.format(point="/dev/zero")},
         ["/dev/zero", "character device"]))
    add(("theorem point is a FIFO", check, {"t.toml": GRADIENT_THEOREM.format(point="f.json"), "f.json": FIFO},
         ["f.json", "FIFO"]))
    add(("theorem point is a mini-batch", check, {"t.toml": GRADIENT_THEOREM.format(point="p.json"),
                                                  "p.json": point(x="[[1, 2], [3, 4]]", y="[[1], [0]]")},
         ["p.json", "one example", "mini-batches"]))
    add(("theorem point 401-digit integer", check, {"t.toml": GRADIENT_THEOREM.format(point="p.json"),
                                                    "p.json": point(b2=f"[{'9' * 401}]")},
         ["p.json", "401 characters"]))
    # ---- integers beyond a float's range in theorem files (TOML reads them exactly), exponents beyond it
    nines = "9" * 400
    expected = GRADIENT_THEOREM.format(point="p.json") + "[claim.expected]\n"
    for name, text, field in [("loss", f"loss = {nines}", "claim.expected.loss"),
                              ("b2", f"b2 = [{nines}]", "claim.expected.b2")]:
        add((f"theorem expected {name} 400-digit integer", check,
             {"t.toml": expected + text + "\n", "p.json": point()}, [field, "400 digits", "range of a float"]))
    inline = GRADIENT_THEOREM.replace('point = "{point}"', "point = {{ W1 = [[1, 0], [0, 1]], b1 = [0, 0], "
                                      "W2 = [[1, 1]], b2 = [{b2}], x = [1, 1], y = [0] }}")
    add(("theorem inline point 400-digit integer", check, {"t.toml": inline.format(b2=nines)},
         ["claim.point", "'b2'", "400 digits"]))
    add(("theorem inline point exponent 1e-99999999", check, {"t.toml": inline.format(b2="1e-99999999")},
         ["claim.point", "'b2'", "1e-99999999", "not finite"]))
    add(("point file exponent 1e-99999999", check, {"t.toml": GRADIENT_THEOREM.format(point="p.json"),
                                                    "p.json": point(b2="[1e-99999999]")},
         ["p.json", "'b2'", "1e-99999999", "not finite"]))
    # ---- model files for scan (built without optional libraries; ONNX and torch rows: test_scan.py)
    mlp = {"0.weight": np.ones((3, 2)), "0.bias": np.zeros(3), "1.weight": np.ones((1, 3)), "1.bias": np.zeros(1)}
    scan = ["scan", "{tmp}/m.npz", "--activation", "relu"]
    for name, arrays, needles in [
        ("int32 weight", dict(mlp, **{"1.weight": np.ones((1, 3), dtype=np.int32)}), ["'1.weight'", "int32"]),
        ("mismatched shapes", dict(mlp, **{"1.weight": np.ones((1, 4))}), ["1.weight", "mismatched shapes"]),
        ("bias of the wrong length", dict(mlp, **{"0.bias": np.zeros(4)}), ["'0.bias'", "shape"]),
        ("normalization layer", dict(mlp, **{"0.running_mean": np.zeros(3)}), ["0.running_mean"]),
        ("NaN weight", dict(mlp, **{"0.weight": np.full((3, 2), np.nan)}), ["'0.weight'", "nan"]),
    ]:
        add((f"scan npz {name}", scan, {"m.npz": _npz_bytes(arrays)}, ["m.npz", *needles]))
    add(("scan npz truncated", scan, {"m.npz": _npz_bytes(mlp)[:100]}, ["m.npz", "not a NumPy .npz"]))
    add(("scan safetensors truncated", ["scan", "{tmp}/m.safetensors", "--activation", "relu"],
         {"m.safetensors": b"\x40\x00\x00\x00\x00\x00\x00\x00{\"a\":"}, ["m.safetensors"]))
    add(("scan unknown suffix", ["scan", "{tmp}/m.h5"], {"m.h5": b"x"}, ["m.h5", "suffix"]))
    add(("scan no activation", ["scan", "{tmp}/m.npz"], {"m.npz": _npz_bytes(mlp)}, ["--activation"]))
    add(("scan tolerance 2", [*scan, "--tolerance", "2"], {"m.npz": _npz_bytes(mlp)}, ["tolerance", "2"]))
    return rows


def _npz_bytes(arrays: dict) -> bytes:
    import io

    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _special_rows():
    """Special files as point file, init file and theorem file: (id, argv, files, needles)."""
    rows = []
    users = [("grad --point", ["grad", *W, "--point"]), ("analyze --init", ["analyze", *W, "--init"]),
             ("check", ["check"])]
    for what, argv in users:
        rows += [
            (f"{what} FIFO", [*argv, "{tmp}/f.json"], {"f.json": FIFO}, ["f.json", "FIFO"]),
            (f"{what} /dev/zero", [*argv, "/dev/zero"], {}, ["/dev/zero", "character device"]),
            (f"{what} symlink loop", [*argv, "{tmp}/a.json"], {"a.json": LOOP}, ["a.json", "symlink loop"]),
            (f"{what} dangling link", [*argv, "{tmp}/d.json"], {"d.json": DANGLING}, ["d.json", "dangling"]),
            (f"{what} unreadable", [*argv, "{unreadable}"], {}, ["cannot be read"]),
        ]
    rows += [
        ("grad --point directory", ["grad", *W, "--point", "{tmp}/d"], {"d": DIRECTORY}, ["is a directory"]),
        ("analyze --init directory", ["analyze", *W, "--init", "{tmp}/d"], {"d": DIRECTORY}, ["is a directory"]),
        ("check FIFO in a directory", ["check", "{tmp}"], {"t.toml": theorem(), "f.toml": FIFO},
         ["f.toml", "FIFO"]),
        ("check symlink loop in a directory", ["check", "{tmp}"], {"t.toml": theorem(), "a.toml": LOOP},
         ["a.toml", "symlink loop"]),
        ("check /dev/null", ["check", "/dev/null"], {}, ["/dev/null", "character device"]),
        ("scan FIFO", ["scan", "{tmp}/f.npz", "--activation", "relu"], {"f.npz": FIFO}, ["f.npz", "FIFO"]),
        ("scan /dev/zero", ["scan", "/dev/zero", "--format-of-file", "npz"], {}, ["/dev/zero", "character device"]),
        ("scan directory", ["scan", "{tmp}/d.onnx"], {"d.onnx": DIRECTORY}, ["is a directory"]),
    ]
    return rows


ROWS = _rows()
SPECIAL = _special_rows()


def _unreadable(tmp_path: Path) -> str:
    """A file this process cannot read. Root reads any file whatever its mode, so as root the row
    uses /proc/self/mem, a regular file whose first page no process can read (EIO)."""
    if os.geteuid() != 0:
        path = tmp_path / "secret.json"
        path.write_text(point())
        path.chmod(0)
        return str(path)
    if not os.path.exists("/proc/self/mem"):
        pytest.skip("running as root without /proc: no file is unreadable here")
    return "/proc/self/mem"


def _materialize(tmp_path: Path, files: dict, argv: list[str]) -> list[str]:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == FIFO:
            os.mkfifo(path)
        elif content == LOOP:
            path.symlink_to(path.with_name(name + ".other"))
            path.with_name(name + ".other").symlink_to(path)
        elif content == DANGLING:
            path.symlink_to(tmp_path / "nowhere")
        elif content == DIRECTORY:
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    unreadable = _unreadable(tmp_path) if any("{unreadable}" in arg for arg in argv) else ""
    return [arg.replace("{tmp}", str(tmp_path)).replace("{unreadable}", unreadable) for arg in argv]


class _Budget:
    """signal.alarm around an in-process run: a hang fails the row instead of the suite."""

    def __enter__(self):
        def expired(signum, frame):
            raise TimeoutError(f"no answer within {BUDGET} s")

        self.previous = signal.signal(signal.SIGALRM, expired)
        signal.alarm(BUDGET)

    def __exit__(self, *exc):
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)


def run_in_process(argv, capsys) -> tuple[int, str, str]:
    with _Budget(), warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # a leaked NumPy warning is a failure
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse rejects an option
            code = stop.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code, out, err, needles):
    assert code == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert out == "" or out == b""
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"


def test_the_table_has_at_least_a_hundred_rows():
    assert len(ROWS) + len(SPECIAL) >= 100
    assert len({row[0] for row in ROWS + SPECIAL}) == len(ROWS) + len(SPECIAL)  # ids are unique


@pytest.mark.parametrize("argv, files, needles", [row[1:] for row in ROWS + SPECIAL],
                         ids=[row[0] for row in ROWS + SPECIAL])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, argv, files, needles):
    argv = _materialize(tmp_path, files, argv)
    assert_one_line_error(*run_in_process(argv, capsys), needles)


@pytest.mark.parametrize("argv, files, needles", [row[1:] for row in SPECIAL], ids=[row[0] for row in SPECIAL])
def test_special_files_in_a_fresh_interpreter(tmp_path, argv, files, needles):
    """The installed command, with a subprocess timeout: a blocking open would hang here."""
    argv = _materialize(tmp_path, files, argv)
    code, out, err = run_cli(*argv, cwd=tmp_path, timeout=BUDGET)
    assert_one_line_error(code, out, err, needles)


@pytest.mark.parametrize("argv", [["prove", *W], ["init", "--list"], ["check", "--json", "{proof}"]])
def test_a_write_error_is_one_line_and_exit_2(argv):
    """/dev/full refuses every write: an environment error, reported like bad input."""
    from theorem_helpers import PROOFS

    argv = [arg.replace("{proof}", str(PROOFS / "symmetry-2-2-1-sigmoid-bce.toml")) for arg in argv]
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "symcheck", *argv], stdout=full, stderr=subprocess.PIPE,
                              timeout=BUDGET)
    err = done.stderr.decode()
    assert done.returncode == 2 and err.count("\n") == 1 and "cannot write output" in err, err


def test_junit_with_control_characters_is_well_formed_xml(tmp_path, capsys):
    name = "ctrl\\u0001name"
    text = theorem().replace('statement = "test theorem"',
                             f'name = "{name}"\nstatement = "bell \\u0007 escape \\u001b[31m nul-free"')
    (tmp_path / "t.toml").write_text(text)
    report = tmp_path / "report.xml"
    code, _, err = run_in_process(["check", "--junit", str(report), "--no-timings", str(tmp_path / "t.toml")],
                                  capsys)
    assert code == 0, err
    root = ET.parse(report).getroot()  # raises on a character XML 1.0 forbids
    (case,) = root.iter("testcase")
    assert case.get("name") == "ctrl\\x01name"


def test_grad_mini_batch_is_the_sum_over_examples(tmp_path, capsys):
    from symcheck import MLP
    from symcheck.oracle import numeric

    spec = MLP((2, 3, 2), "tanh", "ce")
    rng = np.random.default_rng(11)
    params = {name: rng.uniform(-1, 1, spec.parameter_shape(name)) for name in spec.parameter_names}
    xs = rng.uniform(-1, 1, (3, 2))
    ys = np.array([[0.25, 0.75], [1.0, 0.0], [0.5, 0.5]])
    data = {name: value.tolist() for name, value in params.items()}
    singles = []
    for x, y in zip(xs, ys):
        path = tmp_path / "one.json"
        path.write_text(json.dumps(data | {"x": x.tolist(), "y": y.tolist()}))
        code, out, _ = run_in_process(["grad", "--widths", "2,3,2", "--activation", "tanh", "--loss", "ce",
                                       "--point", str(path)], capsys)
        assert code == 0
        singles.append(json.loads(out))
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(data | {"x": xs.tolist(), "y": ys.tolist()}))
    code, out, err = run_in_process(["grad", "--widths", "2,3,2", "--activation", "tanh", "--loss", "ce",
                                     "--point", str(path)], capsys)
    assert code == 0, err
    batch = json.loads(out)
    loss, gradients = numeric.batch_gradients(spec, params, xs, ys)
    assert batch["loss"] == pytest.approx(sum(s["loss"] for s in singles), rel=1e-12)
    assert batch["loss"] == pytest.approx(loss, rel=1e-12)
    for name in spec.parameter_names:
        summed = sum(np.array(s["grads"][name]) for s in singles)
        np.testing.assert_allclose(batch["grads"][name], summed, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(batch["grads"][name], gradients[name], rtol=1e-10, atol=1e-14)
    assert batch["cross_check"]["passed"]


def test_grad_at_overflowing_values_leaks_no_numpy_warning(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(point(W1="[[1000, 2000], [3000, 4000]]", W2="[[1e200, -1e200]]", b2="[1e300]",
                          x="[1e100, 2e100]"))
    for activation in ("sigmoid", "tanh", "softplus", "elu", "gelu"):
        code, _, err = run_in_process(["grad", *W, "--activation", activation, "--loss", "bce",
                                       "--point", str(path)], capsys)
        assert "Warning" not in err
        assert code in (0, 3)  # overflow: the routes disagree or agree, never a crash or a warning


_CUSTOM = ('statement = "s"\nexpect = "proved"\n[network]\nwidths = [2, 3, 1]\nactivation = "act"\nloss = "mse"\n'
           '[activations]\nact = "{act}"\n[training]\ninit = "{init}"\n[claim]\nkind = "{kind}"\n')
_OVERFLOWING_GRADIENT = GRADIENT_THEOREM.replace('widths = [2, 2, 1]', 'widths = [1, 1, 1]').replace(
    'point = "{point}"', "point = {{ W1 = [[1e200]], b1 = [0], W2 = [[1e200]], b2 = [0], x = [1e200], y = [0] }}"
).format() + "[claim.expected]\nb2 = [1]\n"


@pytest.mark.parametrize("text", [
    _OVERFLOWING_GRADIENT,
    _CUSTOM.format(act="sqrt(x)", init="W=0,b=0", kind="dead"),
    _CUSTOM.format(act="sqrt(x)", init="constant", kind="symmetry"),
    _CUSTOM.format(act="sqrt(x)**3", init="constant", kind="symmetry"),
    _CUSTOM.format(act="log(1+x)", init="constant", kind="symmetry"),
], ids=["gradient at 1e200", "dead sqrt", "symmetry sqrt", "symmetry sqrt cubed", "symmetry log(1+x)"])
def test_check_where_float_routes_overflow_leaks_no_numpy_warning(tmp_path, text):
    """NaN and inf in a float route make it fail (undecided); NumPy's own warnings stay silent."""
    (tmp_path / "t.toml").write_text(text)
    code, out, err = run_cli("check", "t.toml", cwd=tmp_path, timeout=BUDGET)
    assert err == "", err
    assert code == 3 and b"1 undecided" in out, out


# ------------------------------------------------------------------ fuzzing

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_ATOMS = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                   st.floats(allow_nan=False, allow_infinity=False), _TEXT)
_JSON = st.recursive(_ATOMS, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.sampled_from(["W1", "b1", "W2", "b2", "x", "y", "W3", "z"]), inner,
                                       max_size=6), max_leaves=20)


@st.composite
def _point_json(draw):
    """Mostly well-shaped points with a value or a key perturbed; sometimes arbitrary JSON."""
    if draw(st.booleans()):
        return json.dumps(draw(_JSON))
    data = json.loads(json.dumps(POINT))
    key = draw(st.sampled_from(sorted(data)))
    data[key] = draw(st.one_of(_JSON, st.lists(st.lists(_ATOMS, max_size=3), max_size=3)))
    return json.dumps(data)


@st.composite
def _theorem_text(draw):
    """A valid theorem file with one line replaced, cut or duplicated, or with text spliced in."""
    lines = theorem().splitlines()
    index = draw(st.integers(0, len(lines) - 1))
    action = draw(st.sampled_from(["replace", "cut", "duplicate", "splice"]))
    if action == "replace":
        lines[index] = draw(_TEXT)
    elif action == "cut":
        del lines[index:]
    elif action == "duplicate":
        lines.insert(index, lines[index])
    else:
        lines[index] = lines[index][:draw(st.integers(0, 20))] + draw(_TEXT)
    return "\n".join(lines) + "\n"


_OPTION_VALUES = st.one_of(st.sampled_from(["0", "1", "-1", "2,2,1", "²", "٣", "1e999", "nan", "", "random",
                                            "W=0,b=0", "W=1/0", "x", "9" * 500]), _TEXT)


@st.composite
def _argv(draw):
    """Cheap commands with hostile option values: parsing and validation, not long proofs."""
    command = draw(st.sampled_from(["prove", "analyze", "trace", "derive", "grad", "init", "check"]))
    options = {"prove": ["--widths", "--seed", "--init", "--activation", "--loss", "--optimizer"],
               "analyze": ["--widths", "--seed", "--init", "--optimizer"],
               "trace": ["--widths", "--seed", "--init", "--steps"],
               "derive": ["--widths", "--activation", "--loss", "--format"],
               "grad": ["--widths", "--point"],
               "init": ["--shape", "--std", "--gain", "--mode", "--convention"],
               "check": ["--jobs", "--timeout", "-k", "--junit"]}[command]
    argv = [command]
    if command == "init":
        argv.append(draw(st.sampled_from(["xavier_uniform", "normal", "he_normal", "orthogonal", "nope"])))
    for option in draw(st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True)):
        argv += [option, draw(_OPTION_VALUES)]
    return argv


#: capsys is read after every example, so sharing it between examples is safe
fuzz = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _fuzz_run(argv, capsys):
    code, out, err = run_in_process(argv, capsys)
    assert code in (0, 1, 2, 3), (argv, code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert err.count("\n") == 1, err
    return code


@fuzz
@given(text=_theorem_text())
def test_fuzz_theorem_files(tmp_path_factory, capsys, text):
    path = tmp_path_factory.mktemp("fuzz") / "t.toml"
    path.write_text(text, encoding="utf-8")
    _fuzz_run(["check", "--jobs", "1", "--timeout", str(BUDGET), str(path)], capsys)


@fuzz
@given(text=_point_json(), use=st.sampled_from(["grad", "analyze"]))
def test_fuzz_point_and_init_files(tmp_path_factory, capsys, text, use):
    path = tmp_path_factory.mktemp("fuzz") / "p.json"
    path.write_text(text, encoding="utf-8")
    argv = (["grad", *W, "--point", str(path)] if use == "grad"
            else ["analyze", *W, "--init", str(path)])
    _fuzz_run(argv, capsys)


@fuzz
@given(argv=_argv())
def test_fuzz_command_lines(tmp_path_factory, capsys, argv):
    directory = tmp_path_factory.mktemp("fuzz")
    if argv[0] == "check":
        (directory / "t.toml").write_text(theorem())
        argv = [*argv, str(directory / "t.toml")]
    if "--junit" in argv:  # keep reports inside the temporary directory
        position = argv.index("--junit") + 1
        argv[position] = str(directory / argv[position]) if argv[position].strip() else argv[position]
    if argv[0] in ("prove", "analyze", "trace", "derive", "grad") and "--widths" not in argv:
        argv += W
    if argv[0] == "trace" and "--steps" not in argv:
        argv += ["--steps", "1"]
    if argv[0] == "grad" and "--point" not in argv:
        (directory / "p.json").write_text(point())
        argv += ["--point", str(directory / "p.json")]
    _fuzz_run(argv, capsys)
