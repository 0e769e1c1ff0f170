"""Backpropagation against central finite differences (eps = 1e-5, float64)."""

import numpy as np
import pytest

from mlp import Network, gradient_check
from mlp.activations import ACTIVATIONS

HIDDEN = ["relu", "leaky_relu", "sigmoid", "tanh", "identity"]
OUTPUT_LOSS = [
    ("sigmoid", "mse"),
    ("softmax", "cross_entropy"),
    ("sigmoid", "binary_cross_entropy"),
    ("softmax", "mse"),
    ("identity", "mse"),
    ("tanh", "mse"),
]


def _targets(rng, n, k):
    return np.eye(k)[rng.integers(0, k, n)]


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output,loss", OUTPUT_LOSS)
def test_backprop_matches_finite_differences(hidden, output, loss, rng):
    x = rng.normal(size=(9, 5))
    y = _targets(rng, 9, 4)
    net = Network((5, 7, 6, 4), (hidden, hidden, output), seed=3)
    for layer in gradient_check(net, x, y, loss):
        assert layer["weights"] < 1e-6, layer
        assert layer["biases"] < 1e-6, layer


def test_l2_gradient_matches_finite_differences(rng):
    x, y = rng.normal(size=(6, 4)), _targets(rng, 6, 3)
    net = Network((4, 5, 3), ("tanh", "softmax"), seed=0)
    for layer in gradient_check(net, x, y, "cross_entropy", l2=0.3):
        assert max(layer["weights"], layer["biases"]) < 1e-6


def test_gradient_check_leaves_network_unchanged(rng):
    net = Network((4, 5, 3), ("relu", "softmax"), seed=0)
    before = [p.copy() for p in net.parameters()]
    gradient_check(net, rng.normal(size=(3, 4)), [0, 1, 2], "cross_entropy")
    for p, q in zip(before, net.parameters()):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_prime_matches_finite_differences(name, rng):
    f = ACTIVATIONS[name]
    z = rng.normal(size=(4, 5)) * 3
    z[np.abs(z) < 1e-3] = 0.5  # keep away from ReLU's kink
    eps = 1e-6
    if name == "softmax":
        jac = f.prime(z)
        for j in range(z.shape[1]):
            dz = np.zeros_like(z)
            dz[:, j] = eps
            numeric = (f.activation(z + dz) - f.activation(z - dz)) / (2 * eps)
            np.testing.assert_allclose(jac[:, :, j], numeric, atol=1e-8)
    else:
        numeric = (f.activation(z + eps) - f.activation(z - eps)) / (2 * eps)
        np.testing.assert_allclose(f.prime(z), numeric, atol=1e-8)


def test_sigmoid_is_finite_for_huge_inputs():
    from mlp import Sigmoid

    with np.errstate(over="ignore"):
        a = Sigmoid.activation(np.array([[-1000.0, 0.0, 1000.0]]))
    np.testing.assert_array_equal(a, [[0.0, 0.5, 1.0]])


def test_the_no_blas_einsum_path_gives_the_same_gradients(rng, monkeypatch):
    """In Pyodide (no BLAS) large products go through np.einsum: same numbers, other kernels."""
    import mlp.network as network_module

    x, y = rng.normal(size=(64, 64)), _targets(rng, 64, 10)
    net = Network((64, 256, 10), ("relu", "softmax"), seed=0)
    reference = net.gradients(x, y, "cross_entropy")
    monkeypatch.setattr(network_module, "NO_BLAS", True)
    einsum = net.gradients(x, y, "cross_entropy")
    for p, q in zip(reference[0] + reference[1], einsum[0] + einsum[1]):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)
    for layer in gradient_check(net, x[:4], y[:4], "cross_entropy", max_entries=50):
        assert max(layer["weights"], layer["biases"]) < 1e-6
