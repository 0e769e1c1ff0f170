"""Input checks shared by the network, the trainer, the session and the model file.

Every check raises :class:`ValueError` with the offending value in the message,
before any state changes, so a bad call never leaves a half-updated network.
"""

import math
import numbers

import numpy as np


def as_features(x, n_features, name="x"):
    """Return ``x`` as a finite float64 array of shape (n_samples, n_features).

    Parameters
    ----------
    x : array-like
        Inputs, one sample per row.
    n_features : int
        The width of the network's input layer.
    name : str, default="x"
        How to call the array in error messages.

    Raises
    ------
    ValueError
        If ``x`` is not numeric, not 2-D, empty, has the wrong number of
        columns, or holds NaN or inf.
    """
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    if arr.ndim != 2:
        hint = " (use x.reshape(1, -1) for a single sample)" if arr.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D (n_samples, n_features), got shape {arr.shape}{hint}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} has no samples (shape {arr.shape})")
    if arr.shape[1] != n_features:
        raise ValueError(
            f"{name} has {arr.shape[1]} features per sample, but the network "
            f"takes {n_features}"
        )
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(
            f"{name} contains NaN or inf (first at row {bad[0]}, column {bad[1]}: {arr[tuple(bad)]})"
        )
    return np.ascontiguousarray(arr)


def as_targets(y, n_samples, n_outputs, name="y"):
    """Return targets as a float64 array of shape (n_samples, n_outputs).

    Integer class labels (1-D) are one-hot encoded; 2-D targets are checked.

    Raises
    ------
    ValueError
        On a length that differs from ``x``, labels outside 0..n_outputs-1,
        a width that does not match the output layer, or NaN/inf.
    """
    try:
        arr = np.asarray(y)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"dtype {arr.dtype}")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    if arr.shape[:1] != (n_samples,):
        raise ValueError(
            f"x and {name} have different lengths: {n_samples} samples in x, "
            f"{arr.shape[0] if arr.ndim else 'a scalar'} in {name}"
        )
    if arr.ndim == 1:
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains NaN or inf")
        labels = arr.astype(np.int64)
        if (labels != arr).any() or labels.min() < 0 or labels.max() >= n_outputs:
            bad = arr[(labels != arr) | (labels < 0) | (labels >= n_outputs)][0].item()
            raise ValueError(
                f"{name} holds label {bad!r}, but the output layer has {n_outputs} units, "
                f"so labels must be integers in 0..{n_outputs - 1}"
            )
        return one_hot(labels, n_outputs)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 1-D labels or 2-D targets, got shape {arr.shape}")
    if arr.shape[1] != n_outputs:
        raise ValueError(
            f"{name} has width {arr.shape[1]}, but the output layer has {n_outputs} units"
        )
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or inf")
    return np.ascontiguousarray(arr)


def one_hot(labels, n_classes):
    """Encode integer labels 0..n_classes-1 as rows of an identity matrix."""
    out = np.zeros((len(labels), n_classes))
    out[np.arange(len(labels)), labels] = 1.0
    return out


def is_one_hot(y):
    """True when every row of ``y`` is a one-hot vector (so accuracy makes sense)."""
    return bool(y.ndim == 2 and np.isin(y, (0.0, 1.0)).all() and (y.sum(axis=1) == 1).all())


def check_int(value, name, low, high=None):
    """Return ``value`` as an int in ``low..high`` or raise a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        upper = f" and <= {high}" if high is not None else ""
        raise ValueError(f"{name} must be >= {low}{upper}, got {value!r}")
    return int(value)


def check_float(value, name, low=None, high=None, low_inclusive=False):
    """Return ``value`` as a finite float in range or raise a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (number < low or (number == low and not low_inclusive)):
        op = ">=" if low_inclusive else ">"
        raise ValueError(f"{name} must be {op} {low:g}, got {value!r}")
    if high is not None and number > high:
        raise ValueError(f"{name} must be <= {high:g}, got {value!r}")
    return number


def check_per_feature(value, name, n_features, positive=False):
    """Return a finite float, or a finite float array of shape (n_features,), or raise naming it.

    For per-feature input normalisation (a mean, a 1 / std) or one number for all.
    """
    arr = np.asarray(value, dtype=np.float64) if not isinstance(value, bool) else np.asarray(np.nan)
    if arr.ndim == 0:
        return check_float(float(arr), name, low=0.0 if positive else None)
    if arr.shape != (n_features,):
        raise ValueError(f"{name} must be one number or one per feature ({n_features}), got shape {arr.shape}")
    if not np.isfinite(arr).all() or (positive and (arr <= 0).any()):
        raise ValueError(f"{name} must be finite{' and positive' if positive else ''} for every feature")
    return arr


def make_rng(seed):
    """Return a ``numpy.random.Generator`` from an int seed, a Generator or None.

    The global NumPy RNG is never used: the same seed always gives the same
    weights and the same training run.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng(check_int(seed, "seed", 0))
