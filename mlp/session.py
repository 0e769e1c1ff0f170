"""The session API that the browser's worker calls (and that build.py uses).

The page never touches NumPy arrays: it sends a config dict and small
requests, and gets back plain Python values (numbers, strings, lists and
dicts), which Pyodide converts to JavaScript cleanly. All the logic lives
here, where CPython tests reach it; the worker's JavaScript is a thin relay.

A :class:`Session` holds the dataset and its held-out split, the current
model (pretrained, trained here or imported) and, while training, a
:class:`~mlp.training.Trainer` that advances in small time-boxed chunks.

Config fields (one name each, shared with the model file and the UI):

==================  ==========================================================
hidden_layers       list of widths, 0..8 layers, each 1..512
activations         one of relu, leaky_relu, tanh, sigmoid per hidden layer
output_activation   softmax or sigmoid
loss                cross_entropy, mse, binary_cross_entropy or published_mse
optimizer           sgd, momentum, nesterov or adam
learning_rate       (0, 10]
l2                  [0, 1]
batch_size          1..2048
epochs              1..1000
init                lecun, xavier or he
scale_inputs        bool: digits 0..16 are mapped to 0..1 (input_scale 1/16)
augment             bool: add 1-pixel shifts of every training image
test_fraction       0.05..0.5, the stratified held-out share
seed                0..2**32-1: split, initial weights and shuffling
==================  ==========================================================
"""

import json
import math
import signal

import numpy as np

from .drawing import EmptyDrawing, digit_to_bitmap, drawing_to_digit
from .data import DIGITS_MAX, decode_dataset, read_dataset, shift_augment, train_test_split
from .gradcheck import gradient_check
from .metrics import classification_report, confusion_matrix
from .network import Network
from .serialization import ModelFormatError, dumps, from_dict, loads, to_dict
from .training import Trainer, TrainingDiverged

CONFIG_SCHEMA = {
    "hidden_layers": {"type": "int_list", "min": 1, "max": 512, "max_length": 8, "default": [256]},
    "activations": {
        "type": "choice_list",
        "choices": ["relu", "leaky_relu", "tanh", "sigmoid"],
        "default": ["relu"],
    },
    "output_activation": {"type": "choice", "choices": ["softmax", "sigmoid"], "default": "softmax"},
    "loss": {
        "type": "choice",
        "choices": ["cross_entropy", "mse", "binary_cross_entropy", "published_mse"],
        "default": "cross_entropy",
    },
    "optimizer": {
        "type": "choice",
        "choices": ["sgd", "momentum", "nesterov", "adam"],
        "default": "adam",
    },
    "learning_rate": {"type": "float", "min": 0, "min_exclusive": True, "max": 10, "default": 2e-3},
    "l2": {"type": "float", "min": 0, "max": 1, "default": 3e-4},
    "batch_size": {"type": "int", "min": 1, "max": 2048, "default": 64},
    "epochs": {"type": "int", "min": 1, "max": 1000, "default": 40},
    "init": {"type": "choice", "choices": ["lecun", "xavier", "he"], "default": "lecun"},
    "scale_inputs": {"type": "bool", "default": True},
    "augment": {"type": "bool", "default": True},
    "test_fraction": {"type": "float", "min": 0.05, "max": 0.5, "default": 0.25},
    "seed": {"type": "int", "min": 0, "max": 2**32 - 1, "default": 0},
}
"""Every config field with its type, range and default. The page reads this
to build its form validation, so both sides enforce the same rules."""

PRESETS = {
    "recommended": {name: spec["default"] for name, spec in CONFIG_SCHEMA.items()},
    # The 2017 post: 64-15-10, relu/sigmoid, its MSE, plain SGD, lr 1e-3,
    # batch 15, 100 epochs, raw 0..16 inputs, no augmentation.
    "post_2017": {
        "hidden_layers": [15],
        "activations": ["relu"],
        "output_activation": "sigmoid",
        "loss": "published_mse",
        "optimizer": "sgd",
        "learning_rate": 1e-3,
        "l2": 0.0,
        "batch_size": 15,
        "epochs": 100,
        "init": "lecun",
        "scale_inputs": False,
        "augment": False,
        "test_fraction": 0.25,
        "seed": 0,
    },
}

