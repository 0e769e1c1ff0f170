"""Data: the digits set, its compact file format, splits and augmentation.

The digits are UCI optdigits as shipped by scikit-learn: 1797 images of 8x8
pixels, each pixel a count 0..16 of "on" pixels in a 4x4 block of a 32x32
bitmap, and a label 0..9.

``build.py`` writes them to ``dist/data/`` as one small binary file (all the
images as uint8, row-major, then all the labels as uint8) described by an
entry in ``datasets.json``. The browser fetches those bytes and hands them to
:func:`decode_dataset`, so CPython and the page read the very same file.
"""

import hashlib
import json
from pathlib import Path

import numpy as np

from .validation import check_float, make_rng

DIGITS_MAX = 16
"""Largest pixel value of the digits; ``input_scale = 1 / DIGITS_MAX`` maps them to 0..1."""

DATASET_FORMAT = "mlp-from-scratch/dataset"


def encode_dataset(x, y, *, name, image_shape, source):
    """Pack a uint8 dataset into bytes and a manifest entry.

    Parameters
    ----------
    x : ndarray of shape (n_samples, n_features), values 0..255
    y : ndarray of shape (n_samples,), integer labels 0..255
    name : str
    image_shape : tuple of int
    source : str
        Where the data came from, for the manifest.

    Returns
    -------
    blob : bytes
    entry : dict
        Name, shape, classes, image shape, byte layout, sha256 and source.
    """
    x8, y8 = np.asarray(x).astype(np.uint8), np.asarray(y).astype(np.uint8)
    if not (np.array_equal(x8, x) and np.array_equal(y8, y)):
        raise ValueError("encode_dataset needs integer values in 0..255")
    blob = x8.tobytes() + y8.tobytes()
    entry = {
        "format": DATASET_FORMAT,
        "name": name,
        "file": f"{name}.bin",
        "n_samples": int(x8.shape[0]),
        "n_features": int(x8.shape[1]),
        "image_shape": list(image_shape),
        "classes": sorted(int(c) for c in np.unique(y8)),
        "max_value": int(x8.max()),
        "dtype": "uint8",
        "layout": "images row-major, then labels",
        "bytes": len(blob),
        "sha256": hashlib.sha256(blob).hexdigest(),
        "source": source,
    }
    return blob, entry


def decode_dataset(blob, entry):
    """Unpack bytes written by :func:`encode_dataset`, checking size and sha256.

    Returns
    -------
    x : ndarray of shape (n_samples, n_features), float64
    y : ndarray of shape (n_samples,), int64

    Raises
    ------
    ValueError
        If the bytes do not match the manifest entry.
    """
    blob = bytes(blob)
    n, d = entry["n_samples"], entry["n_features"]
    if len(blob) != n * (d + 1):
        raise ValueError(
            f"dataset {entry['name']!r}: file has {len(blob)} bytes, the manifest "
            f"promises {n} samples x {d} features + {n} labels = {n * (d + 1)}"
        )
    digest = hashlib.sha256(blob).hexdigest()
    if digest != entry["sha256"]:
        raise ValueError(
            f"dataset {entry['name']!r} is corrupted: its sha256 is {digest}, "
            f"the manifest says {entry['sha256']}"
        )
    data = np.frombuffer(blob, dtype=np.uint8)
    x = data[: n * d].reshape(n, d).astype(np.float64)
    y = data[n * d :].astype(np.int64)
    return x, y


def read_dataset(data_dir, name="digits"):
    """Read a dataset exported by ``build.py`` from ``data_dir``."""
    data_dir = Path(data_dir)
    manifest = json.loads((data_dir / "datasets.json").read_text())
    entries = {e["name"]: e for e in manifest["datasets"]}
    if name not in entries:
        raise ValueError(f"no dataset {name!r} in {data_dir}; it has {sorted(entries)}")
    entry = entries[name]
    return decode_dataset((data_dir / entry["file"]).read_bytes(), entry)


def load_digits(data_dir=None):
    """The 1797 8x8 digits, as ``(x, y)`` with x in 0..16 and y in 0..9.

    Parameters
    ----------
    data_dir : str or Path, optional
        A folder holding ``datasets.json`` from ``build.py``. When omitted,
        scikit-learn's copy is used if scikit-learn is installed, else
        ``dist/data`` under the current folder.
    """
    if data_dir is None:
        try:
            from sklearn.datasets import load_digits as sklearn_digits
        except ImportError:
            data_dir = Path("dist") / "data"
            if not (data_dir / "datasets.json").exists():
                raise ValueError(
                    "no digits available: install scikit-learn, or run `python build.py` "
                    "and pass data_dir='dist/data'"
                ) from None
        else:
            bunch = sklearn_digits()
            return bunch.data.astype(np.float64), bunch.target.astype(np.int64)
    return read_dataset(data_dir, "digits")


def train_test_split(x, y, test_size=0.25, seed=0):
    """Stratified split: each class keeps its share in both parts.

    Parameters
    ----------
    x : ndarray of shape (n_samples, ...)
    y : ndarray of shape (n_samples,), integer labels
    test_size : float, default=0.25
        Fraction held out, in (0, 1).
    seed : int or Generator, default=0

    Returns
    -------
    x_train, x_test, y_train, y_test : ndarray
    """
    test_size = check_float(test_size, "test_size", low=0.0, high=0.9)
    y = np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y have different lengths: {len(x)} and {len(y)}")
    rng = make_rng(seed)
    test_idx = []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        test_idx.append(members[: int(round(test_size * len(members)))])
    test_mask = np.zeros(len(y), dtype=bool)
    test_mask[np.concatenate(test_idx)] = True
    train = rng.permutation(np.flatnonzero(~test_mask))
    test = rng.permutation(np.flatnonzero(test_mask))
    return x[train], x[test], y[train], y[test]


def shift_augment(x, y, image_shape=(8, 8)):
    """Add four copies of every image, shifted by one pixel up, down, left, right.

    Handwritten digits are not perfectly centred; showing the network shifted
    copies teaches it that a shift does not change the label. Pixels shifted
    in from the edge are 0 (background).

    Returns
    -------
    x_aug : ndarray of shape (5 * n_samples, n_features)
    y_aug : ndarray of shape (5 * n_samples,)
    """
    h, w = image_shape
    images = np.asarray(x).reshape(-1, h, w)
    copies = [images]
    for axis, step in ((1, -1), (1, 1), (2, -1), (2, 1)):
        shifted = np.roll(images, step, axis=axis)
        edge = 0 if step == 1 else -1
        if axis == 1:
            shifted[:, edge, :] = 0
        else:
            shifted[:, :, edge] = 0
        copies.append(shifted)
    return np.concatenate(copies).reshape(-1, h * w), np.tile(np.asarray(y), 5)
