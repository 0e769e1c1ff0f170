"""Data: what a dataset is, its compact file format and its splits.

A :class:`Dataset` holds samples and integer labels, and the facts about them
that the rest of the package reads instead of assuming them: the number of
features, the class names, the range of the feature values, the kind of data
(an ``image`` of a given shape, ``tabular`` rows, ``plane`` points). The
network's input and output sizes, the input scaling, the page's form, the
model file's record of its data and the checks on a user's own samples all
come from there.

``build.py`` writes each dataset to ``dist/data/`` as one small binary file
(the features row-major, then the labels as uint8) described by an entry in
``datasets.json``. The browser fetches those bytes and hands them to
:func:`decode_dataset`, so CPython and the page read the very same file.
"""

import hashlib
import json
from pathlib import Path

import numpy as np

from .validation import check_float, make_rng

DATASET_FORMAT = "mlp-from-scratch/dataset"
KINDS = ("image", "tabular", "plane")
PIXELS = ("grey", "counts")
"""What an image's values are: grey levels (MNIST), or the 8x8 digits' counts of inked 4x4 blocks of a
32x32 bitmap (optdigits). Augmentation and the drawing pad make new images of the same kind."""

DIGITS = {
    "name": "digits",
    "title": "Handwritten digits, 8x8",
    "noun": "digits",
    "kind": "image",
    "task": "classification",
    "classes": [str(d) for d in range(10)],
    "feature_range": [0, 16],
    "image_shape": [8, 8],
    "pixels": "counts",
    "source": "UCI optdigits via scikit-learn load_digits (8x8 counts 0..16 of a 32x32 bitmap)",
    "licence": "CC BY 4.0",
}
"""The digits' own entry: everything about them except the samples."""

# Bytes per value of the feature dtypes a dataset file may use (little-endian).
_DTYPES = {"uint8": np.dtype("u1"), "float64": np.dtype("<f8")}


TASKS = ("classification", "regression")