VALID_OUTPUTS = {
    ("softmax", "cross_entropy"),
    ("softmax", "mse"),
    ("sigmoid", "mse"),
    ("sigmoid", "binary_cross_entropy"),
    ("sigmoid", "published_mse"),
}

MAX_PARAMETERS = 1_000_000
"""Size budget for a network trained in the page (about 8 MB of float64
weights, times ~4 with gradients and optimizer state)."""


class ConfigError(ValueError):
    """A config has invalid fields. ``errors`` maps each field to its message."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def _check_field(name, spec, value):
    kind = spec["type"]
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, got {value!r}")
        return value
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number, got {value!r}")
        if kind == "int" and not float(value).is_integer():
            raise ValueError(f"must be a whole number, got {value!r}")
        low, high = spec["min"], spec["max"]
        too_low = value <= low if spec.get("min_exclusive") else value < low
        if too_low or value > high:
            left = "(" if spec.get("min_exclusive") else "["
            raise ValueError(f"must be in {left}{low}, {high}], got {value!r}")
        return int(value) if kind == "int" else float(value)
    if kind == "choice":
        if value not in spec["choices"]:
            raise ValueError(f"must be one of {', '.join(spec['choices'])}; got {value!r}")
        return value
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"must be a list, got {value!r}")
    if kind == "int_list":
        if len(value) > spec["max_length"]:
            raise ValueError(f"at most {spec['max_length']} layers, got {len(value)}")
        return [_check_field(name, {**spec, "type": "int"}, v) for v in value]
    return [_check_field(name, {**spec, "type": "choice"}, v) for v in value]


def validate_config(config):
    """Check a config against :data:`CONFIG_SCHEMA` and return it normalised.

    Missing fields take their defaults; unknown fields are errors.

    Raises
    ------
    ConfigError
        With every bad field and why, so a form can show each next to its control.
    """
    if not isinstance(config, dict):
        raise ConfigError({"config": f"must be an object, got {type(config).__name__}"})
    errors, clean = {}, {}
    for name in config:
        if name not in CONFIG_SCHEMA:
            errors[name] = f"unknown setting; known: {', '.join(CONFIG_SCHEMA)}"
    for name, spec in CONFIG_SCHEMA.items():
        try:
            clean[name] = _check_field(name, spec, config.get(name, spec["default"]))
        except ValueError as exc:
            errors[name] = str(exc)
    if "hidden_layers" in clean and "activations" in clean:
        acts = clean["activations"]
        if len(acts) == 1 and len(clean["hidden_layers"]) > 1:
            clean["activations"] = acts * len(clean["hidden_layers"])
        elif len(acts) != len(clean["hidden_layers"]):
            errors["activations"] = (
                f"give one activation per hidden layer ({len(clean['hidden_layers'])}), got {len(acts)}"
            )
    pair = (clean.get("output_activation"), clean.get("loss"))
    if None not in pair and pair not in VALID_OUTPUTS:
        errors["loss"] = f"{pair[1]} does not go with a {pair[0]} output"
    if "hidden_layers" in clean:
        dims = [64, *clean["hidden_layers"], 10]
        n_params = sum(a * b + b for a, b in zip(dims[:-1], dims[1:]))
        if n_params > MAX_PARAMETERS:
            errors["hidden_layers"] = (
                f"{n_params:,} parameters is over the limit of {MAX_PARAMETERS:,}; use fewer or narrower layers"
            )
    if errors:
        raise ConfigError(errors)
    return clean


def _rngs(seed):
    """Independent generators for the split, the initial weights and shuffling."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)]


def build_network(config, n_features=64, n_classes=10, rng=None):
    """A fresh :class:`Network` for a validated config."""
    dims = [n_features, *config["hidden_layers"], n_classes]
    acts = [*config["activations"], config["output_activation"]]
    scale = 1.0 / DIGITS_MAX if config["scale_inputs"] else 1.0
    return Network(dims, acts, init=config["init"], seed=rng, input_scale=scale)


