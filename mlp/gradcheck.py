"""Check backpropagation against central finite differences.

For every parameter p the numerical derivative is

    (J(p + eps) - J(p - eps)) / (2 eps),

which has an error of order eps^2. With eps = 1e-5 in float64 a correct
backprop agrees to a relative error around 1e-9; a wrong one (such as the
2017 post's MSE delta) shows up at the percent level.
"""

import numpy as np

from .losses import get_loss
from .validation import as_features, as_targets


def gradient_check(network, x, y, loss, eps=1e-5, l2=0.0, max_entries=None, seed=0, backprop=None):
    """Relative error between backprop and finite differences, per layer.

    Parameters
    ----------
    network : Network
        Left unchanged (each nudged parameter is restored). A float32 network
        is checked through a float64 copy of it.
    x : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples, n_outputs) or (n_samples,)
    loss : str, Loss class or Loss instance
    eps : float, default=1e-5
    l2 : float, default=0.0
    max_entries : int, optional
        Check at most this many randomly chosen entries of each parameter
        array (all of them by default). Each entry costs two forward passes,
        so the browser checks a sample of a large network.
    seed : int, default=0
        Chooses the sampled entries.
    backprop : callable, optional
        The backprop to check, with :meth:`Network.backprop`'s signature (a
        learner's edit); the network's own by default.

    Returns
    -------
    list of dict
        One per layer: ``{"layer": n, "weights": err_w, "biases": err_b}``
        where ``err = |g_backprop - g_numeric| / max(|g_backprop| + |g_numeric|, tiny)``
        over the whole layer (norms of the differences).
    """
    network = network.astype("float64")  # finite differences need float64's digits, whatever the model's precision
    x = as_features(x, network.n_inputs)
    y = as_targets(y, len(x), network.dimensions[-1])
    loss = get_loss(loss, network.activations[-1])
    grad_w, grad_b = network.gradients(x, y, loss, l2=l2, backprop=backprop)
    # The published loss also scales dJ/dw by the batch size, which is a
    # scaling of the step, not of the gradient; compare the gradient itself.
    if loss.sums_weight_gradients:
        grad_w = [g / len(x) for g in grad_w]

    def objective():
        penalty = 0.5 * l2 * sum(float(np.sum(w * w)) for w in network.weights)
        return loss.loss(y, network.output(x)) + penalty

    rng = np.random.default_rng(seed)
    report = []
    for n, (w, b) in enumerate(zip(network.weights, network.biases, strict=True)):
        errors = {}
        for name, param, analytic in (("weights", w, grad_w[n]), ("biases", b, grad_b[n])):
            flat = param.reshape(-1)
            entries = np.arange(flat.size)
            if max_entries is not None and flat.size > max_entries:
                entries = np.sort(rng.choice(flat.size, max_entries, replace=False))
            numeric = np.empty(len(entries))
            for k, i in enumerate(entries):
                saved = flat[i]
                flat[i] = saved + eps
                plus = objective()
                flat[i] = saved - eps
                minus = objective()
                flat[i] = saved
                numeric[k] = (plus - minus) / (2 * eps)
            errors[name] = relative_error(analytic.reshape(-1)[entries], numeric)
        report.append({"layer": n + 1, **errors})
    return report


def relative_error(a, b):
    """``||a - b|| / (||a|| + ||b||)``, 0 when both are zero."""
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0
