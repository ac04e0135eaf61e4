"""Twin classes, effective width and the tied subspace of a partition."""

from __future__ import annotations

import sympy as sp

from symcheck import MLP
from symcheck.initialization.patterns import parse_init
from symcheck.induction.subspace import tie_subspace
from symcheck.induction.twins import full_partition, twin_classes


def classes(widths, init, seed=0, activation="tanh"):
    spec = MLP.parse(widths, activation, "mse")
    return twin_classes(spec, parse_init(init, seed).values(spec))


def test_constant_init_ties_every_layer():
    p = classes("3,5,4,2", "W=1/2,b=0")
    assert p.layers == (((0, 1, 2, 3, 4),), ((0, 1, 2, 3),))
    assert p.effective_widths == (1, 1)


def test_random_weights_separate_every_unit():
    p = classes("3,5,4,2", "W=random,b=0")
    assert p.effective_widths == (5, 4) and p.is_trivial


def test_random_biases_separate_units_even_with_zero_weights():
    assert classes("2,2,1", "W=0,b=random", seed=1).effective_widths == (2,)


def test_random_first_layer_separates_layer_one_and_leaves_layer_two_tied():
    p = classes("2,3,3,1", "W1=random,W2=0,W3=0,b=0")
    assert p.effective_widths == (3, 1)


def test_file_values_give_mixed_classes(tmp_path):
    path = tmp_path / "init.json"
    path.write_text('{"W1": [[1, 2], [1, 2], [3, 4]], "b1": [0, 0, 0], "W2": [[5, 5, 6]], "b2": [0]}')
    spec = MLP.parse("2,3,1", "tanh", "mse")
    p = twin_classes(spec, parse_init(str(path)).values(spec))
    assert p.layers == (((0, 1), (2,)),)


def test_outgoing_columns_matter():
    spec = MLP.parse("2,2,1", "tanh", "mse")
    values = parse_init("W=1,b=0").values(spec)
    values["W2"] = ((sp.Integer(1), sp.Integer(2)),)
    assert twin_classes(spec, values).effective_widths == (2,)


def test_tie_subspace_is_block_constant_and_identities_count():
    spec = MLP.parse("3,4,2", "tanh", "mse")
    partition = full_partition(spec)
    subspace = tie_subspace(partition)
    params, symbols = subspace.parameters, subspace.symbols
    assert len({params["W1"][r][c] for r in range(4) for c in range(3)}) == 3
    assert len(symbols) == 3 + 1 + 2 + 2  # W1 per input, b1, W2 per output, b2 per output
    # rows: 3 identities per non-representative unit, bias: 1, columns: 2
    assert len(subspace.identities) == 3 * (3 + 1 + 2)


def test_twin_classes_from_exact_integers_match_the_sympy_route():
    import numpy as np

    from symcheck.functional.equitable import exact_parameters
    from symcheck.model.spec import MLP
    from symcheck.induction.twins import twin_classes

    spec = MLP((2, 4, 3, 1), "tanh", "mse")
    rng = np.random.default_rng(1)
    for _ in range(20):
        values = {name: tuple(map(tuple, a.tolist())) if a.ndim == 2 else tuple(a.tolist())
                  for name in spec.parameter_names
                  for a in [rng.choice([0, 1], size=spec.parameter_shape(name)).astype(int)]}
        assert twin_classes(spec, values, exact_parameters(spec, values)) == twin_classes(spec, values)
