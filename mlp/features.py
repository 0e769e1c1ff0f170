"""Input features of a two-dimensional point, as TensorFlow Playground offers them.

A network given only ``x1`` and ``x2`` must build every curve out of its
hidden units; given ``x1²`` and ``x2²`` it can draw the circles with a single
unit, and ``x1·x2`` alone separates the XOR quadrants. Switching features on
and off shows how much of a model's work is in the features it is handed.

The network keeps the names of the features it was built on
(:attr:`mlp.network.Network.input_features`) and computes them itself, first
thing in its forward pass, so a model still takes the raw point ``(x1, x2)``
in CPython and in the page alike, and its model file says which it uses.
"""

import numpy as np

RAW = ("x1", "x2")
"""The coordinates every feature is computed from."""

FEATURES = {
    "x1": ("x₁", lambda x1, x2: x1),
    "x2": ("x₂", lambda x1, x2: x2),
    "x1^2": ("x₁²", lambda x1, x2: x1 * x1),
    "x2^2": ("x₂²", lambda x1, x2: x2 * x2),
    "x1*x2": ("x₁·x₂", lambda x1, x2: x1 * x2),
    "sin(x1)": ("sin x₁", lambda x1, x2: np.sin(x1)),
    "sin(x2)": ("sin x₂", lambda x1, x2: np.sin(x2)),
}
"""Registry: name -> (how the page writes it, function of the two coordinates)."""

DEFAULT = ["x1", "x2"]
"""The point as it is: what a network sees unless told otherwise."""


def check_features(names):
    """Return ``names`` as a list, or raise ValueError naming the problem.

    At least one feature, each known and named once.
    """
    if isinstance(names, str) or not hasattr(names, "__iter__"):
        raise ValueError(f"input_features must be a list of feature names, got {names!r}")
    names = list(names)
    if not names:
        raise ValueError("input_features needs at least one feature")
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"unknown input feature {name!r}; choose from {', '.join(FEATURES)}")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"input feature {repeated[0]!r} is listed more than once")
    return names


def compute_features(x, names):
    """The named features of points ``x``.

    Parameters
    ----------
    x : ndarray of shape (n_samples, 2)
        Raw points, columns ``x1`` and ``x2``.
    names : list of str
        Keys of :data:`FEATURES`, in the order the network's inputs take them.

    Returns
    -------
    ndarray of shape (n_samples, len(names))
    """
    x1, x2 = x[:, 0], x[:, 1]
    return np.column_stack([FEATURES[name][1](x1, x2) for name in names])
