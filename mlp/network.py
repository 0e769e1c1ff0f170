"""The multi-layer perceptron: parameters, forward pass and backpropagation.

Notation follows the 2017 post "Programming a neural network from scratch".
Samples are rows, so for a batch ``x`` of shape (n_samples, n_features):

    z_n = a_{n-1} @ w_n + b_n                                      (eq. 1.3.0)
    a_n = f_n(z_n)                                                 (eq. 1.3.1)

and backpropagation, vectorised over the batch, is

    delta_L = J'(y, a_L) * f_L'(z_L)                              (eq. 2.4.0)
    delta_n = (delta_{n+1} @ w_{n+1}^T) * f_n'(z_n)               (eq. 2.4.1)
    dJ/dw_n = a_{n-1}^T @ delta_n / n_samples                     (eq. 2.4.2)
    dJ/db_n = mean of delta_n over the batch                      (eq. 2.4.3)

Both gradients are batch means (the post summed dJ/dw but averaged dJ/db).
Lists are indexed from 0 here: ``weights[0]`` connects the input layer to the
first hidden layer; the post's dictionaries started at 1 (``w[1]``), which
the :attr:`Network.w` and :attr:`Network.b` views keep available.
"""

import sys

import numpy as np

from .activations import get_activation
from .losses import get_loss
from .validation import as_features, as_targets, check_float, check_int, make_rng

INITIALIZERS = {
    # The 2017 post's randn / sqrt(n_in). The post calls it Xavier; it is
    # LeCun's normal initialisation, variance 1 / n_in.
    "lecun": lambda n_in, n_out: 1.0 / np.sqrt(n_in),
    # Glorot and Bengio's "Xavier" normal, variance 2 / (n_in + n_out).
    "xavier": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),
    # He et al., variance 2 / n_in: keeps ReLU activations from shrinking.
    "he": lambda n_in, n_out: np.sqrt(2.0 / n_in),
}
"""Registry: initialiser name -> standard deviation of the normal draw."""

MAX_LAYER_WIDTH = 4096

# Pyodide's NumPy has no BLAS: there np.dot is a plain loop, and for large
# products np.einsum's vectorised kernels are about 2.5x faster (measured in
# tests/benchmarks). Below about 32k multiply-adds einsum's set-up cost wins,
# and with BLAS (CPython) np.dot is fastest at every size.
NO_BLAS = sys.platform == "emscripten"
EINSUM_MIN_WORK = 32_768


def _product(a, b, out, dot_a, dot_b, spec):
    if NO_BLAS and a.shape[0] * a.shape[1] * out.shape[-1] >= EINSUM_MIN_WORK:
        return np.einsum(spec, a, b, out=out)
    return np.dot(dot_a, dot_b, out=out)


def matmul_into(a, b, out):
    """``out = a @ b``."""
    return _product(a, b, out, a, b, "ij,jk->ik")


def matmul_at_b_into(a, b, out):
    """``out = a.T @ b``, without copying ``a.T``."""
    return _product(a, b, out, a.T, b, "ij,ik->jk")


def matmul_a_bt_into(a, b, out):
    """``out = a @ b.T``, without copying ``b.T``."""
    return _product(a, b, out, a, b.T, "ik,jk->ij")


