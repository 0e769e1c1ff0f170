"""The model file: a versioned JSON document that CPython and the browser share.

Layout (version 2)::

    {
      "format": "mlp-from-scratch/model",
      "version": 2,
      "dimensions": [64, 128, 10],
      "activations": ["relu", "softmax"],      # registry names
      "loss": "cross_entropy",                 # or null if never trained
      "init": "he",
      "precision": "float64",                  # or "float32"; missing means float64
      "input_shift": 0,                        # or one per feature (a training mean)
      "input_scale": 0.0625,                   # or one per feature (1 / a training std)
      "target_shift": 0, "target_scale": 1,    # regression: predictions = output * scale + shift
      "input_features": null,                  # or, for 2-D points, ["x1", "x2", "x1*x2"]
      "weights": [[[...n_out floats...], ...n_in rows], ...one per layer],
      "biases": [[...n_out floats...], ...],
      "classes": ["0", "1", ..., "9"],         # the label of each output unit
      "dataset": {"name": "digits", "kind": "image", "feature_range": [0, 16], ...},
      "metadata": {...}
    }

``dataset`` records what the model was trained on (see
:meth:`mlp.data.Dataset.record`; null when unknown), so that a session on
other data refuses it with a message instead of predicting nonsense.
Version 1 files, which have no ``dataset``, still load. For your own CSV
file, ``dataset["csv"]`` holds how its rows were read, as
:func:`mlp.csvfile.read_csv`'s options::

    "csv": {"name": "houses", "label": "price", "task": "regression",
            "ignore": ["id"], "encode": {"neighbourhood": ["Harbour", "Hill", "Old Town"]}}

so ``read_csv(path, **network.dataset["csv"])`` gives the model's inputs the
same meaning in CPython as in the page: the same columns, and each one-hot
column's categories in the same order. Files written before it, without
``csv``, still load.

``metadata`` holds notes about the model. A session writes its ``config``,
``trained_epochs``, the learner's ``code`` it was made with and the ``steps``
that made it (:attr:`mlp.session.Session.run_steps`), which an export of the
run takes again (:mod:`mlp.export`).

Floats are written with Python's shortest round-trip repr (and read back by
``JSON.parse`` in the browser, which is exact for doubles), so a loaded model
predicts bit for bit like the one that was saved (a float32 model's numbers
are float32 values, written exactly and rounded back to the same float32). Loading validates every
field and names the one that is wrong; nothing is half-loaded.
"""

import json
import math
import re

import numpy as np

from .activations import ACTIVATIONS, needs_code
from .features import check_features
from .losses import LOSSES
from .network import INITIALIZERS, MAX_LAYER_WIDTH, MAX_PARAMETERS, PRECISIONS, Network, count_parameters
from .usercode import PIECES
from .validation import check_per_feature

MODEL_FORMAT = "mlp-from-scratch/model"
MODEL_VERSION = 2
READABLE_VERSIONS = (1, 2)
MAX_LAYERS = 16


class ModelFormatError(ValueError):
    """A model file is malformed; the message names the field."""


def to_dict(network):
    """Describe ``network`` as a JSON-ready dict of plain Python values."""
    return {
        "format": MODEL_FORMAT,
        "version": MODEL_VERSION,
        "dimensions": list(network.dimensions),
        "activations": [f.name for f in network.activations],
        "loss": network.loss.name if network.loss is not None else None,
        "init": network.init,
        "precision": network.precision,
        "input_shift": _plain(network.input_shift),
        "input_scale": _plain(network.input_scale),
        "target_shift": network.target_shift,
        "target_scale": network.target_scale,
        "input_features": network.input_features,
        "weights": [w.tolist() for w in network.weights],
        "biases": [b.tolist() for b in network.biases],
        "classes": list(network.classes),
        "dataset": None if network.dataset is None else dict(network.dataset),
        "metadata": dict(network.metadata),
    }


def _plain(value):
    """A number, or a per-feature array as a list, for JSON."""
    return value.tolist() if isinstance(value, np.ndarray) else value


def dumps(network):
    """The model file's text for ``network``."""
    return json.dumps(to_dict(network), separators=(",", ":"), allow_nan=False)


def save(network, path):
    """Write ``network`` to ``path`` as a model file."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(dumps(network))


def _carried_code(doc):
    """The learner's code a model file carries (``metadata["code"]``: piece -> source), checked; {} if none.

    The page records there the code a model was made with, when the
    learner's code replaced a shipped piece (see :mod:`mlp.edits`). Loading
    never runs it: it is there to read, and for the page to offer to run.
    """
    metadata = doc.get("metadata", {})
    if not isinstance(metadata, dict):
        raise ModelFormatError("model file: 'metadata' must be an object")
    code = metadata.get("code", {})
    if not isinstance(code, dict) or not all(piece in PIECES and isinstance(text, str) for piece, text in code.items()):
        raise ModelFormatError(f"model file: metadata['code'] must map a piece ({', '.join(PIECES)}) to its source text")
    return code


def _field(doc, key, kind):
    if key not in doc:
        raise ModelFormatError(f"model file: missing field {key!r}")
    value = doc[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        want = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ModelFormatError(f"model file: field {key!r} must be {want}, got {type(value).__name__}")
    return value


def _matrix(value, shape, where):
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ModelFormatError(f"model file: {where} must hold only numbers") from None
    if arr.shape != shape:
        raise ModelFormatError(f"model file: {where} has shape {arr.shape}, expected {shape}")
    if not np.isfinite(arr).all():
        raise ModelFormatError(f"model file: {where} contains NaN or inf")
    return arr


def _in_precision(arr, dtype, where):
    """``arr`` in the model's precision; a number too large for it is an error, not an infinity."""
    with np.errstate(over="ignore"):
        cast = arr.astype(dtype, copy=False)
    if not np.isfinite(cast).all():
        raise ModelFormatError(f"model file: {where} holds a number too large for {dtype.name}")
    return cast


