"""Loss functions J and the output-layer delta of eq. 2.4.0.

A loss is bound to the activation of the output layer, as in the 2017 post
(``MSE(Sigmoid)``), because the output delta dJ/dz_L of eq. 2.4.0 (written
out in :mod:`mlp.network`) needs both J' and f'. Each loss class offers:

``loss(y_true, a)``
    J averaged over the samples of the batch: a float.
``prime(y_true, a)``
    dJ/da per sample (the J' of eq. 2.4.0), shape (n_samples, n_outputs).
``delta(y_true, a, z, out=None)``
    dJ/dz per sample, the output delta.

All losses are per-sample sums over the outputs, averaged over samples, so the
gradients the network computes are batch means and a learning rate means the
same thing whatever the batch size.

:class:`PublishedMSE` reproduces the 2017 code exactly, defects included. It
exists so that the post's table can be reproduced and the gradient check can
show what is wrong with it. It is never a default.
"""

import numpy as np

from .activations import Sigmoid, Softmax, get_activation

_LOG_FLOOR = 1e-300  # keeps log() finite for a probability that underflowed to 0


def _in_float64(a):
    """Outputs as float64 for a log-based loss: in float32 the floors above would round to 0 and 1
    (and a sigmoid output reaches exactly 1 for z > 17), so the loss of a float32 network is computed in float64."""
    return np.asarray(a, dtype=np.float64)


class Loss:
    """Base class. Subclasses set ``name`` and implement ``loss`` and ``prime``."""

    name = ""
    #: True only for the published 2017 code, which summed dJ/dW over the
    #: batch while it averaged dJ/db.
    sums_weight_gradients = False

    def __init__(self, activation_fn):
        self.activation_fn = get_activation(activation_fn)

    def delta(self, y_true, a, z, out=None):
        """Output delta by the chain rule, dJ/da * f'(z) (eq. 2.4.0).

        Parameters
        ----------
        y_true : ndarray of shape (n_samples, n_outputs)
            One-hot (or real-valued) targets.
        a, z : ndarray of shape (n_samples, n_outputs)
            Output activation and pre-activation.
        out : ndarray, optional
            Buffer for the result.

        Returns
        -------
        ndarray of shape (n_samples, n_outputs)
        """
        return self.activation_fn.backward(self.prime(y_true, a), z, a, out=out)

    def __repr__(self):
        return f"{type(self).__name__}({self.activation_fn.__name__})"


class MSE(Loss):
    """Squared error (eq. 2.2.2), half the squared distance per sample.

    Its J' (eq. 2.2.3) is ``a - y``. The output delta multiplies it by
    f'(z), the derivative evaluated at z, which is what the 2017 code got wrong.
    """

    name = "mse"

    def loss(self, y_true, a):
        diff = a - y_true
        return 0.5 * float(np.einsum("ij,ij->", diff, diff)) / len(a)

    def prime(self, y_true, a):
        return a - y_true

    def delta(self, y_true, a, z, out=None):
        out = np.subtract(a, y_true, out=out)  # J' = a - y, then times f'(z)
        return self.activation_fn.backward(out, z, a, out=out)


