"""The multi-layer perceptron: parameters, forward pass and backpropagation.

This package follows Ritchie Vink, "Programming a neural network from
scratch", 2017, https://www.ritchievink.com/blog/2017/07/10/programming-a-neural-network-from-scratch/
(``Network(dimensions, activations)``, ``fit``, ``predict``), without its
defects. Its equations, written out here once and referred to by number
everywhere else in the package. As in the post's code, layers are numbered
from 1 (the input, a_1 = x) to L (the output), and w_n, b_n connect layer n
to layer n + 1. Samples are rows: a batch has shape (n_samples, n_features)
and ``@`` is a matrix product.

=========  ===============================================  ==================
eq.        formula                                          in words
=========  ===============================================  ==================
1.2.1      relu(z) = max(0, z)                              an activation
1.2.2      sigmoid(z) = 1 / (1 + exp(-z))                   an activation
1.3.0      z_{n+1} = a_n @ w_n + b_n                        a layer's input
1.3.1      a_n = f_n(z_n)                                   a layer's output
2.2.2      J = 1/2 sum_k (a_k - y_k)^2                      squared error
2.2.3      dJ/da = a - y                                    its derivative J'
2.2.5      sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))
2.3.4      relu'(z) = 1 where z > 0
2.3.5      relu'(z) = 0 where z <= 0
2.4.0      delta_L = J'(y, a_L) * f_L'(z_L)                 the output error
2.4.1      delta_n = (delta_{n+1} @ w_n^T) * f_n'(z_n)      carried back
2.4.2      dJ/dw_{n-1} = a_{n-1}^T @ delta_n / n_samples    weight gradient
2.4.3      dJ/db_{n-1} = (sum of delta_n's rows) / n_samples  bias gradient
=========  ===============================================  ==================

Both gradients are batch means: the post summed dJ/dw over the batch but
averaged dJ/db (:class:`mlp.losses.PublishedMSE` keeps that defect, to
reproduce the post). :meth:`Network.backprop` is these equations as code,
for reading; training runs the same numbers in preallocated buffers
(:mod:`mlp.workspace`).
"""

import copy

import numpy as np

from .activations import Softmax, get_activation
from .features import RAW, check_features, compute_features
from .losses import get_loss
from .matmul import matmul
from .training import Trainer
from .validation import as_features, as_targets, check_float, check_int, check_per_feature, make_rng

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

MAX_PARAMETERS = 1_000_000
"""The largest network this package builds, trains or loads from a model file:
8 MB of float64 weights, and about four times that with the gradients and
Adam's state, which the browser holds too."""


PRECISIONS = ("float64", "float32")
"""The dtypes a network can compute in (its ``precision``)."""


