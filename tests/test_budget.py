"""The budget: a limit reached is undecided (exit 3, one line, nothing on stdout), never a
verdict; progress on stderr; and the fast routes agree with the slow ones they replace."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time

import numpy as np
import pytest
import sympy as sp

from symcheck import MLP, budget
from symcheck.exact import decide as decider
from symcheck.exact.verdict import PROVED, UNDECIDED
from symcheck.budget import BudgetExceeded
from symcheck.cli import main

#: generous: each of these runs stops at its own small --timeout (or refuses at once)
SUBPROCESS_BOUND = 60


def run(*argv, timeout=SUBPROCESS_BOUND):
    return subprocess.run([sys.executable, "-m", "symcheck", *argv], capture_output=True, text=True,
                          timeout=timeout)


# ------------------------------------------------------------------ the module

def test_the_deadline_stops_a_loop_that_checks_and_names_the_phase():
    with pytest.raises(BudgetExceeded) as raised:
        with budget.limit(0.05):
            for step in range(10**9):
                budget.phase(f"step {step}")
    message = str(raised.value)
    assert message.startswith("time budget of 0.05 s reached while step ") and "--timeout" in message


def test_the_timer_stops_one_long_call_that_never_checks():
    started = time.monotonic()
    with pytest.raises(BudgetExceeded):
        with budget.limit(0.2):
            time.sleep(30)  # a single call that never returns to a cooperative check
    assert time.monotonic() - started < 20


def test_an_exhausted_budget_is_not_an_exception_so_engine_handlers_cannot_swallow_it():
    def careless_decider():
        try:
            budget.check()
        except Exception:  # noqa: BLE001 - what a careless decider might write
            return PROVED
        return UNDECIDED

    assert not issubclass(BudgetExceeded, Exception)
    with pytest.raises(BudgetExceeded):
        with budget.limit(0.01):
            time.sleep(0.02)
            careless_decider()


def test_a_timeout_inside_the_decider_never_yields_proved(monkeypatch):
    """A normal form that runs out of time: no Decision comes back at all, least of all PROVED."""
    def slow_expand(expression):
        time.sleep(30)
        return sp.S.Zero  # would "prove" the identity if it ever returned

    monkeypatch.setattr(decider.sp, "expand", slow_expand)
    x = sp.Symbol("x")
    with pytest.raises(BudgetExceeded):
        with budget.limit(0.2):
            decider.prove_by_normal_forms(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)


def test_nested_limits_keep_the_tighter_deadline_and_restore_the_outer_one():
    with budget.limit(100, phase_text="outer"):
        with budget.limit(0.05, phase_text="inner"):
            assert budget.remaining() <= 0.05
        assert 50 < budget.remaining() <= 100 and budget.current_phase() == "outer"
        with budget.limit(1000):
            assert budget.remaining() <= 100
    assert budget.remaining() is None
    budget.check()  # outside every limit: a no-op
    with budget.limit(None, memory_gb=1):
        with budget.limit(5, memory_gb=4):  # an inner limit cannot loosen the outer memory budget
            with pytest.raises(BudgetExceeded, match="memory budget of 1 GB"):
                budget.require_memory(2 * 2**30, "two gigabytes")


def test_memory_estimates_above_the_budget_are_refused_with_the_numbers():
    budget.require_memory(10 * 2**30, "anything")  # no budget outside limit
    with budget.limit(None, memory_gb=1):
        budget.require_memory(2**29, "half a gigabyte")
        with pytest.raises(BudgetExceeded, match=r"memory budget of 1 GB reached: a big table needs "
                                                 r"about 3 GB; lower --width, or raise --max-memory"):
            budget.require_memory(3 * 2**30, "a big table", "lower --width")


def test_progress_prints_the_current_phase_after_its_threshold_and_only_then():
    stream = io.StringIO()
    with budget.Progress("trace", after=0.05, every=0.05, stream=stream):
        budget.phase("trace step 2/5")
        time.sleep(0.4)
    lines = stream.getvalue().splitlines()
    assert lines and all(line.startswith("symcheck trace: ") for line in lines)
    assert "trace step 2/5" in lines[-1]
    quiet = io.StringIO()
    with budget.Progress("trace", after=budget.progress_after(None, quiet=True), stream=quiet):
        time.sleep(0.1)
    assert quiet.getvalue() == ""


# ------------------------------------------------------------------ the CLI

@pytest.mark.parametrize("argv", [
    ["prove", "--widths", "4096,4096,1", "--timeout", "1"],
    ["trace", "--widths", "4,8,8,1", "--init", "random", "--steps", "6", "--timeout", "1"],
    ["derive", "--widths", "64,64,64,64,1", "--timeout", "1"],
    ["analyze", "--widths", "2,4096,4096,1", "--init", "W=0,b=random", "--timeout", "1"],
    ["init-report", "--width", "4096", "--samples", "4096"],  # refused by its memory estimate
    ["derive", "--widths", "4096,4096,4096,1"],  # likewise
    ["init-report", "--width", "1024", "--samples", "1024", "--depth", "200", "--timeout", "1",
     "--max-memory", "8"],
])
def test_a_reached_limit_is_undecided_with_one_line_and_nothing_on_stdout(argv):
    done = run(*argv)
    assert done.returncode == 3, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith(f"symcheck {argv[0]}: undecided: ")
    assert "budget" in lines[0] and ("--timeout" in lines[0] or "--max-memory" in lines[0])


def test_the_message_names_where_the_time_ran_out():
    done = run("trace", "--widths", "4,8,8,1", "--init", "random", "--steps", "6", "--timeout", "1")
    assert "while trace step " in done.stderr and "of MLP 4-8-8-1" in done.stderr


def test_in_process_the_same_contract_holds(capsys, monkeypatch):
    """A decider stuck in one long call, run through main(): exit 3, stdout empty, one line."""
    def stuck(*_args, **_kwargs):
        time.sleep(30)

    monkeypatch.setattr(sys.modules["symcheck.induction.trace"], "decide_all", stuck)
    code = main(["trace", "--widths", "2,2,1", "--init", "random", "--steps", "1", "--timeout", "0.5"])
    out, err = capsys.readouterr()
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "time budget of 0.5 s reached" in err


def test_progress_lines_appear_on_stderr_for_a_run_longer_than_the_threshold():
    widths = "2," + ",".join(["2"] * 16) + ",1"
    done = run("derive", "--widths", widths, "--progress", "0.01")
    assert done.returncode == 0
    progress = done.stderr.splitlines()
    assert progress and all(line.startswith("symcheck derive: ") and " s, " in line for line in progress)
    quiet = run("derive", "--widths", widths, "--progress", "0.01", "--quiet")
    assert quiet.stderr == "" and quiet.stdout == done.stdout  # stdout is the result alone


def test_check_shows_the_theorem_being_checked_and_its_workers_stay_silent():
    done = run("check", "-k", "seed-000*", "--progress", "0", "--jobs", "2")
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("symcheck check: ") and " theorem " in line for line in lines)


def test_check_counts_loading_and_refuses_a_file_of_many_custom_activations(tmp_path):
    lines = ['statement = "many activations"', 'expect = "proved"', "[network]", "widths = [2, 2, 1]",
             'activation = "a0"', "[claim]", 'kind = "symmetry"', "[activations]"]
    lines += [f'a{i} = "x / (1 + exp(-x))"' for i in range(5000)]
    path = tmp_path / "many.toml"
    path.write_text("\n".join(lines) + "\n")
    done = run("check", str(path))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "5000 custom activations; at most 64" in done.stderr


def test_check_reports_a_theorem_out_of_time_as_undecided_with_the_phase(tmp_path):
    path = tmp_path / "slow.toml"
    steps = '[[claim.step]]\ninvariants = "fail"\n' * 6
    path.write_text('statement = "slow"\nexpect = "proved"\n[network]\nwidths = [6, 8, 8, 8, 1]\n'
                    '[training]\ninit = "random"\n[claim]\nkind = "trace"\n' + steps)
    done = run("check", str(path), "--timeout", "1", "--json")
    report = json.loads(done.stdout)
    assert done.returncode == 3
    outcome = report["theorems"][0]
    assert outcome["got"] == "undecided"
    assert outcome["summary"].startswith("timed out after 1 s (resource limit) while trace step ")


# ------------------------------------------------------------------ fast routes agree with slow ones

TRACE_CASES = [
    ("2,2,1", "sigmoid", "bce", "W=0,b=0"),
    ("2,2,1", "tanh", "mse", "W=0,b=random"),
    ("2,3,1", "relu", "mse", "W=random,b=0"),
    ("3,2,2", "sigmoid", "bce", "constant"),
    ("2,2,2,1", "tanh", "mse", "W1=random,W2=0,W3=0,b=0"),
]


@pytest.mark.parametrize("widths, activation, loss, init", TRACE_CASES)
def test_trace_with_one_step_deep_expressions_agrees_with_fully_nested_ones(monkeypatch, widths, activation,
                                                                            loss, init):
    trace_module = sys.modules["symcheck.induction.trace"]
    spec = MLP.parse(widths, activation, loss)
    fast = trace_module.trace(spec, init, 3)
    monkeypatch.setattr(trace_module, "_abbreviated", lambda params, derived, step: params)
    slow = trace_module.trace(spec, init, 3)
    assert fast.steps == slow.steps and fast.initial_invariants == slow.initial_invariants


def test_trace_decides_the_movements_nested_expressions_left_undecided():
    """elu: with fully nested expressions no witness was found from step 2 on (every group
    undecided, in minutes); one step deep, every group moves and every invariant fails, each
    with a witness confirmed by the replay."""
    fast = sys.modules["symcheck.induction.trace"].trace(MLP.parse("2,2,1", "elu", "mse"), "random", 3)
    for step in fast.steps:
        assert [g.status for g in step.groups] == ["moves"] * 4 and all(g.witness.rechecked for g in step.groups)
        assert all(i.status == "fails" and i.witness.rechecked for i in step.invariants)


def test_derive_check_of_a_deep_network_runs_the_recursion_at_the_point_and_can_fail(monkeypatch):
    from symcheck.symbolic import derivation

    spec = MLP.parse("2," + ",".join(["3"] * 8) + ",1", "tanh", "mse")
    assert derivation.check_recursion(spec, exact=False).passed
    wrong = derivation.backprop

    def planted(*args):
        result = wrong(*args)
        gradients = dict(result.gradients)
        gradients["b1"] = tuple(g * 2 for g in gradients["b1"])
        return type(result)(**{**result.__dict__, "gradients": gradients})

    monkeypatch.setattr(derivation, "backprop", planted)
    assert not derivation.check_recursion(spec, exact=False).passed


def _point(spec, seed=3):
    from symcheck.model.point import Point

    rng = np.random.default_rng(seed)
    parameters = {name: rng.uniform(-1, 1, spec.parameter_shape(name)) for name in spec.parameter_names}
    return Point(parameters, rng.uniform(-1, 1, spec.input_width), rng.uniform(0, 1, spec.output_width))


@pytest.mark.parametrize("activation, loss", [("tanh", "mse"), ("sigmoid", "bce"), ("relu", "ce")])
def test_grad_numeric_route_for_large_networks_agrees_with_the_symbolic_route(monkeypatch, activation, loss):
    from symcheck.symbolic import gradient

    spec = MLP.parse("3,4,3,2", activation, loss)
    point = _point(spec)
    symbolic = gradient.evaluate_gradient(spec, point)
    monkeypatch.setattr(gradient, "SYMBOLIC_MAX_PARAMETERS", 0)
    numeric = gradient.evaluate_gradient(spec, point)
    assert "not derived entry by entry" in numeric.cross_check.method and numeric.cross_check.passed
    assert numeric.loss == pytest.approx(symbolic.loss, rel=1e-12)
    for name in spec.parameter_names:
        np.testing.assert_allclose(numeric.gradients[name], symbolic.gradients[name], rtol=1e-10, atol=1e-14)


def test_grad_numeric_route_fails_its_cross_check_when_the_routes_disagree(monkeypatch):
    from symcheck.symbolic import gradient
    from symcheck.oracle import replay

    spec = MLP.parse("3,4,3,2", "tanh", "mse")
    monkeypatch.setattr(gradient, "SYMBOLIC_MAX_PARAMETERS", 0)
    honest = replay.gradients

    def planted(spec, params, x, y, d):
        result = dict(honest(spec, params, x, y, d))
        result["W2"] = tuple(tuple(v * (1 + 1e-6) for v in row) for row in result["W2"])
        return result

    monkeypatch.setattr(replay, "gradients", planted)
    assert not gradient.evaluate_gradient(spec, _point(spec)).cross_check.passed


def test_smooth_activations_at_a_float_are_floats_at_its_precision():
    """At a concrete point (80-digit Floats) sigmoid, gelu and their derivatives are numbers, not
    nested unevaluated calls that every later assumption query re-evaluates."""
    from symcheck.model.activations import get_activation

    x = sp.Float("0.37", 80)
    for name in ("sigmoid", "gelu"):
        activation = get_activation(name)
        t = sp.Symbol("t")
        for value, exact in ((activation.symbolic(x), activation.symbolic(t)),
                             (activation.derivative(x), activation.derivative(t))):
            assert value.is_Float and value._prec == x._prec
            expected = sp.N(exact.subs(t, sp.Rational(37, 100)).rewrite(sp.exp), 80)
            assert abs(value - expected) < sp.Float("1e-70")
    assert get_activation("sigmoid").symbolic(sp.Rational(1, 3)).func.__name__ == "sigmoid"  # stays readable


def test_gauss_seidel_on_a_wide_gelu_network_is_refuted_with_a_confirmed_counterexample():
    from symcheck.induction.symmetry import prove_symmetry

    proof = prove_symmetry(MLP.parse("3,4,4,4,2", "gelu", "ce"), "constant", optimizer="gauss_seidel")
    assert proof.verdict == "refuted" and proof.counterexample is not None
    assert proof.counterexample.rechecked