class Session:
    """The page's Python state: the data, its split, the current model and a trainer.

    Parameters
    ----------
    x : ndarray of shape (n_samples, 64)
        Raw digits, 0..16.
    y : ndarray of shape (n_samples,)
        Labels 0..9.
    config : dict, optional
        Training settings (see module docstring); defaults to the
        recommended preset.
    """

    def __init__(self, x, y, config=None):
        self.x = np.asarray(x, dtype=np.float64)
        self.y = np.asarray(y, dtype=np.int64)
        self.network = None
        self.trainer = None
        self.configure(config or {})

    @classmethod
    def from_files(cls, data_dir, config=None):
        """Build a session from a folder written by ``build.py`` (``datasets.json`` + data)."""
        return cls(*read_dataset(data_dir, "digits"), config)

    @classmethod
    def from_bytes(cls, blob, manifest_entry, config=None):
        """Build a session from the dataset file's bytes and its manifest entry."""
        if isinstance(manifest_entry, str):
            manifest_entry = json.loads(manifest_entry)
        x, y = decode_dataset(blob, manifest_entry)
        return cls(x, y, config)

    # -- settings and split --------------------------------------------------
    def configure(self, config):
        """Validate and adopt a config; re-split the data if the split changed.

        The current model is kept. Returns the normalised config.
        """
        clean = validate_config(config)
        old = getattr(self, "config", None)
        self.config = clean
        if old is None or (old["seed"], old["test_fraction"]) != (clean["seed"], clean["test_fraction"]):
            split_rng = _rngs(clean["seed"])[0]
            self.x_train, self.x_test, self.y_train, self.y_test = train_test_split(
                self.x, self.y, clean["test_fraction"], split_rng
            )
        self.trainer = None
        return clean

    def reset(self, config=None):
        """Start a fresh network for the config (re-initialised from its seed)."""
        if config is not None:
            self.configure(config)
        _, init_rng, shuffle_rng = _rngs(self.config["seed"])
        self.network = build_network(self.config, self.x.shape[1], 10, init_rng)
        x_fit, y_fit = self.x_train, self.y_train
        if self.config["augment"]:
            x_fit, y_fit = shift_augment(x_fit, y_fit)
        self.trainer = Trainer(
            self.network,
            x_fit,
            y_fit,
            loss=self.config["loss"],
            optimizer=self.config["optimizer"],
            learning_rate=self.config["learning_rate"],
            batch_size=self.config["batch_size"],
            l2=self.config["l2"],
            seed=shuffle_rng,
            validation_data=(self.x_test, self.y_test),
            train_eval_data=(self.x_train, self.y_train),
        )
        self.network.metadata = {"config": dict(self.config), "trained_epochs": 0}
        return self.status()

    # -- training -------------------------------------------------------------
    def train(self, max_ms=100.0, max_batches=None, until_epoch_end=False):
        """Train for about ``max_ms`` milliseconds (or ``max_batches``), then report.

        Starts a fresh network first when there is no trainer yet. Never
        trains past ``config["epochs"]``.

        Parameters
        ----------
        max_ms : float or None, default=100.0
            Time budget; the chunk ends after the first batch past it.
            None: no time limit.
        max_batches : int, optional
            At most this many batches.
        until_epoch_end : bool, default=False
            End at the end of the current epoch at the latest (the page's
            Step, and the CLI's per-epoch report).

        Returns
        -------
        dict
            :meth:`status`, plus ``history`` (the epoch records completed in
            this call), ``stopped`` (why this chunk ended) and, if the loss
            diverged, ``error``.
        """
        if self.trainer is None:
            self.reset()
        trainer = self.trainer
        seen = len(trainer.history)
        limits = {"epochs": self.config["epochs"]}
        if until_epoch_end:
            limits["epochs"] = min(self.config["epochs"], trainer.epoch + 1)
        if max_ms is not None:
            limits["max_seconds"] = max(float(max_ms), 1.0) / 1000.0
        if max_batches is not None:
            limits["max_batches"] = int(max_batches)
        error = None
        try:
            stopped = trainer.run(**limits) if trainer.epoch < self.config["epochs"] else "epochs"
        except TrainingDiverged as exc:
            stopped, error = "diverged", str(exc)
        self.network.metadata["trained_epochs"] = trainer.epoch
        result = self.status()
        result.update(history=trainer.history.records[seen:], stopped=stopped)
        if error:
            result["error"] = error
        return result

    def request_stop(self):
        """Stop the training chunk in progress before its next batch (see :meth:`Trainer.request_stop`)."""
        if self.trainer is not None:
            self.trainer.request_stop()

    def handle_interrupts(self):
        """From now on, SIGINT stops training cleanly instead of raising KeyboardInterrupt.

        The worker calls this once. In Pyodide, SIGINT is the page writing 2
        into the interrupt buffer, and Pyodide runs this handler between two
        bytecodes of whatever Python is running: a training chunk then ends at
        its next batch boundary, and any other call is left alone. Installed
        for good (not just during :meth:`train`), so a signal that lands
        between two chunks can never surface as a KeyboardInterrupt elsewhere.
        """
        signal.signal(signal.SIGINT, lambda signum, frame: self.request_stop())

    def status(self):
        """Progress numbers: epoch, batch, totals and seconds spent training."""
        t = self.trainer
        if t is None:
            return {"training": False, "epoch": 0, "epochs": self.config["epochs"]}
        done_samples = t.epoch * t.samples_per_epoch + min(
            t.batch_index * t.batch_size, t.samples_per_epoch
        )
        return {
            "training": True,
            "epoch": t.epoch,
            "epochs": self.config["epochs"],
            "batch": t.batch_index,
            "batches_per_epoch": t.batches_per_epoch,
            "samples_per_epoch": t.samples_per_epoch,
            "samples_seen": done_samples,
            "seconds": t.seconds,
            "finished": t.epoch >= self.config["epochs"],
            "position": t.position(),
        }

    def history(self):
        """All epoch records of the current run, as a list of dicts."""
        return [] if self.trainer is None else list(self.trainer.history.records)

    # -- evaluation -------------------------------------------------------------
    def _require_model(self):
        if self.network is None:
            raise ValueError("no model yet: load the pretrained model, import one or train")
        return self.network

    def evaluate(self, max_misclassified=40):
        """Held-out accuracy, confusion matrix, per-class report and mistakes."""
        net = self._require_model()
        proba = net.predict(self.x_test)
        pred = proba.argmax(axis=1)
        labels = list(range(proba.shape[1]))
        wrong = np.flatnonzero(pred != self.y_test)[:max_misclassified]
        return {
            "accuracy": float(np.mean(pred == self.y_test)),
            "n_test": int(len(self.y_test)),
            "confusion_matrix": confusion_matrix(self.y_test, pred, labels).tolist(),
            "report": classification_report(self.y_test, pred, labels, output_dict=True),
            "misclassified": [
                {
                    "index": int(i),
                    "image": self.x_test[i].tolist(),
                    "true": int(self.y_test[i]),
                    "predicted": int(pred[i]),
                    "confidence": float(proba[i, pred[i]]),
                }
                for i in wrong
            ],
        }

    def test_sample(self, index):
        """Held-out digit ``index``: its pixels and true label."""
        index = int(index)
        if not 0 <= index < len(self.y_test):
            raise ValueError(f"test index must be in 0..{len(self.y_test) - 1}, got {index}")
        return {"index": index, "image": self.x_test[index].tolist(), "label": int(self.y_test[index])}

    def predict_proba(self, x):
        """Output probabilities for one sample (a flat list of 64) or many."""
        net = self._require_model()
        arr = np.asarray(x, dtype=np.float64)
        single = arr.ndim == 1
        proba = net.predict(arr.reshape(1, -1) if single else arr)
        return proba[0].tolist() if single else proba.tolist()

    def predict(self, x):
        """Predicted label and the probabilities for one sample."""
        proba = self.predict_proba(x)
        label = int(np.argmax(proba))
        return {"label": label, "confidence": proba[label], "probabilities": proba}

    # -- drawings ----------------------------------------------------------------
    def predict_drawing(self, pixels, width, height):
        """Classify a canvas drawing (ink 0..255 per pixel, row by row).

        Returns the 64 inputs the network sees (0..16) and, unless the pad is
        empty, the prediction: ``{"empty": False, "input": [...], "label": d,
        "confidence": p, "probabilities": [...]}``. An empty pad gives
        ``{"empty": True}``: no guess.
        """
        try:
            digit = drawing_to_digit(pixels, width, height)
        except EmptyDrawing:
            return {"empty": True}
        return {"empty": False, "input": digit.tolist(), **self.predict(digit)}

    def test_sample_bitmap(self, index):
        """Held-out digit ``index`` as a 32x32 binary bitmap (rows of 0/1), to draw on the pad."""
        sample = self.test_sample(index)
        return {**sample, "bitmap": digit_to_bitmap(sample["image"]).astype(int).tolist()}

    def fine_tune(self, samples, epochs=3, learning_rate=1e-3, repeat=10):
        """Train the current model a little more on the user's own digits plus the training digits.

        Parameters
        ----------
        samples : list of {"input": 64 values 0..16, "label": 0..9}
        epochs : int, default=3
        learning_rate : float, default=1e-3
            Adam's step size; small, so the model adapts without forgetting.
        repeat : int, default=10
            Each personal digit is shown this many times per epoch, so a
            handful of drawings weigh against 1347 training digits.

        Returns
        -------
        dict
            Held-out accuracy and accuracy on the personal digits, before and after.
        """
        net = self._require_model()
        if not samples:
            raise ValueError("no personal digits yet: label a drawing and add it first")
        try:
            x_own = np.array([s["input"] for s in samples], dtype=np.float64).reshape(len(samples), 64)
            y_own = np.array([s["label"] for s in samples])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"personal digits must be {{input: 64 numbers, label: 0..9}}: {exc}") from None
        if not np.isin(y_own, np.arange(10)).all() or not ((x_own >= 0) & (x_own <= 16)).all():
            raise ValueError("personal digits need labels 0..9 and inputs in 0..16")

        def scores():
            return {
                "test_accuracy": float(np.mean(net.predict_classes(self.x_test) == self.y_test)),
                "own_accuracy": float(np.mean(net.predict_classes(x_own) == y_own)),
            }

        before = scores()
        x_fit = np.concatenate([self.x_train, np.repeat(x_own, repeat, axis=0)])
        y_fit = np.concatenate([self.y_train, np.repeat(y_own, repeat)])
        loss = net.loss.name if net.loss is not None else "cross_entropy"
        trainer = Trainer(net, x_fit, y_fit, loss=loss, optimizer="adam", learning_rate=learning_rate,
                          batch_size=64, seed=_rngs(self.config["seed"])[2])
        trainer.run(epochs=epochs)
        self.trainer = None
        net.metadata["fine_tuned_on"] = net.metadata.get("fine_tuned_on", 0) + len(samples)
        return {"before": before, "after": scores(), "n_samples": len(samples), "epochs": epochs}

    def first_layer_weights(self):
        """Each first-layer unit's 64 incoming weights (to draw as 8x8 images)."""
        return self._require_model().weights[0].T.tolist()

    def gradient_check(self, n_samples=5, max_entries=200):
        """Backprop vs finite differences on a few training samples, per layer.

        Uses the model's own loss (or the config's, for a model never
        trained) and at most ``max_entries`` sampled entries per array.
        """
        net = self._require_model()
        loss = self.config["loss"] if net.loss is None else net.loss
        x, y = self.x_train[:n_samples], self.y_train[:n_samples]
        return gradient_check(net, x, y, loss, max_entries=max_entries)

    # -- models -------------------------------------------------------------------
    def export_model(self):
        """The current model as model-file text."""
        return dumps(self._require_model())

    def import_model(self, text):
        """Replace the current model with a model file's contents.

        The file is validated completely first; on any error the current
        model stays, and a :class:`~mlp.serialization.ModelFormatError`
        says what was wrong.
        """
        if isinstance(text, (dict, list)):
            network = from_dict(text)
        else:
            network = loads(text)
        if network.dimensions[0] != self.x.shape[1] or network.dimensions[-1] != 10:
            raise ModelFormatError(
                f"model file: this model maps {network.dimensions[0]} inputs to "
                f"{network.dimensions[-1]} outputs; the digits need 64 inputs and 10 outputs"
            )
        self.network = network
        self.trainer = None
        return self.model_summary()

    def model_summary(self):
        """Dimensions, activations, loss, size and metadata of the current model."""
        net = self._require_model()
        doc = to_dict(net)
        del doc["weights"], doc["biases"]
        doc["n_parameters"] = int(net.n_parameters())
        return doc