class Dataset:
    """Samples, their labels or targets, and what they are.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class indices ``0..len(classes) - 1`` for classification; real
        targets for regression.
    name : str
        The registry name: the same string in the manifest, the model file,
        the worker's messages and the page.
    classes : list of str, optional
        The name of each class, in label order (classification only).
    feature_range : (float, float), optional
        The smallest and largest value a feature can take; the data's own
        range by default.
    kind : {"image", "tabular", "plane"}, default="tabular"
    task : {"classification", "regression"}, default="classification"
    image_shape : (int, int), optional
        Rows and columns, for images.
    feature_names : list of str, optional
        One per feature; ``x1, x2, ...`` by default.
    target_name : str, default="target"
        What a regression target is called.
    title, noun, source, licence : str, optional
        For people: what the data is, what to call its samples in a
        sentence ("digits"), and where it came from.

    Raises
    ------
    ValueError
        If the samples do not match the description (a label outside the
        classes, a value outside the range, an image shape that does not
        multiply out to the number of features, NaN).
    """

    def __init__(self, x, y, *, name, classes=None, feature_range=None, kind="tabular", task="classification",
                 image_shape=None, pixels=None, feature_names=None, target_name="target", title=None, noun=None,
                 source=None, licence=None):
        self.x = np.asarray(x, dtype=np.float64)
        self.task = task
        self.y = np.asarray(y, dtype=np.float64 if task == "regression" else np.int64)
        self.name = str(name)
        self.classes = None if classes is None else [str(c) for c in classes]
        if feature_range is None and self.x.size:
            feature_range = [float(self.x.min()), float(self.x.max())]
        self.feature_range = [float(v) for v in feature_range or (0.0, 0.0)]
        self.kind = kind
        self.image_shape = None if image_shape is None else [int(v) for v in image_shape]
        self.pixels = None if kind != "image" else (pixels or "grey")
        width = self.x.shape[1] if self.x.ndim == 2 else 0
        self.feature_names = [str(f) for f in feature_names] if feature_names is not None else [
            f"x{i + 1}" for i in range(width)
        ]
        self.target_name = str(target_name)
        self.title = title or self.name
        self.noun = noun or "samples"
        self.source = source
        self.licence = licence
        self.origin = None  # where the samples came from, to load them again (mlp.export); set by who makes them
        self.csv = None  # for a CSV file, the mlp.read_csv options that read its rows so (a model file keeps them)
        self._check()

    def _check(self):
        where = f"dataset {self.name!r}"
        if self.task not in TASKS:
            raise ValueError(f"{where}: task must be one of {', '.join(TASKS)}, got {self.task!r}")
        if self.kind not in KINDS:
            raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if self.x.ndim != 2 or self.y.shape != (len(self.x),) or len(self.x) == 0:
            raise ValueError(f"{where}: needs x of shape (n_samples, n_features) and one label per sample, "
                             f"got x {self.x.shape} and y {self.y.shape}")
        if len(self.feature_names) != self.n_features:
            raise ValueError(f"{where}: {len(self.feature_names)} feature names for {self.n_features} features")
        if self.task == "classification":
            if self.classes is None or len(self.classes) < 2:
                raise ValueError(f"{where}: needs at least 2 classes, got {self.classes}")
            if self.y.min() < 0 or self.y.max() >= len(self.classes):
                raise ValueError(f"{where}: labels must be 0..{len(self.classes) - 1}, one per class, "
                                 f"got {self.y.min()}..{self.y.max()}")
        else:
            if self.classes is not None:
                raise ValueError(f"{where}: a regression dataset has targets, not classes")
            if not np.isfinite(self.y).all():
                raise ValueError(f"{where}: targets contain NaN or inf")
        low, high = self.feature_range
        if not low < high:
            raise ValueError(f"{where}: feature_range must be (low, high) with low < high, got {self.feature_range}")
        if not np.isfinite(self.x).all():
            raise ValueError(f"{where}: features contain NaN or inf")
        if self.x.min() < low or self.x.max() > high:
            raise ValueError(f"{where}: features span {self.x.min():g}..{self.x.max():g}, "
                             f"outside its feature_range {low:g}..{high:g}")
        if self.image_shape is not None and int(np.prod(self.image_shape)) != self.n_features:
            raise ValueError(f"{where}: image_shape {self.image_shape} does not hold {self.n_features} features")
        if self.kind == "image" and self.image_shape is None:
            raise ValueError(f"{where}: an image dataset needs an image_shape")
        if self.kind == "image" and self.pixels not in PIXELS:
            raise ValueError(f"{where}: pixels must be one of {', '.join(PIXELS)}, got {self.pixels!r}")

    @property
    def n_features(self):
        return self.x.shape[1]

    @property
    def n_classes(self):
        """Number of classes; 0 for regression."""
        return 0 if self.classes is None else len(self.classes)

    @property
    def n_outputs(self):
        """Output units a network for this data needs: one per class, or one target."""
        return self.n_classes or 1

    @property
    def input_scale(self):
        """The factor that maps the feature range into -1..1 (0..1 for non-negative data)."""
        low, high = self.feature_range
        return 1.0 / max(abs(low), abs(high))

    def describe(self):
        """What the page reads about the data, and what a model records about it.

        A JSON-ready dict: name, title, noun, kind, task, n_features,
        feature_names, classes (null for regression), target_name (regression),
        feature_range and image_shape.
        """
        info = {
            "name": self.name,
            "title": self.title,
            "noun": self.noun,
            "kind": self.kind,
            "task": self.task,
            "n_features": self.n_features,
            "feature_names": list(self.feature_names),
            "classes": None if self.classes is None else list(self.classes),
            "feature_range": list(self.feature_range),
            "image_shape": self.image_shape,
        }
        if self.kind == "image":
            info["pixels"] = self.pixels
        if self.task == "regression":
            info["target_name"] = self.target_name
        return info

    def record(self):
        """What a model file records about the data it was trained on.

        The describe() fields less ``n_features`` and ``classes``, which the
        model file holds already (its input width, its ``classes``); for a
        CSV file, ``csv``: how its rows were read (:func:`mlp.csvfile.read_csv`'s
        options: the label, the task, the columns ignored and each one-hot
        column's categories), so a row means the same to every reader of the model.
        """
        record = {k: v for k, v in self.describe().items() if k not in ("n_features", "classes")}
        if self.csv is not None:
            record["csv"] = json.loads(json.dumps(self.csv))
        return record

    def __repr__(self):
        what = f"{self.n_classes} classes" if self.classes is not None else f"target {self.target_name!r}"
        return f"Dataset({self.name!r}, {len(self.x)} samples x {self.n_features} features, {what})"


def _number(value):
    """An int when whole (so 0..16 reads as integers in JSON), else a float."""
    return int(value) if float(value).is_integer() else float(value)


