"""The catalogue against PyTorch's and Keras's formulas.

Neither library is a dependency: the reference functions below are written
from their documentation and source (torch.nn.init, keras.initializers),
operation for operation, so equality is asserted bit for bit (``==``); the
documentation's closed forms (e.g. sqrt(6/(fan_in + fan_out))) are checked to
1e-15 relative, since they round differently.
"""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symcheck.initialization import initializers as ini
from symcheck.errors import DerivationError, InvalidSpec
from symcheck.initialization.inits import Init
from symcheck.induction.symmetry import prove_symmetry
from symcheck.model.spec import MLP
from symcheck.render.sentence_text import sentence_text

KERAS_TRUNCATION = 0.87962566103423978  # keras VarianceScaling's literal


# --- references, written from the libraries --------------------------------------------------


def torch_fans(shape):
    receptive = math.prod(shape[2:]) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def keras_fans(shape):
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


def torch_gain(nonlinearity, param=None):
    if nonlinearity in ("linear", "conv1d", "conv2d", "conv3d", "sigmoid"):
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(nonlinearity)


def torch_xavier(shape, gain=1.0):
    fan_in, fan_out = torch_fans(shape)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return std, math.sqrt(3.0) * std


def torch_kaiming(shape, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    fan_in, fan_out = torch_fans(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    std = torch_gain(nonlinearity, a) / math.sqrt(fan)
    return std, math.sqrt(3.0) * std


def keras_variance_scaling(shape, scale=1.0, mode="fan_in", distribution="truncated_normal"):
    """Returns (std of the law, bound, stddev passed to the sampler)."""
    fan_in, fan_out = keras_fans(shape)
    if mode == "fan_in":
        scale /= max(1.0, fan_in)
    elif mode == "fan_out":
        scale /= max(1.0, fan_out)
    else:
        scale /= max(1.0, (fan_in + fan_out) / 2.0)
    if distribution == "truncated_normal":
        stddev = math.sqrt(scale) / KERAS_TRUNCATION
        return math.sqrt(scale), 2 * stddev, stddev
    if distribution == "untruncated_normal":
        return math.sqrt(scale), None, math.sqrt(scale)
    limit = math.sqrt(3.0 * scale)
    return math.sqrt(scale), limit, limit


KERAS_CLASSES = {  # name -> (scale, mode, distribution) as in keras/src/initializers
    "lecun_normal": (1.0, "fan_in", "truncated_normal"),
    "lecun_uniform": (1.0, "fan_in", "uniform"),
    "glorot_normal": (1.0, "fan_avg", "truncated_normal"),
    "glorot_uniform": (1.0, "fan_avg", "uniform"),
    "he_normal": (2.0, "fan_in", "truncated_normal"),
    "he_uniform": (2.0, "fan_in", "uniform"),
}

dims = st.integers(1, 9)
torch_shapes = st.lists(dims, min_size=2, max_size=5).map(tuple)
keras_shapes = st.lists(dims, min_size=0, max_size=5).map(tuple)
SHAPES = [(5, 3), (3, 5), (1, 1), (256, 256), (10, 784), (32, 16, 3, 3), (64, 3, 7, 7),
          (8, 4, 5), (16, 8, 3, 3, 3), (1000, 1)]


# --- fans ------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape, expected", [
    ((5, 3), (3, 5)),  # torch Linear(3, 5).weight is (out, in)
    ((32, 16, 3, 3), (144, 288)),  # Conv2d(16, 32, 3)
    ((8, 4, 5), (20, 40)),
])
def test_torch_fans(shape, expected):
    assert ini.compute_fans(shape, "torch") == expected


@pytest.mark.parametrize("shape, expected", [
    ((3, 5), (3, 5)),  # Dense(5) on 3 inputs: kernel (in, out)
    ((3, 3, 16, 32), (144, 288)),  # Conv2D(32, 3) on 16 channels
    ((7,), (7, 7)),
    ((), (1, 1)),
])
def test_keras_fans(shape, expected):
    assert ini.compute_fans(shape, "keras") == expected


