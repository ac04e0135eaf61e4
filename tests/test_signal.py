"""Signal propagation, measured: the behaviour the derivations predict.

Tolerances. With width n, one layer multiplies the mean square of the signal by
||W h||^2 / ||h||^2 = (chi^2_n / n) * (n Var(W)) for one input; averaging over
inputs can only reduce the spread, so the log of the per-layer factor has
standard deviation at most sqrt(2/n), and after L layers at most sqrt(2L/n).
We allow 4 such standard deviations (fixed seeds make the tests deterministic).
"""

import math

import pytest

from symcheck.errors import InvalidSpec
from symcheck.initialization.signal import propagate, signal_report

DEPTH, WIDTH, SAMPLES = 10, 128, 200


def log_tolerance(layers, width=WIDTH):
    return 4 * math.sqrt(2 * layers / width)


def test_lecun_keeps_a_linear_signal():
    run = propagate("lecun_normal", "identity", DEPTH, WIDTH, SAMPLES, seed=3)
    # input variance 1; Var(W) = 1/fan_in preserves it forward ...
    for layer, value in enumerate(run.activation_variance, 1):
        assert abs(math.log(value)) <= log_tolerance(layer)
    # ... and, square layers, backward (output gradient variance 1)
    for layer, value in enumerate(reversed(run.gradient_variance), 1):
        assert abs(math.log(value)) <= log_tolerance(layer)


def test_he_keeps_a_relu_signal():
    run = propagate("he_normal", "relu", DEPTH, WIDTH, SAMPLES, seed=4)
    first = run.activation_variance[0]
    for layer, value in enumerate(run.activation_variance[1:], 1):
        assert abs(math.log(value / first)) <= log_tolerance(layer)
    # Var(h_1) = Var(z_1) (1/2 - 1/(2 pi)) with Var(z_1) = 2 Var(x) = 2
    assert abs(math.log(first / (2 * (0.5 - 1 / (2 * math.pi))))) <= log_tolerance(1)


def test_lecun_shrinks_a_relu_signal_by_half_per_layer():
    run = propagate("lecun_normal", "relu", DEPTH, WIDTH, SAMPLES, seed=5)
    ratio = run.activation_variance[-1] / run.activation_variance[0]
    expected = 0.5 ** (DEPTH - 1)  # kappa_relu = 1/2 not compensated
    assert abs(math.log(ratio / expected)) <= log_tolerance(DEPTH)


def test_small_random_vanishes_with_depth():
    run = propagate("small_random", "tanh", DEPTH, WIDTH, SAMPLES, seed=6)
    per_layer = WIDTH * 0.01**2  # forward recursion in tanh's linear regime
    for layer in range(1, DEPTH):
        factor = run.activation_variance[layer] / run.activation_variance[layer - 1]
        assert abs(math.log(factor / per_layer)) <= log_tolerance(1)
    assert run.activation_variance[-1] < 1e-15
    assert run.gradient_variance[0] < 1e-15 * run.gradient_variance[-1]
    assert max(run.saturation) == 0.0


def test_standard_normal_saturates_tanh():
    run = propagate("normal", "tanh", DEPTH, WIDTH, SAMPLES, seed=7)
    # deep layers: z ~ N(0, WIDTH * E[h^2]); tanh' < 0.01 iff |z| > atanh(sqrt(0.99))
    threshold = math.atanh(math.sqrt(0.99))
    second_moment = run.activation_variance[-2]  # E[h] = 0 by symmetry
    expected = math.erfc(threshold / math.sqrt(2 * WIDTH * second_moment))
    # fraction over SAMPLES * WIDTH units; units of one input are correlated, so use SAMPLES only
    assert abs(run.saturation[-1] - expected) <= 5 * math.sqrt(expected * (1 - expected) / SAMPLES)
    assert run.saturation[-1] > 0.7


def test_xavier_does_not_saturate_tanh():
    run = propagate("xavier_normal", "tanh", DEPTH, WIDTH, SAMPLES, seed=8)
    assert max(run.saturation) < 0.01


def test_report_is_deterministic_and_shares_weights_across_activations():
    a = signal_report(("he_normal", "lecun_uniform"), ("relu", "tanh"), 4, 32, 50, seed=9)
    b = signal_report(("he_normal", "lecun_uniform"), ("relu", "tanh"), 4, 32, 50, seed=9)
    assert a == b
    assert len(a.runs) == 4 and a.run("lecun_uniform", "tanh").depth == 4
    c = signal_report(("he_normal",), ("relu",), 4, 32, 50, seed=10)
    assert c.runs[0] != a.run("he_normal", "relu")
    # every activation of a scheme runs on the scheme's one draw of weights: alone it gives the same run
    for scheme in ("he_normal", "lecun_uniform"):
        for activation in ("relu", "tanh"):
            alone = signal_report((scheme,), (activation,), 4, 32, 50, seed=9)
            assert alone.runs[0] == a.run(scheme, activation)


def test_relu_has_no_saturation_field():
    assert propagate("he_normal", "relu", 2, 8, 10).saturation is None


@pytest.mark.parametrize("kwargs, message", [
    ({"depth": 0}, "depth"), ({"width": 10**6}, "width"), ({"samples": 2.5}, "samples"),
])
def test_bad_sizes(kwargs, message):
    arguments = {"depth": 2, "width": 4, "samples": 4, **kwargs}
    with pytest.raises(InvalidSpec, match=message):
        signal_report(("he_normal",), ("relu",), **arguments)


def test_bad_activation():
    with pytest.raises(InvalidSpec, match="did you mean 'tanh'"):
        signal_report(("he_normal",), ("tahn",), 2, 4, 4)


def test_report_conclusions_follow_the_numbers():
    from symcheck.initialization.signal import conclusion, outcomes, signal_report

    report = signal_report(depth=20, width=256, samples=256)
    verdicts = {a: {o.scheme: o.verdict for o in outcomes(report, a)} for a in ("tanh", "sigmoid", "relu")}
    assert verdicts["relu"]["he_normal"] == "keeps" and verdicts["relu"]["lecun_normal"] == "vanishes"
    assert verdicts["relu"]["normal"] == "explodes" and verdicts["tanh"]["normal"] == "saturates"
    assert "keeps" not in verdicts["sigmoid"].values()
    tanh = conclusion(report, "tanh")
    assert "calculate_gain('tanh') = 5/3" in tanh and "Signal kept by: he_normal" in tanh
    assert "No scheme of this report keeps both passes" in conclusion(report, "sigmoid")
    assert "e+" not in tanh and "e-" not in tanh  # factors written as 10 to a power, not e-notation


def test_report_legend_names_each_scheme_with_its_std():
    from symcheck.render.figures import _scheme_label
    from symcheck.initialization.signal import outcomes, signal_report

    report = signal_report(("small_random", "normal", "xavier_uniform"), ("tanh",), 3, 16, 8)
    labels = [_scheme_label(o) for o in outcomes(report, "tanh")]
    assert labels[:2] == ["small_random (std 0.01)", "normal (std 1)"]
    assert labels[2].startswith("xavier_uniform (std 0.25, bound 0.433")  # sqrt(6/32) = 0.433