def encode_dataset(dataset):
    """Pack a :class:`Dataset` into bytes and its manifest entry.

    Features are stored as uint8 when they are all integers in 0..255, else
    as little-endian float64; class labels as uint8, regression targets as
    little-endian float64.

    Returns
    -------
    blob : bytes
    entry : dict
        The dataset's description plus the file's name, size, layout and sha256.
    """
    x, y = dataset.x, dataset.y
    dtype = "uint8" if np.array_equal(x, np.clip(np.rint(x), 0, 255)) else "float64"
    target_dtype = "float64" if dataset.task == "regression" else "uint8"
    if dataset.n_classes > 256:
        raise ValueError(f"dataset {dataset.name!r}: at most 256 classes fit the file format, got {dataset.n_classes}")
    blob = x.astype(_DTYPES[dtype]).tobytes() + y.astype(_DTYPES[target_dtype]).tobytes()
    entry = {
        "format": DATASET_FORMAT,
        **dataset.describe(),
        "feature_range": [_number(v) for v in dataset.feature_range],
        "source": dataset.source,
        "licence": dataset.licence,
        "file": f"{dataset.name}.bin",
        "n_samples": int(len(x)),
        "dtype": dtype,
        "target_dtype": target_dtype,
        "layout": f"features row-major as {dtype}, then one {'label' if target_dtype == 'uint8' else 'target'} "
                  f"per sample as {target_dtype}",
        "bytes": len(blob),
        "sha256": hashlib.sha256(blob).hexdigest(),
    }
    return blob, entry


ENTRY_FACTS = ("classes", "kind", "task", "image_shape", "pixels", "feature_names", "target_name", "title", "noun",
               "source", "licence")
"""The Dataset arguments a manifest entry carries besides its samples."""


def decode_dataset(blob, entry):
    """Unpack bytes written by :func:`encode_dataset`, checking them against the entry.

    Parameters
    ----------
    blob : bytes-like
    entry : dict or str
        The manifest entry (or its JSON text).

    Returns
    -------
    Dataset

    Raises
    ------
    ValueError
        If the bytes do not match the entry (size, sha256), or the entry is malformed.
    """
    if isinstance(entry, str):
        entry = json.loads(entry)
    blob = bytes(blob)
    name = entry.get("name", "?")
    try:
        n, d, dtype = int(entry["n_samples"]), int(entry["n_features"]), _DTYPES[entry["dtype"]]
        target_dtype = _DTYPES[entry.get("target_dtype", "uint8")]
        feature_range, digest = entry["feature_range"], entry["sha256"]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"dataset {name!r}: manifest entry has a missing or bad field ({exc!r})") from None
    expected = n * d * dtype.itemsize + n * target_dtype.itemsize
    if len(blob) != expected:
        raise ValueError(
            f"dataset {name!r}: file has {len(blob)} bytes, the manifest promises "
            f"{n} samples x {d} features of {entry['dtype']} + {n} targets = {expected}"
        )
    actual = hashlib.sha256(blob).hexdigest()
    if actual != digest:
        raise ValueError(f"dataset {name!r} is corrupted: its sha256 is {actual}, the manifest says {digest}")
    x = np.frombuffer(blob, dtype=dtype, count=n * d).reshape(n, d).astype(np.float64)
    y = np.frombuffer(blob, dtype=target_dtype, offset=n * d * dtype.itemsize)
    facts = {k: entry[k] for k in ENTRY_FACTS if k in entry}
    dataset = Dataset(x, y, name=name, feature_range=feature_range, **facts)
    dataset.origin = {"kind": "file", "entry": json.loads(json.dumps(entry))}
    return dataset


def read_dataset(data_dir, name="digits"):
    """Read a dataset exported by ``build.py`` from ``data_dir`` (a folder with ``datasets.json``)."""
    data_dir = Path(data_dir)
    manifest = json.loads((data_dir / "datasets.json").read_text())
    entries = {e["name"]: e for e in manifest["datasets"]}
    if name not in entries:
        raise ValueError(f"no dataset {name!r} in {data_dir}; it has {sorted(entries)}")
    entry = entries[name]
    return decode_dataset((data_dir / entry["file"]).read_bytes(), entry)


def train_test_split(x, y, test_size=0.25, seed=0, stratify=True):
    """Split into training and held-out parts; stratified, each class keeps its share in both.

    Parameters
    ----------
    x : ndarray of shape (n_samples, ...)
    y : ndarray of shape (n_samples,)
        Integer labels (or regression targets, with ``stratify=False``).
    test_size : float, default=0.25
        Fraction held out, in (0, 1).
    seed : int or Generator, default=0
    stratify : bool, default=True
        False for regression: one random share of all samples is held out.

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
    for label in np.unique(y) if stratify else [None]:
        if label is None:
            members = rng.permutation(len(y))
            test_idx.append(members[: int(round(test_size * len(y)))])
            continue
        members = rng.permutation(np.flatnonzero(y == label))
        test_idx.append(members[: int(round(test_size * len(members)))])
    test_mask = np.zeros(len(y), dtype=bool)
    test_mask[np.concatenate(test_idx)] = True
    train = rng.permutation(np.flatnonzero(~test_mask))
    test = rng.permutation(np.flatnonzero(test_mask))
    return x[train], x[test], y[train], y[test]
