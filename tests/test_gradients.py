"""Backpropagation against central finite differences (eps = 1e-5, float64)."""

import numpy as np
import pytest

from mlp import Network, gradient_check
from mlp.activations import ACTIVATIONS
from mlp.losses import get_loss
from mlp.workspace import Workspace

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
    for p, q in zip(before, net.parameters(), strict=True):
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


def _fast_gradients(net, x, y, loss, l2=0.0):
    """The training loop's backprop (mlp.workspace), on validated inputs."""
    ws = Workspace(net, len(x))
    with np.errstate(over="ignore"):
        ws.backprop(net.prepare_inputs(x), y, get_loss(loss, net.activations[-1]), l2)
    return ws.grad_w, ws.grad_b


@pytest.mark.parametrize("l2", [0.0, 0.05])
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("output,loss", OUTPUT_LOSS + [("sigmoid", "published_mse")])
def test_fast_path_matches_the_readable_backprop(hidden, output, loss, l2, rng):
    """Training's preallocated backprop gives the readable one's numbers, to 1e-12."""
    x, y = rng.normal(size=(9, 5)), _targets(rng, 9, 4)
    net = Network((5, 7, 6, 4), (hidden, hidden, output), seed=3, input_scale=0.5)
    readable = net.gradients(x, y, loss, l2=l2)
    fast = _fast_gradients(net, x, y, loss, l2)
    for p, q in zip(readable[0] + readable[1], fast[0] + fast[1], strict=True):
        np.testing.assert_allclose(q, p, rtol=1e-12, atol=1e-12)


def test_readable_backprop_is_the_posts_equations_for_one_layer(rng):
    """By hand for a 3-2 sigmoid network with MSE: delta = (a - y) sigmoid'(z), dJ/dw = x.T delta / n."""
    x, y = rng.normal(size=(4, 3)), _targets(rng, 4, 2)
    net = Network((3, 2), ("sigmoid",), seed=1)
    a = 1 / (1 + np.exp(-(x @ net.weights[0] + net.biases[0])))
    delta = (a - y) * a * (1 - a)
    grad_w, grad_b = net.gradients(x, y, "mse")
    np.testing.assert_allclose(grad_w[0], x.T @ delta / 4, rtol=1e-12)
    np.testing.assert_allclose(grad_b[0], delta.mean(axis=0), rtol=1e-12)


def test_the_no_blas_einsum_path_gives_the_same_gradients(rng, monkeypatch):
    """In Pyodide (no BLAS) large products go through np.einsum: same numbers, other kernels."""
    import mlp.matmul

    x, y = rng.normal(size=(64, 64)), _targets(rng, 64, 10)
    net = Network((64, 256, 10), ("relu", "softmax"), seed=0)
    reference = _fast_gradients(net, x, y, "cross_entropy")
    monkeypatch.setattr(mlp.matmul, "NO_BLAS", True)
    einsum = _fast_gradients(net, x, y, "cross_entropy")
    for p, q in zip(reference[0] + reference[1], einsum[0] + einsum[1], strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)


def test_softmax_is_refused_in_a_hidden_layer():
    with pytest.raises(ValueError, match="softmax is for the output layer only"):
        Network((4, 5, 3), ("softmax", "softmax"))