class Network:
    """A fully connected feed-forward network.

    Parameters
    ----------
    dimensions : sequence of int
        Units per layer, input layer first: ``(64, 15, 10)``.
    activations : sequence of str or Activation class
        One per non-input layer: ``(Relu, Sigmoid)`` or ``("relu", "sigmoid")``.
    init : {"lecun", "xavier", "he"}, default="lecun"
        Weight initialisation. Biases start at zero.
    seed : int, numpy.random.Generator or None, default=None
        Source of randomness for the initial weights and, unless ``fit`` is
        given its own, for shuffling. ``None`` draws fresh entropy.
    input_scale : float, default=1.0
        Inputs are multiplied by this before the first layer, so a model
        trained on digits scaled to 0..1 (``1/16``) still takes raw 0..16
        pixels, in CPython and in the browser alike.

    Attributes
    ----------
    weights, biases : list of ndarray
        ``weights[n]`` has shape (dimensions[n], dimensions[n + 1]).
    classes : list
        The label of each output unit; ``0..n_outputs-1`` by default.
    metadata : dict
        Free-form notes that the model file carries along.

    Examples
    --------
    >>> from mlp import Network, Relu, Sigmoid, MSE
    >>> nn = Network((64, 15, 10), (Relu, Sigmoid), seed=1)
    >>> nn.predict(np.zeros((2, 64))).shape
    (2, 10)
    """

    def __init__(self, dimensions, activations, *, init="lecun", seed=None, input_scale=1.0):
        dimensions = tuple(dimensions)
        if len(dimensions) < 2:
            raise ValueError(f"dimensions needs an input and an output layer, got {dimensions!r}")
        dimensions = tuple(
            check_int(d, f"dimensions[{i}]", 1, MAX_LAYER_WIDTH) for i, d in enumerate(dimensions)
        )
        activations = tuple(activations)
        if len(activations) != len(dimensions) - 1:
            raise ValueError(
                f"got {len(activations)} activations for {len(dimensions)} layers; "
                f"give one per non-input layer ({len(dimensions) - 1})"
            )
        if init not in INITIALIZERS:
            raise ValueError(f"unknown init {init!r}; choose one of {sorted(INITIALIZERS)}")
        self.dimensions = dimensions
        self.activations = tuple(get_activation(a) for a in activations)
        self.input_scale = check_float(input_scale, "input_scale", low=0.0)
        self.init = init
        self.rng = make_rng(seed)
        self.loss = None  # set by fit(), as in the post
        self.classes = list(range(dimensions[-1]))  # the label of each output unit
        self.metadata = {}  # free-form notes carried by the model file
        std = INITIALIZERS[init]
        self.weights = [
            self.rng.standard_normal((n_in, n_out)) * std(n_in, n_out)
            for n_in, n_out in zip(dimensions[:-1], dimensions[1:])
        ]
        self.biases = [np.zeros(n_out) for n_out in dimensions[1:]]

    # -- views -------------------------------------------------------------
    @property
    def n_layers(self):
        """Number of layers, the input layer included (as in the post)."""
        return len(self.dimensions)

    @property
    def w(self):
        """The weights keyed by the post's layer numbers: ``{1: w1, 2: w2, ...}``."""
        return {i + 1: w for i, w in enumerate(self.weights)}

    @property
    def b(self):
        """The biases keyed by the post's layer numbers."""
        return {i + 1: b for i, b in enumerate(self.biases)}

    def parameters(self):
        """All parameter arrays, weights then biases, in a fixed order."""
        return self.weights + self.biases

    def n_parameters(self):
        """Total number of trainable numbers."""
        return sum(p.size for p in self.parameters())

    # -- forward -----------------------------------------------------------
    def forward(self, x):
        """Run the forward pass and keep every layer's z and a.

        Parameters
        ----------
        x : ndarray of shape (n_samples, n_features)

        Returns
        -------
        z : list of ndarray
            Pre-activations ``z_n`` of each non-input layer.
        a : list of ndarray
            Activations; ``a[0]`` is the (scaled) input, ``a[-1]`` the output.
        """
        a = [as_features(x, self.dimensions[0]) * self.input_scale]
        z = []
        with np.errstate(over="ignore"):
            for w, b, f in zip(self.weights, self.biases, self.activations):
                z.append(a[-1] @ w + b)
                a.append(f.activation(z[-1]))
        return z, a

    def predict(self, x):
        """Output activations for ``x``: shape (n_samples, n_outputs).

        With a softmax output these are class probabilities.
        """
        a = as_features(x, self.dimensions[0]) * self.input_scale
        with np.errstate(over="ignore"):
            for w, b, f in zip(self.weights, self.biases, self.activations):
                a = f.activation(a @ w + b)
        return a

    def predict_classes(self, x):
        """The index of the largest output for each sample."""
        return np.argmax(self.predict(x), axis=1)

    # -- backward ----------------------------------------------------------
    def gradients(self, x, y_true, loss, l2=0.0):
        """Gradients of the batch-mean loss by backpropagation (eq. 2.4.0-2.4.3).

        Parameters
        ----------
        x : ndarray of shape (n_samples, n_features)
        y_true : ndarray of shape (n_samples, n_outputs) or (n_samples,)
            One-hot targets, or integer labels.
        loss : str, Loss class or Loss instance
        l2 : float, default=0.0
            Weight decay: adds ``l2 * w`` to each weight gradient, the
            gradient of ``l2 / 2 * sum(w ** 2)``.

        Returns
        -------
        grad_w, grad_b : list of ndarray
            Same shapes as :attr:`weights` and :attr:`biases`.
        """
        x = as_features(x, self.dimensions[0])
        y = as_targets(y_true, len(x), self.dimensions[-1])
        workspace = Workspace(self, len(x))
        with np.errstate(over="ignore"):
            workspace.backprop(x * self.input_scale, y, get_loss(loss, self.activations[-1]), l2)
        return workspace.grad_w, workspace.grad_b

    # -- training ----------------------------------------------------------
    def fit(self, x, y_true, loss="mse", epochs=100, batch_size=15, learning_rate=1e-3, **options):
        """Train with minibatch gradient descent, as in the post's ``fit``.

        Parameters
        ----------
        x : ndarray of shape (n_samples, n_features)
        y_true : ndarray of shape (n_samples, n_outputs) or (n_samples,)
            One-hot targets or integer labels.
        loss : str or Loss class, default="mse"
        epochs : int, default=100
        batch_size : int, default=15
            The last, smaller batch of an epoch is trained on too.
        learning_rate : float, default=1e-3
        **options
            Passed to :class:`mlp.training.Trainer`: ``optimizer``, ``l2``,
            ``seed``, ``validation_data``, ``early_stopping``, ``callback``,
            ``verbose``.

        Returns
        -------
        History
            Per-epoch loss and accuracy.

        Raises
        ------
        TrainingDiverged
            If the loss becomes NaN or inf; the weights of the last finite
            epoch are restored first.
        KeyboardInterrupt
            On Ctrl-C, after the batch in progress has finished: the weights
            are those of the last completed step, never half updated.
        """
        from .training import Trainer

        options.setdefault("seed", self.rng)
        verbose = options.pop("verbose", False)
        trainer = Trainer(
            self, x, y_true, loss=loss, batch_size=batch_size, learning_rate=learning_rate, **options
        )
        if not trainer.run_to_the_end(epochs, verbose):
            raise KeyboardInterrupt(
                f"training stopped by Ctrl-C {trainer.position()}; the weights are those of that step"
            )
        return trainer.history

    def __repr__(self):
        names = ", ".join(f.name for f in self.activations)
        return f"Network({self.dimensions}, ({names}))"


