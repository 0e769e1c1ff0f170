"""One regression test per defect of the 2017 post's code, and its "as published" mode."""

import numpy as np

from mlp import MSE, Network, PublishedMSE, Relu, Sigmoid, gradient_check
from mlp.workspace import Workspace


def test_defect1_mse_delta_uses_f_prime_of_z(rng):
    """The post applied sigmoid' to a; ours to z. The gradient check tells them apart."""
    x = rng.normal(size=(10, 6))
    y = np.eye(3)[rng.integers(0, 3, 10)]
    net = Network((6, 8, 3), (Relu, Sigmoid), seed=1)
    ours = gradient_check(net, x, y, MSE)
    published = gradient_check(net, x, y, PublishedMSE)
    assert max(max(r["weights"], r["biases"]) for r in ours) < 1e-6
    # The published delta is visibly wrong: percent-level error, not 1e-9.
    assert max(r["weights"] for r in published) > 1e-2


def test_defect1_published_error_on_the_posts_network(digits):
    """On the post's 64-15-10 digits net the wrong delta gives ~7 % relative error."""
    x, y = digits
    net = Network((64, 15, 10), (Relu, Sigmoid), seed=0)
    errors = gradient_check(net, x[:20], y[:20], PublishedMSE)
    worst = max(r["weights"] for r in errors)
    assert 0.01 < worst < 0.5, errors


def test_defect2_weight_and_bias_gradients_are_both_batch_means(rng):
    """Duplicating every sample must not change either gradient (both are means)."""
    x = rng.normal(size=(5, 4))
    y = np.eye(3)[[0, 1, 2, 0, 1]]
    net = Network((4, 6, 3), (Relu, Sigmoid), seed=2)
    gw1, gb1 = net.gradients(x, y, MSE)
    gw2, gb2 = net.gradients(np.vstack([x, x]), np.vstack([y, y]), MSE)
    for a, b in zip(gw1 + gb1, gw2 + gb2, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_defect2_published_mode_sums_weight_gradients(rng):
    """As published: dJ/dw summed over the batch, dJ/db averaged (post's _update_w_b)."""
    x = rng.normal(size=(6, 4))
    y = np.eye(3)[[0, 1, 2, 0, 1, 2]]
    net = Network((4, 3), (Sigmoid,), seed=2)
    ws = Workspace(net, 6)
    ws.backprop(x, y, PublishedMSE(Sigmoid))
    a = Sigmoid.activation(x @ net.weights[0])
    delta = (a - y) * Sigmoid.prime(a)  # the post's delta: sigmoid' of a
    np.testing.assert_allclose(ws.grad_w[0], x.T @ delta)  # a sum over the batch
    np.testing.assert_allclose(ws.grad_b[0], delta.mean(axis=0))  # a mean


def test_defect3_relu_does_not_write_into_z():
    z = np.array([[-1.0, 2.0, -3.0]])
    a = Relu.activation(z)
    assert a is not z
    np.testing.assert_array_equal(z, [[-1.0, 2.0, -3.0]])
    _, acts = Network((3, 3), (Relu,), seed=0).forward(z)
    assert not np.shares_memory(acts[0], acts[1])


def test_defect4_last_partial_batch_is_trained(rng):
    """With 7 samples and batch 3, sample 7 (alone in the last batch) must matter."""
    x = rng.normal(size=(7, 4))
    y = np.eye(2)[[0, 1, 0, 1, 0, 1, 0]]
    runs = []
    for last_label in (0, 1):
        yy = y.copy()
        yy[6] = np.eye(2)[last_label]
        net = Network((4, 3, 2), ("relu", "softmax"), seed=0)
        # No shuffling effect on membership: the last sample is in some batch each epoch.
        net.fit(x, yy, loss="cross_entropy", epochs=1, batch_size=3, learning_rate=0.1, seed=0)
        runs.append(net.weights[0].copy())
    assert not np.allclose(runs[0], runs[1])


def test_defect4_no_global_rng():
    """Training and initialisation never consume NumPy's global RNG."""
    np.random.seed(0)
    state = np.random.get_state()[1].copy()
    net = Network((4, 3, 2), ("relu", "softmax"), seed=5)
    net.fit(np.ones((5, 4)), [0, 1, 0, 1, 0], loss="cross_entropy", epochs=2, batch_size=2)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_defect4_inputs_can_be_scaled_inside_the_model(digits):
    x, y = digits
    net = Network((64, 10), ("softmax",), seed=0, input_scale=1 / 16)
    np.testing.assert_allclose(net.forward(x[:3])[1][0], x[:3] / 16)