@given(torch_shapes)
def test_layouts_agree_on_the_same_kernel(shape):
    """(out, in, *k) under torch and (*k, in, out) under keras are the same kernel."""
    out, inp, *kernel = shape
    assert ini.compute_fans(shape, "torch") == torch_fans(shape)
    assert ini.compute_fans((*kernel, inp, out), "keras") == torch_fans(shape)


@given(keras_shapes)
def test_keras_fans_property(shape):
    assert ini.compute_fans(shape, "keras") == keras_fans(shape)


def test_torch_needs_two_dimensions():
    with pytest.raises(InvalidSpec, match="2 or more dimensions"):
        ini.compute_fans((7,), "torch")


# --- gains -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, param", [
    ("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
    ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None),
])
def test_calculate_gain_matches_torch(name, param):
    assert ini.calculate_gain(name, param) == torch_gain(name, param)


def test_gain_table_from_the_documentation():
    assert ini.calculate_gain("tanh") == pytest.approx(5 / 3, rel=1e-15)
    assert ini.calculate_gain("relu") == pytest.approx(2**0.5, rel=1e-15)
    assert ini.calculate_gain("selu") == 0.75
    assert ini.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)), rel=1e-15)


def test_unknown_nonlinearity():
    with pytest.raises(InvalidSpec, match="did you mean 'tanh'"):
        ini.calculate_gain("tahn")


# --- PyTorch schemes, bit for bit --------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("gain", [1.0, 5.0 / 3, math.sqrt(2.0), 0.5])
def test_torch_xavier(shape, gain):
    std, bound = torch_xavier(shape, gain)
    uniform = ini.make_initializer("xavier_uniform", shape, "torch", gain=gain)
    normal = ini.make_initializer("xavier_normal", shape, "torch", gain=gain)
    assert (uniform.std, uniform.bound, uniform.distribution) == (std, bound, "uniform")
    assert (normal.std, normal.bound, normal.distribution) == (std, None, "normal")
    fan_in, fan_out = torch_fans(shape)
    assert uniform.bound == pytest.approx(gain * math.sqrt(6 / (fan_in + fan_out)), rel=1e-15)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_torch_kaiming(shape, mode):
    std, bound = torch_kaiming(shape, mode=mode)  # default: leaky_relu with a = 0, gain sqrt(2)
    uniform = ini.make_initializer("kaiming_uniform", shape, "torch", mode=mode)
    normal = ini.make_initializer("kaiming_normal_", shape, "torch", mode=mode)
    assert (uniform.std, uniform.bound) == (std, bound)
    assert (normal.std, normal.bound, normal.distribution) == (std, None, "normal")
    fan = torch_fans(shape)[0 if mode == "fan_in" else 1]
    assert uniform.bound == pytest.approx(math.sqrt(6 / fan), rel=1e-15)  # doc: sqrt(6/((1+a^2) fan))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("nonlinearity, a", [("relu", 0), ("tanh", 0), ("leaky_relu", 0.2),
                                             ("leaky_relu", math.sqrt(5)), ("linear", 0)])
def test_torch_kaiming_with_gains(shape, nonlinearity, a):
    std, bound = torch_kaiming(shape, a=a, nonlinearity=nonlinearity)
    gain = ini.calculate_gain(nonlinearity, a if nonlinearity == "leaky_relu" else None)
    init = ini.make_initializer("he_uniform", shape, "torch", gain=gain)
    assert (init.std, init.bound) == (std, bound)


def test_torch_linear_default_is_uniform_one_over_sqrt_fan_in():
    """nn.Linear(3, 5): kaiming_uniform_(a=sqrt(5)) is U(-1/sqrt(3), 1/sqrt(3)) (torch docs)."""
    init = ini.make_initializer("kaiming_uniform", (5, 3), "torch",
                                gain=ini.calculate_gain("leaky_relu", math.sqrt(5)))
    assert init.bound == pytest.approx(1 / math.sqrt(3), rel=1e-15)


