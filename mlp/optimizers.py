"""Optimizers: how a gradient becomes a step on the parameters.

The 2017 post uses plain minibatch SGD, ``w -= eta * dJ/dw`` (section 2.4,
"updating weights and biases"). Momentum and Adam are added here. Each
optimizer owns its state (velocities, moments, step count) and updates the
parameter arrays in place, so the network never reallocates its weights.

``update(params, grads)`` may overwrite ``grads``: they are scratch buffers
that the training loop refills on every batch.
"""

import math

import numpy as np

from .kernel import KERNEL, fits


class Optimizer:
    """Base class: holds the learning rate; subclasses implement ``update``.

    Attributes
    ----------
    step_factor : float or None
        Set when the step is a fixed multiple of the gradient, as in plain
        SGD (``-learning_rate``). The trainer then has backprop produce the
        steps themselves (:meth:`mlp.workspace.Workspace.backprop`'s
        ``factor``) and adds them, one pass over the parameters instead of
        two. None for optimizers with state, which implement ``update``.
    """

    name = ""
    step_factor = None

    def __init__(self, params, learning_rate=1e-3):
        self.learning_rate = float(learning_rate)

    def update(self, params, grads):
        """Take one step. ``params`` and ``grads`` are matching lists of arrays."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(learning_rate={self.learning_rate!r})"


class SGD(Optimizer):
    """Plain gradient descent, ``p -= eta * g`` (the post's update).

    It has no state and no ``update``: the step is ``-eta`` times the
    gradient, which the trainer folds into backprop (see ``step_factor``).
    """

    name = "sgd"

    @property
    def step_factor(self):
        return -self.learning_rate


class Momentum(Optimizer):
    """SGD with (optionally Nesterov) momentum.

    ``v = mu v - eta g``, then ``p += v`` (classical) or
    ``p += mu v - eta g`` (Nesterov, the look-ahead form scikit-learn uses).

    Parameters
    ----------
    params : list of ndarray
        The parameters this optimizer will update; sets the state's shapes.
    learning_rate : float, default=1e-3
    momentum : float, default=0.9
    nesterov : bool, default=False
    """

    name = "momentum"

    def __init__(self, params, learning_rate=1e-3, momentum=0.9, nesterov=False):
        super().__init__(params, learning_rate)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.velocities = [np.zeros_like(p) for p in params]

    def update(self, params, grads):
        lr, mu = self.learning_rate, self.momentum
        for p, g, v in zip(params, grads, self.velocities, strict=True):
            g *= lr
            v *= mu
            v -= g
            if self.nesterov:
                p += mu * v
                p -= g
            else:
                p += v


class Nesterov(Momentum):
    """Momentum with Nesterov's look-ahead, under its own name."""

    name = "nesterov"

    def __init__(self, params, learning_rate=1e-3, momentum=0.9):
        super().__init__(params, learning_rate, momentum, nesterov=True)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2014), in the bias-corrected step-size form.

    ``m = b1 m + (1 - b1) g``; ``v = b2 v + (1 - b2) g^2``;
    ``p -= eta_t m / (sqrt(v) + eps)`` with
    ``eta_t = eta sqrt(1 - b2^t) / (1 - b1^t)``.

    Parameters
    ----------
    params : list of ndarray
    learning_rate : float, default=1e-3
    beta_1 : float, default=0.9
    beta_2 : float, default=0.999
    epsilon : float, default=1e-8
    """

    name = "adam"

    def __init__(self, params, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        super().__init__(params, learning_rate)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self.t = 0
        self.ms = [np.zeros_like(p) for p in params]
        self.vs = [np.zeros_like(p) for p in params]
        self._scratch = [np.empty_like(p) for p in params]

    def update(self, params, grads):
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        # A Python float, so that float32 parameters take it rounded to float32, as every other coefficient.
        step = self.learning_rate * math.sqrt(1.0 - b2**self.t) / (1.0 - b1**self.t)
        for p, g, m, v, s in zip(params, grads, self.ms, self.vs, self._scratch, strict=True):
            if KERNEL is not None and fits(p, g):  # the page: the same operations in one SIMD pass
                KERNEL.adam(p, g, m, v, b1, b2, self.epsilon, step)
                continue
            m *= b1
            np.multiply(g, 1.0 - b1, out=s)
            m += s
            v *= b2
            np.multiply(g, g, out=s)
            s *= 1.0 - b2
            v += s
            np.sqrt(v, out=s)
            s += self.epsilon
            np.divide(m, s, out=s)
            s *= step
            p -= s


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Nesterov, Adam)}
"""Registry: lowercase name -> optimizer class."""


def get_optimizer(spec, params, learning_rate):
    """Build an optimizer for ``params`` from a registered name or a class.

    Raises
    ------
    ValueError
        If the name is unknown.
    """
    if isinstance(spec, Optimizer):
        return spec
    if isinstance(spec, str):
        if spec not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {spec!r}; choose one of {sorted(OPTIMIZERS)}")
        spec = OPTIMIZERS[spec]
    if not (isinstance(spec, type) and issubclass(spec, Optimizer)):
        raise ValueError(f"optimizer must be a name or an Optimizer class, got {spec!r}")
    return spec(params, learning_rate=learning_rate)


SCHEDULES = {
    "constant": lambda progress: 1.0,
    "cosine": lambda progress: 0.5 * (1.0 + math.cos(math.pi * progress)),
}
"""Learning-rate schedules: name -> the factor on the learning rate, given the
share of the run's epochs already done (0 at the start, up to (E-1)/E in the
last of E epochs). ``cosine`` (Loshchilov and Hutter's SGDR, without restarts)
takes big steps early and ever smaller ones as the weights settle."""


def schedule_factor(name, epoch, epochs):
    """The learning-rate factor for ``epoch`` (0-based) of ``epochs`` under schedule ``name``."""
    if name not in SCHEDULES:
        raise ValueError(f"unknown schedule {name!r}; choose one of {sorted(SCHEDULES)}")
    return SCHEDULES[name](epoch / epochs)