class Workspace:
    """Preallocated arrays for forward and backward passes at one batch size.

    Training calls :meth:`backprop` thousands of times on batches of the same
    size; keeping every z, a, delta and gradient in a buffer that is reused
    means the hot loop allocates (almost) nothing.

    Parameters
    ----------
    network : Network
    batch_size : int
    """

    def __init__(self, network, batch_size):
        dims = network.dimensions
        self.network = network
        self.batch_size = batch_size
        self.ones = np.ones(batch_size)
        self.a = [None] + [np.empty((batch_size, d)) for d in dims[1:]]
        self.z = [np.empty((batch_size, d)) for d in dims[1:]]
        self.delta = [np.empty((batch_size, d)) for d in dims[1:]]
        self.grad_w = [np.empty_like(w) for w in network.weights]
        self.grad_b = [np.empty_like(b) for b in network.biases]
        self.grads = self.grad_w + self.grad_b  # same order as Network.parameters()

    def backprop(self, x, y, loss, l2=0.0, scale=None):
        """Fill :attr:`grad_w` and :attr:`grad_b` for the batch ``(x, y)``.

        Parameters
        ----------
        x : ndarray of shape (batch_size, n_features)
            Already validated and multiplied by the network's ``input_scale``.
        y : ndarray of shape (batch_size, n_outputs)
            Validated targets.
        loss : Loss
        l2 : float, default=0.0
        scale : float, optional
            Factor applied to the output delta. The default, ``1 / batch_size``,
            makes the gradients batch means. Every gradient is linear in the
            output delta, so a trainer using plain SGD passes
            ``-learning_rate / batch_size`` and gets the SGD steps themselves,
            saving a pass over every parameter.
        """
        net = self.network
        a, z, delta = self.a, self.z, self.delta
        a[0] = x
        # Products write into preallocated buffers (np.dot with out=, or einsum
        # without BLAS); the hot loop is dominated by call overhead.
        for n, (w, b, f) in enumerate(zip(net.weights, net.biases, net.activations)):
            matmul_into(a[n], w, z[n])  # eq. 1.3.0
            z[n] += b
            f.activation(z[n], out=a[n + 1])  # eq. 1.3.1

        m = len(x)
        scale = 1.0 / m if scale is None else scale
        loss.delta(y, a[-1], z[-1], out=delta[-1])  # eq. 2.4.0
        delta[-1] *= scale
        ones = self.ones
        for n in range(len(net.weights) - 1, -1, -1):
            matmul_at_b_into(a[n], delta[n], self.grad_w[n])  # eq. 2.4.2
            np.dot(ones, delta[n], out=self.grad_b[n])  # eq. 2.4.3, summed over the batch
            if n > 0:  # eq. 2.4.1: carry the error back through w_n and f'
                matmul_a_bt_into(delta[n], net.weights[n], delta[n - 1])
                net.activations[n - 1].backward(delta[n - 1], z[n - 1], a[n], out=delta[n - 1])

        if loss.sums_weight_gradients:
            for g in self.grad_w:
                g *= m
        if l2:
            decay = l2 * scale * m  # l2 times the same factor as the data term
            for g, w in zip(self.grad_w, net.weights):
                g += decay * w