@pytest.mark.parametrize("shape", SHAPES)
def test_torch_lecun_is_kaiming_linear(shape):
    std, bound = torch_kaiming(shape, nonlinearity="linear")
    assert ini.make_initializer("lecun_normal", shape, "torch").std == std
    assert ini.make_initializer("lecun_uniform", shape, "torch").bound == bound


@pytest.mark.parametrize("shape", SHAPES)
def test_torch_truncated_variance_scaling_is_corrected(shape):
    std, _ = torch_kaiming(shape)
    init = ini.make_initializer("he_truncated_normal", shape, "torch")
    assert init.std == std
    assert init.parent_std == std / KERAS_TRUNCATION
    assert init.bound == 2.0 * std / KERAS_TRUNCATION


def test_torch_plain_defaults():
    normal = ini.make_initializer("normal", (4, 4), "torch")
    uniform = ini.make_initializer("uniform", (4, 4), "torch")
    trunc = ini.make_initializer("trunc_normal_", (4, 4), "torch")
    assert (normal.mean, normal.std) == (0.0, 1.0)
    assert (uniform.low, uniform.high, uniform.mean) == (0.0, 1.0, 0.5)
    assert uniform.std == pytest.approx(1 / math.sqrt(12), rel=1e-15)
    # trunc_normal_(std=1, a=-2, b=2): cut at 2 of its own stds
    assert (trunc.parent_std, trunc.bound) == (1.0, 2.0)
    assert trunc.std == pytest.approx(KERAS_TRUNCATION, rel=1e-15)


def test_torch_trunc_normal_bounds_are_absolute():
    """std=0.02 with the default a=-2, b=2 cuts at 100 std: practically no truncation."""
    init = ini.make_initializer("truncated_normal", (4, 4), "torch", std=0.02)
    assert init.bound == 2.0
    assert init.std == pytest.approx(0.02, rel=1e-12)
    tight = ini.make_initializer("truncated_normal", (4, 4), "torch", std=0.02, cut=0.04)
    assert tight.std == pytest.approx(0.02 * KERAS_TRUNCATION, rel=1e-14)


# --- Keras schemes, bit for bit ----------------------------------------------------------------


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (784, 10), (3, 3, 16, 32), (7, 7, 3, 64), (5, 4, 8),
                                   (3, 3, 3, 8, 16), (7,), (), (1, 1)])
@pytest.mark.parametrize("name", sorted(KERAS_CLASSES))
def test_keras_named_initializers(shape, name):
    scale, mode, distribution = KERAS_CLASSES[name]
    std, bound, _ = keras_variance_scaling(shape, scale, mode, distribution)
    init = ini.make_initializer(name, shape, "keras")
    assert (init.std, init.bound, init.distribution) == (std, bound, distribution)


def test_keras_normal_means_truncated():
    for name in ("he_normal", "HeNormal", "lecun_normal", "glorot_normal", "xavier_normal", "kaiming_normal"):
        assert ini.make_initializer(name, (3, 5), "keras").distribution == "truncated_normal"
    for name in ("he_normal", "xavier_normal", "lecun_normal"):
        assert ini.make_initializer(name, (5, 3), "torch").distribution == "normal"


def test_keras_documented_limits():
    fan_in, fan_out = 144, 288
    shape = (3, 3, 16, 32)
    assert ini.make_initializer("he_uniform", shape, "keras").bound == pytest.approx(math.sqrt(6 / fan_in), rel=1e-15)
    assert ini.make_initializer("lecun_uniform", shape, "keras").bound == pytest.approx(math.sqrt(3 / fan_in), rel=1e-15)
    assert ini.make_initializer("glorot_uniform", shape, "keras").bound == pytest.approx(
        math.sqrt(6 / (fan_in + fan_out)), rel=1e-15)
    he = ini.make_initializer("he_normal", shape, "keras")
    assert he.std == pytest.approx(math.sqrt(2 / fan_in), rel=1e-15)
    assert he.parent_std == math.sqrt(2.0 / fan_in) / KERAS_TRUNCATION


