"""The init and init-report commands: output, determinism, bad input (one line, exit 2)."""

import builtins
import json
import math

import pytest

from symcheck.cli import main
from symcheck.initialization.initializers import make_initializer
from needs import needs


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse rejects an option's value (a depth out of range)
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def test_init_json(capsys):
    code, out, err = run(capsys, "init", "xavier_uniform", "--shape", "5,3", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert {"scheme", "fan_in", "fan_out", "distribution", "std", "bound"} <= set(data)
    assert (data["scheme"], data["fan_in"], data["fan_out"], data["distribution"]) == ("xavier_uniform", 3, 5, "uniform")
    assert data["bound"] == math.sqrt(3.0) * math.sqrt(2.0 / 8)  # torch's own arithmetic
    assert data["std"] == make_initializer("xavier_uniform", (5, 3)).std


def test_init_keras_he_normal(capsys):
    code, out, _ = run(capsys, "init", "he_normal", "--shape", "3,3,16,32", "--convention", "keras", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["fan_in"], data["fan_out"], data["distribution"]) == (144, 288, "truncated_normal")
    assert data["std"] == math.sqrt(2.0 / 144)
    assert data["bound"] == 2 * math.sqrt(2.0 / 144) / 0.87962566103423978


def test_init_text_is_readable_and_deterministic(capsys):
    _, first, _ = run(capsys, "init", "kaiming_uniform", "--shape", "32,16,3,3", "--gain", "tanh", "--mode", "fan_out")
    _, second, _ = run(capsys, "init", "kaiming_uniform", "--shape", "32,16,3,3", "--gain", "tanh", "--mode", "fan_out")
    assert first == second
    assert "fan_in 144, fan_out 288" in first
    assert "torch.nn.init.kaiming_uniform_" in first and "bound" in first


def test_gain_by_name_with_slope(capsys):
    _, out, _ = run(capsys, "init", "he_uniform", "--shape", "5,3", "--gain", "leaky_relu", "--slope",
                    str(math.sqrt(5)), "--json")
    assert json.loads(out)["bound"] == pytest.approx(1 / math.sqrt(3), rel=1e-15)


def test_explain_prints_the_derivation(capsys):
    code, out, _ = run(capsys, "init", "he_uniform", "--shape", "5,3", "--explain")
    assert code == 0
    assert "E(relu(z)**2) = Var(z)/2" in out and "a = sqrt(3)*sqrt(v)" in out


@pytest.mark.parametrize("scheme", ["variance_scaling", "VarianceScaling"])
def test_variance_scaling_derives_the_forward_recursion(capsys, scheme):
    argv = ("init", scheme, "--shape", "5,3", "--convention", "keras", "--distribution", "uniform")
    code, out, err = run(capsys, *argv, "--explain")
    assert code == 0 and err == ""
    assert "Forward variance recursion" in out and "Bound of a uniform law" in out
    code, out, err = run(capsys, *argv, "--format", "latex")
    assert code == 0 and err == ""
    assert "Forward variance recursion" in out and "uniform law" in out


def test_slope_with_a_numeric_gain_is_rejected(capsys):
    code, out, err = run(capsys, "init", "he_normal", "--shape", "5,3", "--gain", "2", "--slope", "0.1")
    assert code == 2 and out == "" and "slope" in err


def test_list(capsys):
    code, out, _ = run(capsys, "init", "--list")
    assert code == 0 and "xavier_uniform" in out and "orthogonal" in out


@pytest.mark.parametrize("argv, fragment", [
    (["init", "xavier_unifrom", "--shape", "5,3"], "did you mean 'xavier_uniform'"),
    (["init", "he_normal"], "shape: missing"),
    (["init", "--shape", "5,3"], "scheme: missing"),
    (["init", "he_normal", "--shape", "5,-3"], "shape"),
    (["init", "he_normal", "--shape", "5"], "2 or more dimensions"),
    (["init", "he_normal", "--shape", "5,3", "--convention", "jax"], "convention"),
    (["init", "he_normal", "--shape", "5,3", "--gain", "tahn"], "did you mean 'tanh'"),
    (["init", "he_normal", "--shape", "5,3", "--slope", "0.1"], "slope"),
    (["init", "he_normal", "--shape", "5,3", "--convention", "keras", "--mode", "fan_out"], "variance_scaling"),
    (["init", "normal", "--shape", "5,3", "--std", "abc"], "std"),
    (["init-report", "--depth", "0"], "depth"),
    (["init-report", "--schemes", "he_normal,foo"], "schemes"),
    (["init-report", "--activations", "tahn", "--depth", "2", "--width", "4"], "did you mean 'tanh'"),
    (["init-report", "-o", "plot.svg"], ".png or .pdf"),
])
def test_bad_input_one_line_exit_2(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err


def test_init_report_table(capsys):
    argv = ("init-report", "--depth", "4", "--width", "16", "--samples", "20",
            "--schemes", "small_random,normal,he_normal", "--activations", "tanh,relu")
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "tanh" in out and "relu" in out and "small_random" in out and "Var(h_4)" in out
    assert run(capsys, *argv)[1] == out


def test_init_report_json(capsys):
    code, out, _ = run(capsys, "init-report", "--depth", "3", "--width", "8", "--samples", "10",
                       "--schemes", "he_normal", "--activations", "relu", "--json")
    data = json.loads(out)
    assert code == 0 and data["runs"][0]["scheme"] == "he_normal"
    assert len(data["runs"][0]["activation_variance"]) == 3


@pytest.mark.parametrize("suffix", ["png", "pdf"])
def test_init_report_plot(capsys, tmp_path, suffix):
    needs("matplotlib")
    path = tmp_path / f"report.{suffix}"
    code, out, _ = run(capsys, "init-report", "--depth", "3", "--width", "8", "--samples", "10", "-o", str(path))
    assert code == 0 and path.stat().st_size > 1000 and f"plots written to {path}" in out
    again = tmp_path / f"again.{suffix}"
    run(capsys, "init-report", "--depth", "3", "--width", "8", "--samples", "10", "-o", str(again))
    assert path.read_bytes() == again.read_bytes()


def test_missing_matplotlib_names_the_extra(capsys, monkeypatch):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    code, out, err = run(capsys, "init-report", "--depth", "2", "--width", "4", "-o", "x.png")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and 'pip install -e ".[handout]"' in err


def test_init_instantiates_the_rule_at_the_shape(capsys):
    code, out, _ = run(capsys, "init", "xavier_uniform", "--shape", "5,3")
    assert code == 0 and "**" not in out and "Var(W) = 2·gain²/(fan_in + fan_out)" in out
    assert "fan_in = 3, fan_out = 5, gain = 1: Var(W) = 1/4, std = 1/2, bound a = sqrt(3)·std = sqrt(3)/2" in out
    code, out, _ = run(capsys, "init", "xavier_uniform", "--shape", "5,3", "--format", "latex")
    assert r"\mathrm{fan}_{\mathrm{in}} = 3, \mathrm{fan}_{\mathrm{out}} = 5" in out
    assert r"a &= \sqrt{3}\,\mathrm{std} = \frac{\sqrt{3}}{2} \approx 0.866" in out and r"$W \sim U(-a, a)$" in out


@pytest.mark.parametrize("notation, layered, entry, foreign", [
    ("bracket", "W^{[i]}", r"W^{[i]}_{rj}", ("W_{i}", "h_{i-1}", r"\delta_{i}")),
    ("subscript", "W_{i}", r"\left(W_{i}\right)_{rj}", ("W^{[", "h^{[", r"\delta^{[")),
])
def test_init_latex_prose_follows_the_notation(capsys, notation, layered, entry, foreign):
    """The derivation's sentences write layers and entries as its equations do; an entry is never W_j,
    which reads as the weight of layer j."""
    code, out, _ = run(capsys, "init", "xavier_uniform", "--shape", "5,3", "--format", "latex", "--notation", notation)
    assert code == 0
    prose = " ".join(line for line in out.splitlines() if r"\parbox" in line or line.startswith(r"\paragraph"))
    assert layered in prose and entry in prose and entry in out  # the sum in the equation and the cross terms
    for other in foreign:
        assert other not in out, (notation, other)
    assert "W_{j}" not in out and "W_{k}" not in out and "{W}_{j}" not in out
