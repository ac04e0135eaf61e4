import pytest

from symcheck import MLP, InvalidSpec
from symcheck.model.spec import parse_widths


def test_parse_and_properties():
    spec = MLP.parse("3,4,5,2", "relu", "ce")
    assert spec.widths == (3, 4, 5, 2)
    assert spec.depth == 2 and spec.hidden_widths == (4, 5)
    assert spec.parameter_names == ("W1", "b1", "W2", "b2", "W3", "b3")
    assert spec.weight_shape(1) == (4, 3) and spec.weight_shape(3) == (2, 5)
    assert spec.parameter_count == 4 * 3 + 4 + 5 * 4 + 5 + 2 * 5 + 2


def test_logistic_regression_has_no_hidden_layer():
    spec = MLP.parse("3,1", "sigmoid", "bce")
    assert spec.depth == 0 and spec.parameter_names == ("W1", "b1")


@pytest.mark.parametrize(
    "widths, activation, loss, fragment",
    [
        ("2,x,1", "tanh", "mse", "entry 1 is 'x'"),
        ("2,1.5,1", "tanh", "mse", "entry 1 is '1.5'"),
        ("2,0,1", "tanh", "mse", "entry 1 is 0"),
        ("2,-3,1", "tanh", "mse", "entry 1 is -3"),
        ("4", "tanh", "mse", "at least two widths"),
        ("", "tanh", "mse", "widths: empty"),
        ("2,,1", "tanh", "mse", "entry 1 is ''"),
        ("2,99999,1", "tanh", "mse", "above 4096"),
        ("2,2,1", "tahn", "mse", "did you mean 'tanh'"),
        ("2,2,1", "Relu", "mse", "did you mean 'relu'"),
        ("2,2,1", "tanh", "mes", "did you mean 'mse'"),
        ("2,2,1", "tanh", "ce", "ce needs an output width of at least 2"),
    ],
)
def test_bad_specs_name_the_field(widths, activation, loss, fragment):
    with pytest.raises(InvalidSpec) as error:
        MLP.parse(widths, activation, loss)
    message = str(error.value)
    assert fragment in message
    assert "\n" not in message


def test_widths_must_be_integers_in_the_api():
    with pytest.raises(InvalidSpec, match="entry 0 is True"):
        MLP((True, 2), "tanh", "mse")
    with pytest.raises(InvalidSpec, match="tuple"):
        MLP([2, 2], "tanh", "mse")


def test_parse_widths_accepts_spaces():
    assert parse_widths(" 2, 3 ,1") == (2, 3, 1)