class CrossEntropy(Loss):
    """Categorical cross-entropy, J = -sum_k y_k log a_k per sample.

    Made for a softmax output, whose outputs are a probability distribution.
    """

    name = "cross_entropy"

    def loss(self, y_true, a):
        return -float(np.einsum("ij,ij->", y_true, np.log(np.maximum(_in_float64(a), _LOG_FLOOR)))) / len(a)

    def prime(self, y_true, a):
        return -y_true / np.maximum(_in_float64(a), _LOG_FLOOR)

    def delta(self, y_true, a, z, out=None):
        if self.activation_fn is Softmax:
            # For softmax, dJ/dz_k = sum_j (-y_j / a_j) a_j (delta_jk - a_k)
            # = a_k sum_j y_j - y_k = a_k - y_k, because a one-hot (or any
            # probability) target sums to 1. No division by a, so no blow-up.
            return np.subtract(a, y_true, out=out)
        return super().delta(y_true, a, z, out=out)


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy per output, J = -sum_k [y log a + (1 - y) log(1 - a)].

    Made for sigmoid outputs, each an independent probability.
    """

    name = "binary_cross_entropy"

    def loss(self, y_true, a):
        a = np.clip(_in_float64(a), _LOG_FLOOR, 1.0 - 1e-16)
        total = np.einsum("ij,ij->", y_true, np.log(a)) + np.einsum(
            "ij,ij->", 1.0 - y_true, np.log1p(-a)
        )
        return -float(total) / len(a)

    def prime(self, y_true, a):
        a = np.clip(_in_float64(a), _LOG_FLOOR, 1.0 - 1e-16)
        return (a - y_true) / (a * (1.0 - a))

    def delta(self, y_true, a, z, out=None):
        if self.activation_fn is Sigmoid:
            # sigma'(z) = a (1 - a) cancels the denominator of J' exactly:
            # dJ/dz = (a - y) / (a (1 - a)) * a (1 - a) = a - y.
            return np.subtract(a, y_true, out=out)
        return super().delta(y_true, a, z, out=out)


class PublishedMSE(MSE):
    """The 2017 post's MSE, defects included. For reproducing the post only.

    Two differences from :class:`MSE`, both defects of the published code:

    1. ``delta`` evaluates the derivative at the activation instead of at z:
       ``(a - y) * f'(a)``, so the gradient is wrong (about 7 % relative error
       on the post's digits network, see the gradient check).
    2. ``sums_weight_gradients`` makes the network sum dJ/dW over the batch
       while it still averages dJ/db, as the post's ``_update_w_b`` did.

    The post's 1.00 table was measured with both, on its training data.
    """

    name = "published_mse"
    sums_weight_gradients = True

    def delta(self, y_true, a, z, out=None):
        # Deliberately wrong: f' is applied to a, not to z (see class docstring).
        fprime_at_a = self.activation_fn.prime(a)
        return np.multiply(a - y_true, fprime_at_a, out=out)


LOSSES = {cls.name: cls for cls in (MSE, CrossEntropy, BinaryCrossEntropy, PublishedMSE)}
"""Registry: lowercase name -> loss class."""

SHIPPED_LOSSES = dict(LOSSES)
"""The losses this package ships, which :func:`restore_losses` puts back."""


def register_loss(cls):
    """Register a loss under its ``name``: a new one, or a replacement (as :func:`mlp.activations.register_activation`).

    Returns
    -------
    type
        ``cls``.
    """
    if not (isinstance(cls, type) and issubclass(cls, Loss)):
        raise TypeError(f"register a Loss subclass, got {cls!r}")
    if not (isinstance(cls.name, str) and cls.name.isidentifier() and cls.name == cls.name.lower()):
        raise ValueError(f"a loss's name must be a lowercase identifier, got {cls.name!r}")
    LOSSES[cls.name] = cls
    return cls


def restore_losses():
    """Put the shipped losses back."""
    LOSSES.clear()
    LOSSES.update(SHIPPED_LOSSES)


def get_loss(spec, activation_fn):
    """Build a loss bound to the output activation.

    Parameters
    ----------
    spec : str, Loss subclass or Loss instance
        ``"mse"``, ``MSE`` or ``MSE(Sigmoid)``.
    activation_fn : str or Activation class
        The output layer's activation.

    Returns
    -------
    Loss
    """
    if isinstance(spec, Loss):
        spec = type(spec)
    if isinstance(spec, str):
        if spec not in LOSSES:
            raise ValueError(f"unknown loss {spec!r}; choose one of {sorted(LOSSES)}")
        spec = LOSSES[spec]
    if not (isinstance(spec, type) and issubclass(spec, Loss) and spec.name in LOSSES):
        raise ValueError(f"loss must be a name or a Loss class, got {spec!r}")
    return spec(activation_fn)