@settings(max_examples=60)
@given(keras_shapes, st.sampled_from([0.1, 1.0, 2.0, 3.5]), st.sampled_from(["fan_in", "fan_out", "fan_avg"]),
       st.sampled_from(["truncated_normal", "untruncated_normal", "uniform", "normal"]))
def test_keras_variance_scaling(shape, scale, mode, distribution):
    expected_distribution = "truncated_normal" if distribution == "normal" else distribution
    std, bound, _ = keras_variance_scaling(shape, scale, mode, expected_distribution)
    init = ini.make_initializer("VarianceScaling", shape, "keras", scale=scale, mode=mode,
                                distribution=distribution)
    assert (init.std, init.bound) == (std, bound)


def test_keras_plain_defaults():
    assert ini.make_initializer("random_normal", (2, 2), "keras").std == 0.05
    uniform = ini.make_initializer("RandomUniform", (2, 2), "keras")
    assert (uniform.low, uniform.high) == (-0.05, 0.05)
    trunc = ini.make_initializer("TruncatedNormal", (2, 2), "keras")
    assert (trunc.parent_std, trunc.bound) == (0.05, 0.1)
    assert trunc.std == 0.05 * KERAS_TRUNCATION


def test_the_two_libraries_round_differently():
    """sqrt(1/3): Keras computes sqrt(1.0/3), PyTorch 1/sqrt(3); one ulp apart."""
    torch = ini.make_initializer("lecun_normal", (5, 3), "torch").std
    keras = ini.make_initializer("variance_scaling", (3, 5), "keras", distribution="untruncated_normal").std
    assert torch == 1 / math.sqrt(3) and keras == math.sqrt(1.0 / 3)
    assert torch != keras and abs(torch - keras) <= 2 * math.ulp(torch)


# --- derived, not typed in -------------------------------------------------------------------


@pytest.mark.parametrize("name, convention, rule", [
    ("lecun_normal", "keras", lambda fi, fo: 1 / fi),
    ("he_uniform", "keras", lambda fi, fo: 2 / fi),
    ("glorot_uniform", "keras", lambda fi, fo: 2 / (fi + fo)),
    ("he_normal", "torch", lambda fi, fo: 2 / fi),
    ("xavier_uniform", "torch", lambda fi, fo: 2 / (fi + fo)),
    ("lecun_truncated_normal", "torch", lambda fi, fo: 1 / fi),
])
@pytest.mark.parametrize("shape", [(5, 3), (32, 16, 3, 3), (7, 11)])
def test_rule_is_the_derived_variance_and_matches_std(name, convention, rule, shape):
    init = ini.make_initializer(name, shape, convention)
    from symcheck.initialization import variance

    values = {variance.fan_in: init.fan_in, variance.fan_out: init.fan_out, ini.GAIN: 1}
    if name.startswith("he") and convention == "torch":
        values[ini.GAIN] = sp.sqrt(2)
    exact = init.rule.subs(values)
    assert exact == sp.nsimplify(rule(sp.Integer(init.fan_in), sp.Integer(init.fan_out)))
    assert init.std**2 == pytest.approx(float(exact), rel=1e-14)


def test_factors_come_from_the_derivations():
    from symcheck.initialization import variance

    rules = variance.derived_rules()
    assert (rules.lecun_scale, rules.he_scale, rules.xavier_scale) == (1, 2, 1)
    assert rules.uniform_factor == sp.sqrt(3) and float(rules.uniform_factor) == math.sqrt(3.0)
    assert ini.truncation_std() == KERAS_TRUNCATION
    assert float(rules.leaky_relu_gain.subs(variance.slope, 0)) == ini.calculate_gain("relu")
    for a in (0.01, 0.2, math.sqrt(5)):
        assert float(rules.leaky_relu_gain.subs(variance.slope, a)) == pytest.approx(
            ini.calculate_gain("leaky_relu", a), rel=1e-15)