def count_parameters(dimensions):
    """Number of weights and biases of a network with these layer widths."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(dimensions[:-1], dimensions[1:], strict=True))


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
    input_shift, input_scale : float or array of shape (n_features,), default=0.0 and 1.0
        The first layer sees ``(x - input_shift) * input_scale``, so a model
        trained on digits scaled to 0..1 (``input_scale=1/16``) or on
        standardised tabular data (the training split's mean and
        ``1 / std``) still takes raw values, in CPython and in the browser alike.
    target_shift, target_scale : float, default=0.0 and 1.0
        For regression: the network learns ``(y - target_shift) / target_scale``,
        and :meth:`predict` maps its output back, ``a * target_scale + target_shift``.
    input_features : list of str, optional
        For two-dimensional points: the features of :data:`mlp.features.FEATURES`
        the first layer sees (``["x1", "x2", "x1*x2"]``), one per input unit.
        The network computes them from the raw point itself, before the shift
        and scale, so it still takes ``(x1, x2)``. None: the inputs as given.
    precision : {"float64", "float32"}, default="float64"
        The dtype of the weights and of every computation. float32 halves the
        memory and, in the page, doubles the numbers each SIMD instruction
        handles; the initial weights are the float64 draw, rounded.

    Attributes
    ----------
    weights, biases : list of ndarray
        ``weights[n]`` has shape (dimensions[n], dimensions[n + 1]).
    classes : list
        The label of each output unit; ``0..n_outputs-1`` by default.
    dataset : dict or None
        What the network was trained on (name, kind, feature range), so that
        a model file made for other data can be refused; None if unknown.
    metadata : dict
        Free-form notes that the model file carries along.

    Examples
    --------
    >>> from mlp import Network, Relu, Sigmoid, MSE
    >>> nn = Network((64, 15, 10), (Relu, Sigmoid), seed=1)
    >>> nn.predict(np.zeros((2, 64))).shape
    (2, 10)
    """

    def __init__(self, dimensions, activations, *, init="lecun", seed=None, input_shift=0.0, input_scale=1.0,
                 target_shift=0.0, target_scale=1.0, input_features=None, precision="float64"):
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
        if precision not in PRECISIONS:
            raise ValueError(f"unknown precision {precision!r}; choose one of {list(PRECISIONS)}")
        if count_parameters(dimensions) > MAX_PARAMETERS:
            raise ValueError(
                f"a {'-'.join(map(str, dimensions))} network has {count_parameters(dimensions):,} "
                f"parameters, over the limit of {MAX_PARAMETERS:,}; use fewer or narrower layers"
            )
        activations = tuple(get_activation(a) for a in activations)
        if Softmax in activations[:-1]:
            raise ValueError(
                "softmax is for the output layer only: it couples its units, so its "
                "derivative is a Jacobian, not the element-wise f'(z) of eq. 2.4.1"
            )
        if input_features is not None:
            input_features = check_features(input_features)
            if len(input_features) != dimensions[0]:
                raise ValueError(
                    f"{len(input_features)} input features for an input layer of {dimensions[0]} units"
                )
        self.dimensions = dimensions
        self.activations = activations
        self.input_features = input_features
        self.input_shift = check_per_feature(input_shift, "input_shift", dimensions[0])
        self.input_scale = check_per_feature(input_scale, "input_scale", dimensions[0], positive=True)
        self.target_shift = check_float(target_shift, "target_shift")
        self.target_scale = check_float(target_scale, "target_scale", low=0.0)
        self.init = init
        self.rng = make_rng(seed)
        self.loss = None  # set by fit(), as in the post
        self.classes = list(range(dimensions[-1]))  # the label of each output unit
        self.dataset = None  # what it was trained on (see mlp.data.Dataset.describe)
        self.metadata = {}  # free-form notes carried by the model file
        self.precision = precision
        self.dtype = np.dtype(precision)
        std = INITIALIZERS[init]
        self.weights = [
            (self.rng.standard_normal((n_in, n_out)) * std(n_in, n_out)).astype(self.dtype)
            for n_in, n_out in zip(dimensions[:-1], dimensions[1:], strict=True)
        ]
        self.biases = [np.zeros(n_out, dtype=self.dtype) for n_out in dimensions[1:]]

    # -- views -------------------------------------------------------------
    @property
    def n_inputs(self):
        """Numbers per raw input sample: the point's 2 coordinates when the
        network computes its :attr:`input_features`, else the input layer's width."""
        return len(RAW) if self.input_features is not None else self.dimensions[0]

    @property
    def n_layers(self):
        """Number of layers, the input layer included (as in the post)."""
        return len(self.dimensions)

    def parameters(self):
        """All parameter arrays, weights then biases, in a fixed order."""
        return self.weights + self.biases

    def n_parameters(self):
        """Total number of trainable numbers."""
        return count_parameters(self.dimensions)

    # -- forward -----------------------------------------------------------
    def forward(self, x):
        """Run the forward pass and keep every layer's z and a.

        Parameters
        ----------
        x : ndarray of shape (n_samples, n_inputs)
            Raw inputs (see :attr:`n_inputs`).

        Returns
        -------
        z : list of ndarray
            Pre-activations ``z_n`` of each non-input layer.
        a : list of ndarray
            Activations; ``a[0]`` is what the first layer sees
            (:meth:`prepare_inputs`), ``a[-1]`` the output.
        """
        a = [self.prepare_inputs(as_features(x, self.n_inputs))]
        z = []
        with np.errstate(over="ignore"):
            for w, b, f in zip(self.weights, self.biases, self.activations, strict=True):
                z.append(a[-1] @ w + b)  # eq. 1.3.0
                a.append(f.activation(z[-1]))  # eq. 1.3.1
        return z, a

    def prepare_inputs(self, x):
        """What the first layer sees of raw inputs ``x``: the :attr:`input_features`
        of each point if the network has them, then ``(x - input_shift) * input_scale``."""
        if self.input_features is not None:
            x = compute_features(x, self.input_features)
        return ((x - self.input_shift) * self.input_scale).astype(self.dtype, copy=False)

    def output(self, x):
        """The output layer's activations for ``x``: shape (n_samples, n_outputs).

        What the loss compares with the (scaled) targets. With a softmax output
        these are class probabilities.
        """
        a = self.prepare_inputs(as_features(x, self.n_inputs))
        with np.errstate(over="ignore"):
            for w, b, f in zip(self.weights, self.biases, self.activations, strict=True):
                a = f.activation(matmul(a, w) + b)  # a @ w + b, by training's own products (mlp.matmul)
        return a

    def predict(self, x):
        """Predictions for ``x`` in the targets' own units: shape (n_samples, n_outputs).

        :meth:`output` mapped back through ``target_scale`` and ``target_shift``;
        for classification (scale 1, shift 0) these are the outputs themselves,
        class probabilities with a softmax output.
        """
        a = self.output(x)
        if self.target_scale != 1.0 or self.target_shift != 0.0:
            a = a * self.target_scale + self.target_shift
        return a

    def predict_classes(self, x):
        """The index of the largest output for each sample."""
        return np.argmax(self.predict(x), axis=1)

    def astype(self, precision):
        """A copy of this network in another precision (this one, if it is already in it).

        The gradient check runs on a float64 copy of a float32 network: finite
        differences need float64's digits.
        """
        if precision not in PRECISIONS:
            raise ValueError(f"unknown precision {precision!r}; choose one of {list(PRECISIONS)}")
        if precision == self.precision:
            return self
        twin = copy.copy(self)
        twin.precision, twin.dtype = precision, np.dtype(precision)
        twin.weights = [w.astype(twin.dtype) for w in self.weights]
        twin.biases = [b.astype(twin.dtype) for b in self.biases]
        return twin

    # -- backward ----------------------------------------------------------
    def backprop(self, x, y, loss, l2=0.0):
        """Gradients of the batch-mean loss, one line per equation of the post.

        This is the version to read beside the post (and the one the gradient
        check referees). Training computes the same numbers faster, in
        preallocated buffers: :class:`mlp.workspace.Workspace`.

        Parameters
        ----------
        x : ndarray of shape (n_samples, n_inputs)
            Raw inputs; :meth:`forward` prepares them (:meth:`prepare_inputs`).
        y : ndarray of shape (n_samples, n_outputs)
            Targets, one-hot for classes.
        loss : Loss
            Bound to the output activation (:func:`mlp.losses.get_loss`).
        l2 : float, default=0.0
            Weight decay: adds ``l2 * w`` to each weight gradient, the
            gradient of ``l2 / 2 * sum(w ** 2)``.

        Returns
        -------
        grad_w, grad_b : list of ndarray
            dJ/dw and dJ/db, the same shapes as :attr:`weights` and :attr:`biases`.
        """
        # Index map to the post's numbering (see the module docstring): these
        # lists start at 0, so weights[i] is w_{i+1}, a[i] is a_{i+1} (a[0] is
        # the input), and z[i], delta[i] belong to layer i + 2.
        w, f = self.weights, self.activations
        z, a = self.forward(x)  # eq. 1.3.0 and 1.3.1, layer by layer
        delta = [None] * len(w)
        delta[-1] = loss.delta(y, a[-1], z[-1])  # eq. 2.4.0
        for i in reversed(range(len(w) - 1)):
            delta[i] = (delta[i + 1] @ w[i + 1].T) * f[i].prime(z[i], a[i + 1])  # eq. 2.4.1
        n = len(x)
        # Batch means. The post's published code summed dJ/dw (PublishedMSE keeps that).
        n_w = 1 if loss.sums_weight_gradients else n
        grad_w = [a[i].T @ delta[i] / n_w + l2 * w[i] for i in range(len(w))]  # eq. 2.4.2
        grad_b = [delta[i].sum(axis=0) / n for i in range(len(w))]  # eq. 2.4.3
        return grad_w, grad_b

    def gradients(self, x, y_true, loss, l2=0.0, backprop=None):
        """:meth:`backprop` for any inputs and targets: validated first.

        Parameters
        ----------
        x : array-like of shape (n_samples, n_features)
        y_true : array-like of shape (n_samples, n_outputs) or (n_samples,)
            One-hot targets, or integer labels.
        loss : str, Loss class or Loss instance
        l2 : float, default=0.0
        backprop : callable, optional
            Another function with :meth:`backprop`'s signature, called as
            ``backprop(self, x, y, loss, l2)``: a learner's edit (:mod:`mlp.usercode`).

        Returns
        -------
        grad_w, grad_b : list of ndarray
        """
        x = as_features(x, self.n_inputs)
        y = as_targets(y_true, len(x), self.dimensions[-1])
        l2 = check_float(l2, "l2", low=0.0, low_inclusive=True)
        with np.errstate(over="ignore"):
            loss = get_loss(loss, self.activations[-1])
            return self.backprop(x, y, loss, l2) if backprop is None else backprop(self, x, y, loss, l2)

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
        options.setdefault("seed", self.rng)
        verbose = options.pop("verbose", False)
        trainer = Trainer(
            self, x, y_true, loss=loss, batch_size=batch_size, learning_rate=learning_rate, **options
        )
        self.loss = trainer.loss  # the model records what it was trained with
        if not trainer.run_to_the_end(epochs, verbose):
            raise KeyboardInterrupt(
                f"training stopped by Ctrl-C {trainer.position()}; the weights are those of that step"
            )
        return trainer.history

    def __repr__(self):
        names = ", ".join(f.name for f in self.activations)
        return f"Network({self.dimensions}, ({names}))"
