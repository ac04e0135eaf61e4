"""Every activation and loss a command accepts works there: a verdict or one line and exit 2,
never a traceback (the uninterpreted f is refused where numbers are computed)."""

import json

import pytest

from symcheck.model.activations import ACTIVATIONS
from symcheck.cli import main
from symcheck.model.losses import LOSSES

ACTIVATION_NAMES = sorted(name for name in ACTIVATIONS)  # the built-in ones, at import time
CASES = [(a, loss) for a in ACTIVATION_NAMES for loss in sorted(LOSSES)]
POINT = {"W1": [[0.5, -0.25], [0.5, -0.25]], "b1": [0.1, 0.1], "W2": [[0.3, 0.3], [-0.2, -0.2]],
         "b2": [0, 0.1], "x": [1, 2], "y": [0, 1]}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.mark.parametrize("activation, loss", CASES)
def test_prove_analyze_and_trace_take_every_activation_and_loss(capsys, activation, loss):
    network = ("--widths", "2,2,2", "--activation", activation, "--loss", loss)
    assert run(capsys, "prove", *network)[0] == 0
    assert run(capsys, "analyze", *network)[0] == 0
    assert run(capsys, "trace", *network, "--steps", "1")[0] == 0


@pytest.mark.parametrize("activation, loss", CASES)
def test_grad_takes_every_activation_with_values(capsys, tmp_path, activation, loss):
    path = tmp_path / "point.json"
    path.write_text(json.dumps(POINT))
    code, out, err = run(capsys, "grad", "--widths", "2,2,2", "--activation", activation, "--loss", loss,
                         "--point", str(path))
    if activation == "f":
        assert code == 2 and not out and err.count("\n") == 1 and "no numeric values" in err
    else:
        assert code == 0 and json.loads(out)["cross_check"]["passed"]
