"""Activation functions f and their derivatives f'.

A layer's output is f of its input z (eq. 1.3.1), and backpropagation needs
f'(z), in eq. 2.4.0 for the output layer and eq. 2.4.1 for the hidden ones
(the post's equations are written out in :mod:`mlp.network`).

Every activation is a small class with three static methods, usable on the
class itself exactly as in the 2017 post (``Relu.activation(z)``):

``activation(z, out=None)``
    f(z). Never modifies ``z`` (the post's ReLU wrote into ``z``, so ``a`` and
    ``z`` became the same array).
``prime(z, a=None)``
    f'(z). Pass ``a = f(z)`` when you already have it, so that sigmoid and
    tanh are not computed twice.
``backward(grad_a, z, a, out=None)``
    The vector-Jacobian product dJ/dz = dJ/da * f'(z). For element-wise
    activations that is a plain product; softmax couples its outputs, so it
    needs the full Jacobian, and this method is where that lives.

Two more class methods serve the fast path (:mod:`mlp.workspace`), on its
own buffers; each is the plain NumPy of the lines above by default, and ReLU
hands them to the page's WebAssembly kernel (:mod:`mlp.kernel`) when it is
there, with NumPy's bits:

``with_bias(z, b, out)``
    f(z + b) into ``out``, adding the bias into ``z`` first.
``backward_in_place(delta, z, a)``
    ``delta *= f'(z)``, written into ``delta``.

Each class is registered under one lowercase name in :data:`ACTIVATIONS`.
That name is the one used by the model file, the browser and the UI.
"""

import numpy as np

from .kernel import KERNEL


class Activation:
    """Base class: element-wise activations only implement ``activation`` and ``prime``."""

    name = ""

    @classmethod
    def backward(cls, grad_a, z, a, out=None):
        """Return ``grad_a * f'(z)``, the chain rule through an element-wise f.

        Parameters
        ----------
        grad_a : ndarray of shape (n_samples, n_units)
            dJ/da for this layer.
        z, a : ndarray of shape (n_samples, n_units)
            The layer's pre-activation and activation.
        out : ndarray, optional
            Where to write the result; may be ``grad_a`` itself.

        Returns
        -------
        ndarray
            dJ/dz, the layer's delta.
        """
        return np.multiply(grad_a, cls.prime(z, a), out=out)

    @classmethod
    def with_bias(cls, z, b, out):
        """``z += b``, then ``out = f(z)``: eq. 1.3.0's bias and eq. 1.3.1, for the fast path's buffers."""
        z += b
        return cls.activation(z, out=out)

    @classmethod
    def backward_in_place(cls, delta, z, a):
        """``delta *= f'(z)`` in place: eq. 2.4.1's product, for the fast path's buffers."""
        return cls.backward(delta, z, a, out=delta)


class Identity(Activation):
    """f(z) = z. For regression outputs."""

    name = "identity"

    @staticmethod
    def activation(z, out=None):
        if out is None:
            return np.array(z, copy=True)
        np.copyto(out, z)
        return out

    @staticmethod
    def prime(z, a=None):
        return np.ones_like(z)

    @classmethod
    def backward(cls, grad_a, z, a, out=None):
        if out is None:
            return np.array(grad_a, copy=True)
        if out is not grad_a:
            np.copyto(out, grad_a)
        return out


class Relu(Activation):
    """The rectifier (eq. 1.2.1), with the derivative of eq. 2.3.4-2.3.5."""

    name = "relu"

    @staticmethod
    def activation(z, out=None):
        return np.maximum(z, 0.0, out=out)

    @staticmethod
    def prime(z, a=None):
        return (z > 0).astype(z.dtype)

    @classmethod
    def backward(cls, grad_a, z, a, out=None):
        # Multiplying by a boolean mask is one pass and allocates nothing
        # when ``out`` is given.
        return np.multiply(grad_a, z > 0, out=out)

    @classmethod
    def with_bias(cls, z, b, out):
        if KERNEL is not None:  # the page: the bias and ReLU in one SIMD pass
            return KERNEL.bias_relu(z, b, out)
        return super().with_bias(z, b, out)

    @classmethod
    def backward_in_place(cls, delta, z, a):
        if KERNEL is not None:
            return KERNEL.relu_backward(delta, z)
        return super().backward_in_place(delta, z, a)


class LeakyRelu(Activation):
    """f(z) = z for z > 0, else ``slope * z``, with ``slope = 0.01``.

    A small negative slope keeps a gradient flowing through units that would
    otherwise be "dead" ReLUs.
    """

    name = "leaky_relu"
    slope = 0.01

    @staticmethod
    def activation(z, out=None):
        # max(z, slope * z) is leaky ReLU whenever 0 < slope < 1.
        out = np.multiply(z, LeakyRelu.slope, out=out)
        return np.maximum(out, z, out=out)

    @staticmethod
    def prime(z, a=None):
        return np.where(z > 0, 1.0, LeakyRelu.slope).astype(z.dtype)


