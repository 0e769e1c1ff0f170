"""Bad input is a ValueError that names the problem, raised before any change."""

import numpy as np
import pytest

from mlp import Network


@pytest.fixture
def net():
    return Network((4, 5, 3), ("relu", "softmax"), seed=0)


def _unchanged(net, before):
    return all(np.array_equal(p, q) for p, q in zip(net.parameters(), before, strict=True))


@pytest.mark.parametrize(
    "x, y, match",
    [
        (np.ones((5, 4)), np.zeros(4, int), "different lengths"),
        (np.ones((5, 3)), np.zeros(5, int), "3 features"),
        (np.ones(4), np.zeros(1, int), "2-D"),
        (np.full((5, 4), np.nan), np.zeros(5, int), "NaN"),
        (np.full((5, 4), np.inf), np.zeros(5, int), "NaN or inf"),
        (np.ones((5, 4)), np.array([0, 1, 2, 3, 0]), "label 3"),
        (np.ones((5, 4)), np.array([0, 1, -1, 2, 0]), "label -1"),
        (np.ones((5, 4)), np.array([0, 1, 0.5, 2, 0]), "label 0.5"),
        (np.ones((5, 4)), np.eye(4)[[0, 1, 2, 3, 0]], "width 4"),
        (np.ones((5, 4)), np.array([0, np.nan, 1, 1, 1]), "NaN"),
        ([["a"] * 4] * 5, np.zeros(5, int), "numeric"),
    ],
)
def test_bad_data_in_fit(net, x, y, match):
    before = [p.copy() for p in net.parameters()]
    with pytest.raises(ValueError, match=match):
        net.fit(x, y, loss="cross_entropy", epochs=1, batch_size=2)
    assert _unchanged(net, before)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"learning_rate": 0}, "learning_rate must be > 0, got 0"),
        ({"learning_rate": -1e-3}, "learning_rate"),
        ({"learning_rate": float("nan")}, "learning_rate must be finite"),
        ({"epochs": 0}, "epochs must be >= 1, got 0"),
        ({"batch_size": 0}, "batch_size must be >= 1, got 0"),
        ({"batch_size": 2.5}, "batch_size must be an integer"),
        ({"loss": "hinge"}, "unknown loss 'hinge'"),
        ({"optimizer": "rmsprop"}, "unknown optimizer 'rmsprop'"),
        ({"l2": -1}, "l2"),
    ],
)
def test_bad_settings_in_fit(net, kwargs, match):
    before = [p.copy() for p in net.parameters()]
    args = {"loss": "cross_entropy", "epochs": 1, "batch_size": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        net.fit(np.ones((5, 4)), np.zeros(5, int), **args)
    assert _unchanged(net, before)


@pytest.mark.parametrize(
    "dims, acts, match",
    [
        ((4, 5, 3), ("relu",), "got 1 activations for 3 layers"),
        ((4, 5, 3), ("relu", "swish"), "unknown activation 'swish'"),
        ((4,), (), "input and an output"),
        ((4, 0, 3), ("relu", "softmax"), r"dimensions\[1\] must be >= 1"),
        ((4, 10**6, 3), ("relu", "softmax"), r"dimensions\[1\]"),
    ],
)
def test_bad_architecture(dims, acts, match):
    with pytest.raises(ValueError, match=match):
        Network(dims, acts)


@pytest.mark.parametrize("x", [np.ones((2, 5)), np.array([[np.nan] * 4]), np.ones(4)])
def test_bad_data_in_predict(net, x):
    with pytest.raises(ValueError):
        net.predict(x)