def test_a_typed_gain_that_is_not_the_derived_one_is_caught(monkeypatch):
    import dataclasses

    from symcheck.initialization import variance

    wrong = dataclasses.replace(variance.derived_rules(), leaky_relu_gain=sp.sqrt(2 / (1 + 2 * variance.slope**2)))
    monkeypatch.setattr(variance, "derived_rules", lambda: wrong)
    ini._factors.cache_clear()
    try:
        with pytest.raises(DerivationError, match="calculate_gain"):
            ini._factors()
    finally:
        ini._factors.cache_clear()


# --- sampling: statistics with tolerances from the sample size ---------------------------------
# For N i.i.d. draws, the sample mean has standard error std/sqrt(N) and the sample standard
# deviation has relative standard error sqrt((kurtosis - 1)/(4N)) <= sqrt(2/(4N)) for the laws here
# (kurtosis 3 normal, 1.8 uniform, < 3 truncated normal). Tolerances are 5 standard errors: with
# fixed seeds the tests are deterministic, and a correct sampler would fail one with p < 1e-6.

STAT_SHAPE = (300, 200)
N = math.prod(STAT_SHAPE)


@pytest.mark.parametrize("name, convention", [
    ("normal", "torch"), ("uniform", "torch"), ("truncated_normal", "torch"), ("small_random", "torch"),
    ("xavier_uniform", "torch"), ("xavier_normal", "torch"), ("he_truncated_normal", "torch"),
    ("glorot_uniform", "keras"), ("he_normal", "keras"), ("lecun_normal", "keras"),
    ("truncated_normal", "keras"), ("variance_scaling", "keras"), ("orthogonal", "torch"),
])
def test_sample_moments(name, convention):
    init = ini.make_initializer(name, STAT_SHAPE, convention)
    sample = init.sample(np.random.default_rng(1234))
    assert sample.shape == STAT_SHAPE
    if init.bound is not None:
        assert np.abs(sample).max() <= init.bound
    assert abs(sample.mean() - init.mean) <= 5 * init.std / math.sqrt(N)
    assert abs(sample.std() / init.std - 1) <= 5 * math.sqrt(2 / (4 * N))


def test_truncated_sample_uses_its_range():
    init = ini.make_initializer("he_normal", STAT_SHAPE, "keras")
    sample = init.sample(np.random.default_rng(5))
    # P(|X| > 1.9 sigma_parent | |X| <= 2 sigma_parent) ~ 1.4%: the cut is near, not far
    assert np.mean(np.abs(sample) > 0.95 * init.bound) > 0.005


@pytest.mark.parametrize("shape, convention", [((4, 9), "torch"), ((9, 4), "torch"), ((6, 2, 3), "torch"),
                                               ((3, 3, 4, 8), "keras"), ((8, 3), "keras")])
def test_orthogonal(shape, convention):
    init = ini.make_initializer("orthogonal", shape, convention, gain=1.5)
    w = init.sample(np.random.default_rng(0))
    rows, cols = (shape[0], math.prod(shape[1:])) if convention == "torch" else (math.prod(shape[:-1]), shape[-1])
    m = w.reshape(rows, cols)
    gram = m @ m.T if rows <= cols else m.T @ m
    np.testing.assert_allclose(gram, 1.5**2 * np.eye(min(rows, cols)), atol=1e-12)
    assert math.sqrt(np.mean(w**2)) == pytest.approx(init.std, rel=1e-12)


def test_same_seed_same_sample():
    init = ini.make_initializer("xavier_uniform", (6, 4))
    a = init.sample(np.random.default_rng(3))
    b = init.sample(np.random.default_rng(3))
    assert np.array_equal(a, b)


# --- names and bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("alias, name", [
    ("GlorotUniform", "xavier_uniform"), ("xavier_uniform_", "xavier_uniform"), ("kaiming-normal", "he_normal"),
    ("HeTruncatedNormal", "he_truncated_normal"), ("trunc_normal_", "truncated_normal"),
    ("RandomNormal", "normal"), ("VarianceScaling", "variance_scaling"), ("Orthogonal", "orthogonal"),
])
def test_aliases(alias, name):
    assert ini.canonical_name(alias) == name