def _finite_everywhere(value, where):
    """Refuse NaN and infinity in ``value`` (JSON has neither; Python reads both, and 1e400 as inf),
    naming where: a model must export again as valid JSON, metadata included."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ModelFormatError(f"model file: {where} is {value!r}; a model file holds finite numbers only")
    if isinstance(value, dict):
        for key, item in value.items():
            _finite_everywhere(item, f"{where}[{key!r}]")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _finite_everywhere(item, f"{where}[{i}]")


def _names(values, where, kinds=(str,)):
    """Labels: each one of ``kinds`` (never an object, a list, null or a boolean)."""
    for i, value in enumerate(values):
        if not isinstance(value, kinds) or isinstance(value, bool):
            want = " or ".join("a string" if k is str else "an integer" for k in kinds)
            raise ModelFormatError(f"model file: {where}[{i}] must be {want}, got {value!r}")
    return values


def from_dict(doc):
    """Build a :class:`Network` from a model-file dict, validating every field.

    Raises
    ------
    ModelFormatError
        Naming the field that is missing, of the wrong type or shape, or
        inconsistent with the others.
    """
    if not isinstance(doc, dict):
        raise ModelFormatError(f"model file: expected a JSON object, got {type(doc).__name__}")
    for key, value in doc.items():
        if key not in ("weights", "biases"):  # those: _matrix, which names the array
            _finite_everywhere(value, key)
    if doc.get("format") != MODEL_FORMAT:
        raise ModelFormatError(
            f"model file: field 'format' must be {MODEL_FORMAT!r}, got {doc.get('format')!r}"
        )
    version = _field(doc, "version", int)
    if version not in READABLE_VERSIONS:
        raise ModelFormatError(
            f"model file: version {version} is not supported (this package reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))})"
        )
    dims = _field(doc, "dimensions", list)
    if not 2 <= len(dims) <= MAX_LAYERS + 1:
        raise ModelFormatError(f"model file: 'dimensions' needs 2 to {MAX_LAYERS + 1} layers, got {len(dims)}")
    for i, d in enumerate(dims):
        if not isinstance(d, int) or isinstance(d, bool) or not 1 <= d <= MAX_LAYER_WIDTH:
            raise ModelFormatError(
                f"model file: dimensions[{i}] must be an integer in 1..{MAX_LAYER_WIDTH}, got {d!r}"
            )
    if count_parameters(dims) > MAX_PARAMETERS:
        raise ModelFormatError(
            f"model file: {count_parameters(dims):,} parameters is over the limit of {MAX_PARAMETERS:,}"
        )
    acts = _field(doc, "activations", list)
    if len(acts) != len(dims) - 1:
        raise ModelFormatError(
            f"model file: 'activations' has {len(acts)} entries for {len(dims) - 1} layers"
        )
    carried = _carried_code(doc)
    for i, name in enumerate(acts):
        if not isinstance(name, str) or name not in ACTIVATIONS:
            raise ModelFormatError(
                f"model file: activations[{i}] is {name!r}; known: {sorted(ACTIVATIONS)}"
                + (needs_code(name) if isinstance(name, str) and name.isidentifier() else "")
                + ("; this file carries the code it was made with, in metadata['code']['activation']"
                   if "activation" in carried else "")
            )
    loss = doc.get("loss")
    if loss is not None and (not isinstance(loss, str) or loss not in LOSSES):
        raise ModelFormatError(f"model file: 'loss' is {loss!r}; known: {sorted(LOSSES)}")
    init = doc.get("init", "lecun")
    if not isinstance(init, str) or init not in INITIALIZERS:
        raise ModelFormatError(f"model file: 'init' is {init!r}; known: {sorted(INITIALIZERS)}")
    precision = doc.get("precision", "float64")
    if not isinstance(precision, str) or precision not in PRECISIONS:
        raise ModelFormatError(f"model file: 'precision' is {precision!r}; known: {list(PRECISIONS)}")
    normalisation = {}
    for key, default, positive in (("input_shift", 0.0, False), ("input_scale", None, True),
                                   ("target_shift", 0.0, False), ("target_scale", 1.0, True)):
        value = doc.get(key, default) if default is not None else _field(doc, key, (int, float, list))
        try:
            if key.startswith("target"):
                ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
                if not ok or (positive and value <= 0):
                    raise ValueError(f"must be a {'positive ' if positive else ''}number, got {value!r}")
                normalisation[key] = float(value)
            else:
                normalisation[key] = check_per_feature(value, key, dims[0], positive=positive)
        except (ValueError, TypeError) as exc:
            raise ModelFormatError(f"model file: '{key}' {str(exc).removeprefix(key + ' ')}") from None
    features = doc.get("input_features")
    if features is not None:
        try:
            features = check_features(features)
        except ValueError as exc:
            raise ModelFormatError(f"model file: {exc}") from None
        if len(features) != dims[0]:
            raise ModelFormatError(
                f"model file: 'input_features' has {len(features)} features for {dims[0]} input units"
            )
    weights = _field(doc, "weights", list)
    biases = _field(doc, "biases", list)
    for key, values in (("weights", weights), ("biases", biases)):
        if len(values) != len(dims) - 1:
            raise ModelFormatError(
                f"model file: '{key}' has {len(values)} layers, 'dimensions' implies {len(dims) - 1}"
            )
    ws = [_matrix(w, (dims[i], dims[i + 1]), f"weights[{i}]") for i, w in enumerate(weights)]
    bs = [_matrix(b, (dims[i + 1],), f"biases[{i}]") for i, b in enumerate(biases)]
    classes = _names(_field(doc, "classes", list), "classes", (str, int))  # a Network's default labels are 0..n-1
    if len(classes) != dims[-1]:
        raise ModelFormatError(
            f"model file: 'classes' has {len(classes)} labels for {dims[-1]} output units"
        )
    metadata = doc.get("metadata", {})
    dataset = doc.get("dataset")
    if dataset is not None and not (isinstance(dataset, dict) and isinstance(dataset.get("name"), str)):
        raise ModelFormatError("model file: 'dataset' must be null or an object with a string 'name'")
    for key in ("feature_names", "classes"):
        if dataset is not None and dataset.get(key) is not None:
            if not isinstance(dataset[key], list):
                raise ModelFormatError(f"model file: dataset[{key!r}] must be a list, got {type(dataset[key]).__name__}")
            _names(dataset[key], f"dataset[{key!r}]", (str, int) if key == "classes" else (str,))
    if dataset is not None and dataset.get("csv") is not None:
        _check_csv(dataset["csv"])

    network = Network(dims, acts, init=init, seed=0, input_features=features, precision=precision, **normalisation)
    network.weights = [_in_precision(w, network.dtype, f"weights[{i}]") for i, w in enumerate(ws)]
    network.biases = [_in_precision(b, network.dtype, f"biases[{i}]") for i, b in enumerate(bs)]
    network.classes = classes
    network.dataset = dataset
    network.metadata = metadata
    if loss is not None:
        network.loss = LOSSES[loss](network.activations[-1])
    return network


CSV_OPTIONS = {"name": str, "label": str, "task": str, "ignore": list, "encode": dict}
"""The fields of a model file's ``dataset["csv"]``: :func:`mlp.csvfile.read_csv`'s options, each of its type."""


def _check_csv(options):
    """Check ``dataset["csv"]``: the read_csv options, by name and type, and each encoded column's categories."""
    where = "model file: dataset['csv']"
    if not isinstance(options, dict) or set(options) != set(CSV_OPTIONS):
        got = sorted(options) if isinstance(options, dict) else type(options).__name__
        raise ModelFormatError(f"{where} must be an object with the fields {', '.join(CSV_OPTIONS)}, got {got}")
    for key, kind in CSV_OPTIONS.items():
        if not isinstance(options[key], kind):
            raise ModelFormatError(f"{where}[{key!r}] must be a {kind.__name__}, got {options[key]!r}")
    if options["task"] not in ("classification", "regression"):
        raise ModelFormatError(f"{where}['task'] must be classification or regression, got {options['task']!r}")
    _names(options["ignore"], f"{where[12:]}['ignore']")
    for column, categories in options["encode"].items():
        if not isinstance(categories, list) or not categories or len(set(map(str, categories))) != len(categories):
            raise ModelFormatError(f"{where}['encode'][{column!r}] must be a list of distinct categories, "
                                   f"got {categories!r}")
        _names(categories, f"{where[12:]}['encode'][{column!r}]")


MAX_DEPTH = 32
_TOKENS = re.compile(r'"(?:\\.|[^"\\])*"|[\[\]{}]')


def _check_depth(text):
    """Refuse absurdly nested JSON before parsing it: the parser recurses, and in
    the browser a deep enough file would overflow the stack instead of failing cleanly."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ModelFormatError(f"model file is nested more than {MAX_DEPTH} levels deep")
        elif token in "]}":
            depth -= 1


def loads(text):
    """Parse a model file's text. Raises :class:`ModelFormatError` on bad JSON too."""
    try:
        _check_depth(text)
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise ModelFormatError(f"model file is not valid JSON: {exc}") from None
    return from_dict(doc)


def load(path):
    """Read a model file written by :func:`save` (or by the browser's Export)."""
    with open(path, encoding="utf-8") as fh:
        return loads(fh.read())
