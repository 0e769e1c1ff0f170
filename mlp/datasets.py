"""The datasets this project knows by name, and where each comes from.

Three families, one name each everywhere (manifest, model file, worker
messages, the page's picker, ``python -m mlp train --dataset NAME``):

- the 8x8 ``digits``, an image dataset;
- four real tabular sets that scikit-learn bundles: ``iris``, ``wine``,
  ``breast_cancer`` (classification) and ``diabetes`` (regression);
- the two-dimensional sets of :mod:`mlp.planes`, generated.

``build.py`` exports the bundled ones with scikit-learn; on the desktop
:func:`load_dataset` takes them from scikit-learn when it is installed, else
from a built site's ``dist/data``. The package itself never needs scikit-learn.
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


def dataset_names():
    """Every name :func:`load_dataset` knows, bundled sets first."""
    return [*BUNDLED, *PLANES]


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
        sets. When omitted, scikit-learn's copy is used if scikit-learn is
        installed, else ``dist/data`` under the current folder.
    **plane_settings
        ``n_points``, ``noise`` and ``seed`` for the two-dimensional sets.

    Returns
    -------
    Dataset
    """
    if name in PLANES:
        return make_plane(name, **plane_settings)
    if name not in BUNDLED:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(dataset_names())}")
    if plane_settings:
        raise ValueError(f"{sorted(plane_settings)} only apply to the two-dimensional datasets, not {name!r}")
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