class Sigmoid(Activation):
    """The logistic sigmoid (eq. 1.2.2), with the derivative of eq. 2.2.5."""

    name = "sigmoid"

    @staticmethod
    def activation(z, out=None):
        # exp(-z) overflows to inf for z < -709 and 1 / (1 + inf) = 0 is the
        # right limit. Callers silence that warning once (Network.predict,
        # Trainer.run) rather than here, where it would cost every batch.
        out = np.negative(z, out=out)
        np.exp(out, out=out)
        out += 1.0
        return np.reciprocal(out, out=out)

    @staticmethod
    def prime(z, a=None):
        if a is None:
            a = Sigmoid.activation(z)
        return a * (1.0 - a)

    @classmethod
    def backward(cls, grad_a, z, a, out=None):
        fprime = np.subtract(1.0, a)
        fprime *= a
        return np.multiply(grad_a, fprime, out=out)


class Tanh(Activation):
    """f(z) = tanh(z); f'(z) = 1 - tanh(z)^2."""

    name = "tanh"

    @staticmethod
    def activation(z, out=None):
        return np.tanh(z, out=out)

    @staticmethod
    def prime(z, a=None):
        if a is None:
            a = np.tanh(z)
        return 1.0 - a * a

    @classmethod
    def backward(cls, grad_a, z, a, out=None):
        fprime = np.multiply(a, a)
        np.subtract(1.0, fprime, out=fprime)
        return np.multiply(grad_a, fprime, out=out)


class Softmax(Activation):
    """f(z)_k = exp(z_k) / sum_j exp(z_j), row by row: class probabilities.

    Softmax couples its outputs, so f'(z) is a Jacobian per sample,
    ``J_kj = a_k (delta_kj - a_j)``, not an element-wise factor.
    """

    name = "softmax"

    @staticmethod
    def activation(z, out=None):
        # Subtracting the row maximum leaves the result unchanged and keeps
        # exp() from overflowing.
        out = np.subtract(z, z.max(axis=1, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= out.sum(axis=1, keepdims=True)
        return out

    @staticmethod
    def prime(z, a=None):
        """Return the Jacobian da/dz, of shape (n_samples, n_units, n_units)."""
        if a is None:
            a = Softmax.activation(z)
        return a[:, :, None] * (np.eye(a.shape[1]) - a[:, None, :])

    @classmethod
    def backward(cls, grad_a, z, a, out=None):
        # Row-wise J^T g with J = diag(a) - a a^T:  a * (g - <g, a>).
        inner = np.einsum("ij,ij->i", grad_a, a)[:, None]
        out = np.subtract(grad_a, inner, out=out)
        out *= a
        return out


ACTIVATIONS = {cls.name: cls for cls in (Identity, Relu, LeakyRelu, Sigmoid, Tanh, Softmax)}
"""Registry: lowercase name -> activation class."""

SHIPPED_ACTIVATIONS = dict(ACTIVATIONS)
"""The activations this package ships, which :func:`restore_activations` puts back."""


def register_activation(cls):
    """Register an activation under its ``name``: a new one, or a replacement for the one of that name.

    The extension point for your own activation, the same few lines in
    CPython as in the page's Code view (:mod:`mlp.usercode`)::

        class Swish(Activation):
            name = "swish"

            @staticmethod
            def activation(z, out=None):
                return np.multiply(z, 1 / (1 + np.exp(-z)), out=out)

            @staticmethod
            def prime(z, a=None):
                s = 1 / (1 + np.exp(-z))
                return s + z * s * (1 - s)

        register_activation(Swish)
        Network([64, 32, 10], ["swish", "softmax"])

    A model file that names it loads only where it is registered.

    Returns
    -------
    type
        ``cls``, so this can be used as a class decorator.
    """
    if not (isinstance(cls, type) and issubclass(cls, Activation)):
        raise TypeError(f"register an Activation subclass, got {cls!r}")
    if not (isinstance(cls.name, str) and cls.name.isidentifier() and cls.name == cls.name.lower()):
        raise ValueError(f"an activation's name must be a lowercase identifier, got {cls.name!r}")
    ACTIVATIONS[cls.name] = cls
    return cls


def restore_activations():
    """Put the shipped activations back: replacements undone, added ones removed."""
    ACTIVATIONS.clear()
    ACTIVATIONS.update(SHIPPED_ACTIVATIONS)


def needs_code(name):
    """The end of an "unknown activation" message: what to do about a name that is not built in."""
    return (f"; {name!r} is not built in: a model that uses it needs its code (define the class and call "
            "mlp.activations.register_activation) before it is built or loaded")


def get_activation(spec):
    """Resolve an activation given as a registered name or as a class.

    Parameters
    ----------
    spec : str or Activation subclass
        ``"relu"``, ``Relu`` and ``Relu()`` all name the same activation.

    Returns
    -------
    type
        The activation class.

    Raises
    ------
    ValueError
        If the name is not registered.
    """
    if isinstance(spec, str):
        try:
            return ACTIVATIONS[spec]
        except KeyError:
            raise ValueError(
                f"unknown activation {spec!r}; choose one of {sorted(ACTIVATIONS)}{needs_code(spec)}"
            ) from None
    cls = spec if isinstance(spec, type) else type(spec)
    if isinstance(cls, type) and issubclass(cls, Activation) and cls.name in ACTIVATIONS:
        return cls
    raise ValueError(f"activation must be a name or an Activation class, got {spec!r}")