@pytest.mark.parametrize("call, message", [
    (lambda: ini.make_initializer("xavier_unifrom", (5, 3)), "did you mean 'xavier_uniform'"),
    (lambda: ini.make_initializer("he_normal", (5, 3), "keras", gain=2.0), "not a parameter of he_normal"),
    (lambda: ini.make_initializer("he_normal", (5, 3), "tensorflow"), "convention"),
    (lambda: ini.make_initializer("he_normal", (5, 0)), "positive integer"),
    (lambda: ini.make_initializer("he_normal", (5,), "torch"), "2 or more dimensions"),
    (lambda: ini.make_initializer("he_normal", (5, 3), mode="fan_avg"), "mode"),
    (lambda: ini.make_initializer("normal", (5, 3), std=-1), "must be positive"),
    (lambda: ini.make_initializer("normal", (5, 3), std=float("nan")), "not finite"),
    (lambda: ini.make_initializer("uniform", (5, 3), low=1, high=0), "low < high"),
    (lambda: ini.make_initializer("variance_scaling", (5, 3), distribution="gauss"), "distribution"),
    (lambda: ini.make_initializer("orthogonal", (5,), "keras"), "at least 2"),
    (lambda: ini.parse_shape("5,x"), "entry 1"),
])
def test_bad_input_is_one_line(call, message):
    with pytest.raises(InvalidSpec, match=message) as error:
        call()
    assert "\n" not in str(error.value)


# --- catalogue schemes as proof inits --------------------------------------------------------


def test_catalogue_init_values_are_exact_and_in_range():
    spec = MLP.parse("3,4,2", "tanh", "mse")
    values = Init("xavier_uniform", seed=2).values(spec)
    bound = ini.make_initializer("xavier_uniform", spec.weight_shape(1)).bound
    for row in values["W1"]:
        for entry in row:
            assert isinstance(entry, sp.Rational) and ini.EXACT_DENOMINATOR % entry.q == 0
            assert abs(entry) <= bound + sp.Rational(1, 2 * ini.EXACT_DENOMINATOR)
    assert all(entry == 0 for entry in values["b1"])
    assert values == Init("xavier_uniform", seed=2).values(spec)


def test_random_schemes_break_the_symmetry_at_step_zero():
    spec = MLP.parse("2,3,1", "tanh", "mse")
    for name in ("xavier_uniform", "he_normal", "small_random", "orthogonal", "GlorotNormal"):
        proof = prove_symmetry(spec, Init(name, seed=1))
        assert proof.verdict == "refuted"
        assert proof.counterexample.stage == "base" and proof.counterexample.rechecked
        assert any("step 0 with probability 1" in note for note in map(sentence_text, proof.notes))


def test_constant_starts_cannot_break_it():
    spec = MLP.parse("2,3,1", "tanh", "mse")
    for name in ("zeros", "constant"):
        proof = prove_symmetry(spec, Init(name))
        assert proof.verdict == "proved"
        assert any("no number of gradient steps breaks the symmetry" in note for note in map(sentence_text, proof.notes))


def test_unknown_init_lists_catalogue_names():
    with pytest.raises(InvalidSpec, match="did you mean 'he_uniform'"):
        Init("he_unifrom")


def test_symmetry_notes_per_kind_of_initialization():
    assert "no number of gradient steps" in Init("zeros").symmetry_notes("proved", False, False)[0]
    assert Init("constant").symmetry_notes("refuted", False, False) == ()
    assert "199 values k/100" in Init("random").symmetry_notes("refuted", True, False)[0]
    assert "happen to satisfy" in Init("random").symmetry_notes("proved", False, False)[0]
    assert "continuous law" in Init("xavier_uniform").symmetry_notes("refuted", True, False)[0]
    assert Init("random").symmetry_notes("refuted", True, True) == ()
