"""The session API that the browser's worker calls (and that build.py and the CLI use).

The page never touches NumPy arrays: it sends a config dict and small
requests, and gets back plain Python values (numbers, strings, lists and
dicts), which Pyodide converts to JavaScript cleanly. All the logic lives
here, where CPython tests reach it; the worker's JavaScript is a thin relay,
and it may call only the methods listed in :data:`Session.PAGE_METHODS`.

A :class:`Session` holds a :class:`~mlp.data.Dataset` and its held-out split,
the current model (pretrained, trained here or imported) and, while
training, a :class:`~mlp.training.Trainer` that advances in small time-boxed
chunks. The settings are those of :mod:`mlp.config`.
"""

import contextlib
import signal
import types

import numpy as np

from . import usercode
from .activations import ACTIVATIONS, Sigmoid, get_activation, register_activation, restore_activations
from .augment import augment, random_affines, warp_images
from .config import build_network, recommended, validate_config
from .csvfile import read_csv
from .data import decode_dataset, train_test_split
from .drawing import EmptyDrawing, digit_to_bitmap, drawing_to_digit
from .features import FEATURES
from .gradcheck import gradient_check
from .losses import LOSSES, MSE, PublishedMSE, get_loss, register_loss, restore_losses
from .metrics import (
    classification_report,
    confusion_matrix,
    mean_absolute_error,
    r2_score,
    root_mean_squared_error,
)
from .serialization import ModelFormatError, dumps, from_dict, loads, to_dict
from .planes import DEFAULTS, EXTENT, make_plane
from .training import Trainer, TrainingDiverged
from .validation import as_targets, check_int


def _rngs(seed):
    """Independent generators for the split, the initial weights, shuffling and augmentation."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]


OUTPUT_FOR_LOSS = {"mse": "sigmoid", "published_mse": "sigmoid", "binary_cross_entropy": "sigmoid",
                   "cross_entropy": "softmax"}
"""The output an edited loss is checked with: the one the page pairs it with (sigmoid for MSE, as in the post)."""


@contextlib.contextmanager
def _interrupts_raise():
    """While inside, SIGINT (the page's Stop) raises KeyboardInterrupt instead of asking training to stop."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _with_activations(network, activations):
    """A copy of ``network``, the same weights, with other activation classes: a referee for the gradient check."""
    copy = from_dict(to_dict(network))
    copy.activations = tuple(activations)
    return copy


def _grid(resolution):
    """Points of a resolution x resolution grid over the plane, row by row from the top left."""
    axis = np.linspace(-EXTENT, EXTENT, resolution)
    x1, x2 = np.meshgrid(axis, axis[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


def _made_for(network):
    """How a model file describes the data it expects, for messages."""
    shape = f"{network.n_inputs} inputs, {network.dimensions[-1]} outputs"
    name = (network.dataset or {}).get("name")
    return f"{name!r} ({shape})" if name else shape


class Session:
    """The page's Python state: the data, its split, the current model and a trainer.

    Parameters
    ----------
    dataset : Dataset
        What to train on; its description sets the network's input and
        output sizes and the input scaling.
    config : dict, optional
        Training settings (see :mod:`mlp.config`); defaults to the
        dataset's recommended preset.
    """

    PAGE_METHODS = (
        "open_dataset", "open_csv", "describe", "configure", "reset", "train", "handle_interrupts", "diagram",
        "evaluate", "test_sample", "predict", "first_layer_weights", "gradient_check", "boundary", "points",
        "inside_step", "take_step", "augmented_examples", "code", "run_code", "restore_code",
        "export_model", "import_model", "model_summary",
        "predict_drawing", "test_sample_bitmap", "fine_tune",
    )
    """The methods the browser's worker may call (py-worker.js refuses any other)."""

    def __init__(self, dataset, config=None):
        self._adopt(dataset, config)

    def _adopt(self, dataset, config):
        """Make ``dataset`` the session's, with ``config``; checked first, so a bad one changes nothing."""
        clean = validate_config(recommended(dataset) if config is None else config, dataset)
        self.dataset = dataset
        self.plane = None  # the generator settings of a 2-D set (open_dataset sets them)
        self.network = None
        self.config = None
        self._edited = set()  # the pieces the learner's code replaces (run_code)
        self._backprop = None  # their backprop, bound to every network of the session
        self._apply(clean)

    def open_dataset(self, entry, data=None, plane=None, config=None):
        """Switch to another dataset; the current model and run are dropped.

        Parameters
        ----------
        entry : dict
            The dataset's entry in ``datasets.json``.
        data : bytes-like, optional
            The dataset file's bytes (bundled datasets).
        plane : dict, optional
            ``n_points``, ``noise`` and ``seed``: generate the two-dimensional
            set named by the entry instead.
        config : dict, optional
            Its recommended preset by default.

        Returns
        -------
        dict
            The dataset's description, the adopted config and the split's sizes.
        """
        if plane is not None:
            dataset = make_plane(entry["name"], **plane)
            plane = {"n_points": len(dataset.x), "noise": float(plane.get("noise", DEFAULTS["noise"])),
                     "seed": int(plane.get("seed", DEFAULTS["seed"]))}
        elif data is not None:
            dataset = decode_dataset(data, entry)
        else:
            raise ValueError("open_dataset needs the dataset file's bytes or, for a 2-D set, its settings")
        self._adopt(dataset, config)
        self.plane = plane
        return self.describe()

    def open_csv(self, data, name=None, label=None, task=None):
        """Switch to your own CSV file (its bytes), read by :func:`mlp.csvfile.read_csv`.

        On a bad file a :class:`~mlp.csvfile.CSVError` names the row and
        column, and the open dataset stays, untouched.

        Returns
        -------
        dict
            :meth:`describe`, plus the file's ``columns``, the ``label`` column
            used and the ``task`` asked for (None when it was guessed).
        """
        dataset = read_csv(data, label=label, task=task, name=name)
        self._adopt(dataset, None)
        return {**self.describe(), "columns": dataset.columns, "label": dataset.label_column, "task": task}

    def describe(self):
        """The open dataset's description, the config, the split's sizes and, for a 2-D set, its generator settings."""
        return {"dataset": self.dataset.describe(), "config": self.config,
                "n_train": int(len(self.y_train)), "n_test": int(len(self.y_test)), "plane": self.plane}

    # -- settings and split --------------------------------------------------
    def configure(self, config):
        """Validate and adopt a config; re-split the data if the split changed.

        The current model is kept. Returns the normalised config.
        """
        return self._apply(validate_config(config, self.dataset))

    def _apply(self, clean):
        """Adopt a validated config: a new split when its seed or held-out share changed, no trainer."""
        old = self.config
        self.config = clean
        if old is None or (old["seed"], old["test_fraction"]) != (clean["seed"], clean["test_fraction"]):
            self.x_train, self.x_test, self.y_train, self.y_test = self._split(clean)
        self.trainer = None
        return clean

    def _split(self, config):
        """The config's held-out split of the dataset: x_train, x_test, y_train, y_test."""
        return train_test_split(self.dataset.x, self.dataset.y, config["test_fraction"], _rngs(config["seed"])[0],
                                stratify=self.dataset.task == "classification")

    def _trainer(self, x, y, **settings):
        """A :class:`Trainer` for the current network on ``(x, y)``: the config's settings,
        then ``settings`` on top, and the config seed's shuffling."""
        chosen = {name: self.config[name] for name in ("loss", "optimizer", "learning_rate", "batch_size", "l2",
                                                       "schedule", "epochs")}
        return Trainer(self.network, x, y, seed=_rngs(self.config["seed"])[2], **{**chosen, **settings})

    def _targets(self, y):
        """What the network learns for labels or targets ``y``: class indices as they
        are (the trainer one-hot encodes them), regression targets standardised as a column."""
        if self.dataset.task == "classification":
            return y
        return ((y - self.network.target_shift) / self.network.target_scale).reshape(-1, 1)

    def training_set(self):
        """The samples that training fits: the training split and, for images, the config's augmented copies.

        The copies come from the config seed's own generator, so the same
        config gives the same training set in CPython and in the page.
        """
        if self.dataset.kind != "image":
            return self.x_train, self.y_train
        return augment(self.x_train, self.y_train, self.dataset.image_shape, shifts=self.config["augment"],
                       warps=self.config["warps"], rng=_rngs(self.config["seed"])[3],
                       top=self.dataset.feature_range[1])

    def augmented_examples(self, count=6, config=None):
        """The first ``count`` training images, each beside the warped copies that training makes of it.

        The copies are rows of :meth:`training_set`, drawn from the same
        generator, so the page shows exactly what the network will see.

        Parameters
        ----------
        count : int, default=6
        config : dict, optional
            A config to show (the form's, before it is trained); the current one by default.

        Returns
        -------
        dict
            ``originals`` (count lists of features), ``warped`` (count lists of
            ``copies`` lists) and ``copies`` (the config's ``warps``).
        """
        if self.dataset.kind != "image":
            raise ValueError(f"augmentation is for image data; {self.dataset.name!r} is {self.dataset.kind}")
        config = self.config if config is None else validate_config(config, self.dataset)
        x_train = self._split(config)[0]
        count = check_int(count, "count", 1, len(x_train))
        copies, n = config["warps"], len(x_train)
        matrices, moves = random_affines(n * copies, _rngs(config["seed"])[3])
        rows = [k * n + i for i in range(count) for k in range(copies)]  # as warp_augment lays its copies out
        warped = warp_images(x_train[[r % n for r in rows]], self.dataset.image_shape, matrices[rows], moves[rows],
                             self.dataset.feature_range[1])
        return {"originals": x_train[:count].tolist(), "copies": copies,
                "warped": warped.reshape(count, copies, -1).tolist()}

    def reset(self, config=None):
        """Start a fresh network for the config (re-initialised from its seed)."""
        if config is not None:
            self.configure(config)
        self.network = build_network(
            self.config, self.dataset, _rngs(self.config["seed"])[1], self.x_train, self.y_train
        )
        x_fit, y_fit = self.training_set()
        fit, held_out, train = (self._targets(y) for y in (y_fit, self.y_test, self.y_train))
        self.trainer = self._trainer(
            x_fit, fit, validation_data=(self.x_test, held_out), train_eval_data=(self.x_train, train)
        )
        self.network.metadata = {"config": dict(self.config), "trained_epochs": 0}
        if self._backprop is not None:
            self.network.backprop = types.MethodType(self._backprop, self.network)
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
        # With the learner's code in place, Stop (SIGINT) must be able to end
        # a loop in it, and an error in it must name its line.
        yours = self._edited and trainer.epoch < self.config["epochs"]
        try:
            with _interrupts_raise() if yours else contextlib.nullcontext(), \
                    usercode.user_frames() if yours else contextlib.nullcontext():
                stopped = trainer.run(**limits) if trainer.epoch < self.config["epochs"] else "epochs"
        except TrainingDiverged as exc:
            stopped, error = "diverged", str(exc)
        except KeyboardInterrupt:
            kept = trainer.rewind()
            stopped, error = "interrupted", f"Stopped inside your code. {kept} were kept."
        except usercode.CodeError as exc:
            kept = trainer.rewind()
            raise usercode.CodeError(f"{exc.message} (while training with your code; {kept.lower()} were kept)",
                                     exc.line) from None
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

    # -- evaluation -------------------------------------------------------------
    def _require_model(self):
        if self.network is None:
            raise ValueError("no model yet: load the pretrained model, import one or train")
        return self.network

    def evaluate(self, max_misclassified=40, max_points=500):
        """How the model does on the held-out split.

        Classification: accuracy, confusion matrix, per-class report and
        the first ``max_misclassified`` mistakes. Regression: MAE, RMSE, R²
        and up to ``max_points`` (true, predicted) pairs for a scatter plot.
        Both carry ``task`` and ``n_test``.
        """
        net = self._require_model()
        if self.dataset.task == "regression":
            return self._evaluate_regression(net, max_points)
        proba = net.predict(self.x_test)
        pred = proba.argmax(axis=1)
        labels = list(range(self.dataset.n_classes))
        wrong = np.flatnonzero(pred != self.y_test)[:max_misclassified]
        return {
            "task": "classification",
            "accuracy": float(np.mean(pred == self.y_test)),
            "n_test": int(len(self.y_test)),
            "classes": list(self.dataset.classes),
            "confusion_matrix": confusion_matrix(self.y_test, pred, labels).tolist(),
            "report": classification_report(self.y_test, pred, labels, output_dict=True),
            "misclassified": [
                {
                    "index": int(i),
                    "features": self.x_test[i].tolist(),
                    "true": int(self.y_test[i]),
                    "predicted": int(pred[i]),
                    "confidence": float(proba[i, pred[i]]),
                }
                for i in wrong
            ],
        }

    def _evaluate_regression(self, net, max_points):
        pred = net.predict(self.x_test)[:, 0]
        return {
            "task": "regression",
            "n_test": int(len(self.y_test)),
            "target_name": self.dataset.target_name,
            "mae": mean_absolute_error(self.y_test, pred),
            "rmse": root_mean_squared_error(self.y_test, pred),
            "r2": r2_score(self.y_test, pred),
            "points": np.column_stack([self.y_test, pred])[:max_points].tolist(),
        }

    def test_sample(self, index):
        """Held-out sample ``index``: its features and true label (a class index) or target."""
        index = int(index)
        if not 0 <= index < len(self.y_test):
            raise ValueError(f"test index must be in 0..{len(self.y_test) - 1}, got {index}")
        truth = self.y_test[index]
        label = float(truth) if self.dataset.task == "regression" else int(truth)
        return {"index": index, "features": self.x_test[index].tolist(), "label": label}

    def predict(self, features):
        """The model's answer for one sample.

        Classification: the label (a class index), its confidence and every
        class's probability. Regression: ``{"value": prediction}``, in the
        target's units.
        """
        net = self._require_model()
        out = net.predict(np.asarray(features, dtype=np.float64).reshape(1, -1))[0]
        if self.dataset.task == "regression":
            return {"value": float(out[0])}
        label = int(np.argmax(out))
        return {"label": label, "confidence": float(out[label]), "probabilities": out.tolist()}

    # -- the plane ---------------------------------------------------------------
    def _require_plane(self):
        if self.dataset.kind != "plane":
            raise ValueError(f"{self.dataset.name!r} is not a two-dimensional dataset")

    def boundary(self, resolution=50, unit_resolution=20, max_units=64):
        """The model's output over the whole plane, and every hidden unit's, for the heatmaps.

        A ``resolution`` x ``resolution`` grid over -6..6 on both axes, row by
        row from the top (x2 = 6) and left to right (x1 = -6). ``values`` are
        the probability of the second class ("blue") for classification, the
        prediction for regression. ``units`` holds, for the first
        ``max_units`` hidden units, layer by layer, ``{"layer": n, "unit": i,
        "values": [...]}`` on a coarser ``unit_resolution`` grid: each unit's
        activation, what it has learned to respond to.
        """
        self._require_plane()
        net = self._require_model()
        resolution = check_int(resolution, "resolution", 2, 200)
        unit_resolution = check_int(unit_resolution, "unit_resolution", 2, 100)
        out = net.predict(_grid(resolution))
        values = out[:, 0] if self.dataset.task == "regression" else out[:, 1]
        _, activations = net.forward(_grid(unit_resolution))
        units = [
            {"layer": layer, "unit": i, "values": a[:, i].tolist()}
            for layer, a in enumerate(activations[1:-1], start=1)
            for i in range(a.shape[1])
        ][:max_units]
        epoch = self.trainer.epoch if self.trainer is not None else None
        return {"resolution": resolution, "extent": EXTENT, "values": values.tolist(), "epoch": epoch,
                "unit_resolution": unit_resolution, "units": units}

    def diagram(self, max_units=10):
        """The current model as the network diagram draws it: units per layer and the weights between them.

        A layer wider than ``max_units`` is summarised: only its ``max_units``
        units with the largest weights in and out (sum of magnitudes) are
        shown, in their own order, and ``size`` says how many there are.

        Returns
        -------
        dict
            ``{"layers": [{"size": n, "shown": [unit indices], "names": [...]}, ...],
            "weights": [[[w from shown unit i to shown unit j, ...], ...], ...]}``,
            one weight matrix per pair of adjacent layers. ``names`` label the
            input units (the features) and the output units (the classes).
        """
        net = self._require_model()
        max_units = check_int(max_units, "max_units", 1, 64)
        w = [np.abs(m) for m in net.weights]
        strength = [w[0].sum(axis=1)] + [w[i - 1].sum(axis=0) + w[i].sum(axis=1) for i in range(1, len(w))]
        strength.append(w[-1].sum(axis=0))
        shown = [np.sort(np.argsort(-s, kind="stable")[:max_units]) for s in strength]
        inputs = [FEATURES[f][0] for f in net.input_features] if net.input_features else self.dataset.feature_names
        names = [list(map(str, inputs)), *([None] * (len(w) - 1)), list(map(str, net.classes))]
        return {
            "layers": [{"size": int(size), "shown": keep.tolist(), "names": None if label is None else [label[i] for i in keep]}
                       for size, keep, label in zip(net.dimensions, shown, names)],
            "weights": [net.weights[i][np.ix_(shown[i], shown[i + 1])].tolist() for i in range(len(w))],
        }

    def points(self):
        """The training and held-out points with their labels (or targets): ``{"train": [[x1, x2, y], ...], "test": ...}``."""
        self._require_plane()
        return {
            "train": np.column_stack([self.x_train, self.y_train]).tolist(),
            "test": np.column_stack([self.x_test, self.y_test]).tolist(),
        }

    # -- drawings ----------------------------------------------------------------
    def predict_drawing(self, pixels, width, height):
        """Classify a canvas drawing (ink 0..255 per pixel, row by row).

        Returns the inputs the network sees (the digits' 8x8 counts) and, unless the pad is
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
        return {**sample, "bitmap": digit_to_bitmap(sample["features"]).astype(int).tolist()}

    def fine_tune(self, samples, epochs=3, learning_rate=1e-3, repeat=10):
        """Train the current model a little more on the user's own digits plus the training digits.

        Parameters
        ----------
        samples : list of {"input": one value per feature, "label": class index}
        epochs : int, default=3
        learning_rate : float, default=1e-3
            Adam's step size; small, so the model adapts without forgetting.
        repeat : int, default=10
            Each personal digit is shown this many times per epoch, so a
            handful of drawings weigh against the training set.

        Returns
        -------
        dict
            Held-out accuracy and accuracy on the personal digits, before and after.
        """
        net = self._require_model()
        if not samples:
            raise ValueError("no personal digits yet: label a drawing and add it first")
        data = self.dataset
        low, high = data.feature_range
        shape = f"{{input: {data.n_features} numbers in {low:g}..{high:g}, label: 0..{data.n_classes - 1}}}"
        try:
            x_own = np.array([s["input"] for s in samples], dtype=np.float64).reshape(len(samples), data.n_features)
            y_own = np.array([s["label"] for s in samples])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"personal digits must be {shape}: {exc}") from None
        if not np.isin(y_own, np.arange(data.n_classes)).all() or not ((x_own >= low) & (x_own <= high)).all():
            raise ValueError(f"personal digits must be {shape}")

        def scores():
            return {
                "test_accuracy": float(np.mean(net.predict_classes(self.x_test) == self.y_test)),
                "own_accuracy": float(np.mean(net.predict_classes(x_own) == y_own)),
            }

        before = scores()
        x_fit = np.concatenate([self.x_train, np.repeat(x_own, repeat, axis=0)])
        y_fit = np.concatenate([self.y_train, np.repeat(y_own, repeat)])
        loss = net.loss.name if net.loss is not None else "cross_entropy"
        self._trainer(x_fit, y_fit, loss=loss, optimizer="adam", learning_rate=learning_rate,
                      batch_size=64, l2=0.0, schedule="constant").run(epochs=epochs)
        self.trainer = None
        net.metadata["fine_tuned_on"] = net.metadata.get("fine_tuned_on", 0) + len(samples)
        return {"before": before, "after": scores(), "n_samples": len(samples), "epochs": epochs}

    def first_layer_weights(self):
        """Each first-layer unit's incoming weights, one per input (the page draws them as images)."""
        return self._require_model().weights[0].T.tolist()

    # -- one step, with its numbers -------------------------------------------------------
    def _sample(self, index, split, net):
        """Sample ``index`` of a split: its index, inputs (one row), label or target, and the row ``net`` learns."""
        if split not in ("train", "test"):
            raise ValueError(f"split must be 'train' or 'test', got {split!r}")
        x, y = (self.x_train, self.y_train) if split == "train" else (self.x_test, self.y_test)
        index = check_int(index, "sample index", 0, len(x) - 1)
        return index, x[index:index + 1], y[index], as_targets(self._targets(y[index:index + 1]), 1, net.dimensions[-1])

    def _loss(self, net):
        """The model's own loss, or the config's for a model never trained."""
        return net.loss if net.loss is not None else get_loss(self.config["loss"], net.activations[-1])

    def inside_step(self, index=0, split="train"):
        """One sample through the current model, equation by equation, with its numbers.

        What the page's "Inside one step" view shows: the forward pass (eq.
        1.3.0, 1.3.1), the deltas (2.4.0, 2.4.1) and the gradients (2.4.2,
        2.4.3) of :meth:`mlp.network.Network.backprop` for one sample, and the
        learning rate of the update. Layers are counted by their weights:
        ``layers[k - 1]`` holds layer k's ``z`` and ``a`` (the post's z_{k+1} and
        a_{k+1}), the ``delta`` of that z, and dJ/dw_k, dJ/db_k. For one sample,
        delta is dJ/db (eq. 2.4.3). With an MSE loss on a sigmoid output,
        ``as_published`` holds the output delta as the post computed it,
        (a - y) * sigmoid'(a), beside the correct (a - y) * sigmoid'(z).

        Parameters
        ----------
        index : int
        split : {"train", "test"}, default="train"
        """
        net = self._require_model()
        index, x, truth, y = self._sample(index, split, net)
        loss = self._loss(net)
        z, a = net.forward(x)
        grad_w, grad_b = net.backprop(x, y, loss)
        result = {
            "index": index, "split": split, "dimensions": list(net.dimensions),
            "activations": [f.name for f in net.activations], "loss_name": loss.name,
            "label": float(truth) if self.dataset.task == "regression" else int(truth),
            "input": a[0][0].tolist(), "loss": float(loss.loss(y, a[-1])), "learning_rate": self.config["learning_rate"],
            "layers": [
                {"z": z[k][0].tolist(), "a": a[k + 1][0].tolist(), "delta": grad_b[k].tolist(),
                 "dw": grad_w[k].tolist(), "db": grad_b[k].tolist()}
                for k in range(len(net.weights))
            ],
            "as_published": None,
        }
        if net.activations[-1] is Sigmoid and loss.name in ("mse", "published_mse"):
            result["as_published"] = {
                "correct": MSE(Sigmoid).delta(y, a[-1], z[-1])[0].tolist(),
                "published": PublishedMSE(Sigmoid).delta(y, a[-1], z[-1])[0].tolist(),
            }
        return result

    def take_step(self, index=0, split="train"):
        """One plain SGD step on one sample: w_k -= learning_rate * dJ/dw_k, and the same for b_k.

        The step of :meth:`inside_step`, as the post's update takes it (no
        momentum, no weight decay). It changes the current model; a run in
        progress cannot be resumed after it. Returns the loss on the sample
        before and after.
        """
        net = self._require_model()
        index, x, _, y = self._sample(index, split, net)
        loss = self._loss(net)
        before = float(loss.loss(y, net.output(x)))
        grad_w, grad_b = net.backprop(x, y, loss)
        rate = self.config["learning_rate"]
        for w, b, gw, gb in zip(net.weights, net.biases, grad_w, grad_b):
            w -= rate * gw
            b -= rate * gb
        self.trainer = None
        return {"index": index, "split": split, "loss_before": before, "loss_after": float(loss.loss(y, net.output(x)))}

    def gradient_check(self, n_samples=5, max_entries=200):
        """Backprop vs finite differences on a few training samples, per layer.

        Uses the model's own loss (or the config's, for a model never
        trained) and at most ``max_entries`` sampled entries per array.
        """
        net = self._require_model()
        x, y = self.x_train[:n_samples], self._targets(self.y_train[:n_samples])
        return gradient_check(net, x, y, self._loss(net), max_entries=max_entries)

    # -- your code --------------------------------------------------------------------
    def code(self):
        """What the Code view starts from: each piece's shipped source, the templates, and the pieces now edited."""
        return {
            "sources": {piece: usercode.source(piece) for piece in usercode.PIECES},
            "templates": {"swish": usercode.SWISH, "bug_2017": usercode.bug_2017()},
            "edited": sorted(self._edited),
        }

    def run_code(self, piece, text):
        """Run a learner's edited piece in place of the shipped one, then the gradient check on it.

        An activation replaces the one of its name (or adds a new one) and is
        checked on the current network with it in every hidden layer; a loss
        replaces the one of its name and is checked on the current network
        with the output it goes with (sigmoid for MSE, as in the post); an
        edited ``backprop`` replaces the current network's, which training
        then uses. The weights are never changed by a run.

        Returns
        -------
        dict
            ``ok``; with it, ``gradcheck`` (per layer), ``max_error``, ``name``
            and ``trains`` (whether Train uses the piece with the current
            settings); without it, ``error`` and ``line`` (in the learner's code,
            or None). Errors are returned, not raised: they are the learner's.
        """
        net = self._require_model()
        before = (dict(ACTIVATIONS), dict(LOSSES), net.activations, vars(net).get("backprop"), self._backprop)
        try:
            with _interrupts_raise():  # Stop (SIGINT) ends an endless loop in the learner's code
                found = usercode.run(piece, text)
                with usercode.user_frames():
                    report, name, trains = self._use_code(piece, found, net)
        except (usercode.CodeError, KeyboardInterrupt) as exc:
            self._put_back(net, *before)  # a piece that fails in the gradient check is not kept
            if isinstance(exc, KeyboardInterrupt):
                return {"ok": False, "error": "stopped: your code was still running (an endless loop?)",
                        "line": usercode.error_line(exc.__traceback__)}
            return {"ok": False, "error": exc.message, "line": exc.line}
        self._edited.add(piece)
        worst = max(max(r["weights"], r["biases"]) for r in report)
        return {"ok": True, "gradcheck": report, "max_error": float(worst), "name": name, "trains": trains}

    def _use_code(self, piece, found, net):
        x, y = self.x_train[:5], self._targets(self.y_train[:5])
        if piece == "activation":
            register_activation(found)
            net.activations = tuple(found if f.name == found.name else f for f in net.activations)
            self._rebind_loss()
            referee = _with_activations(net, (found,) * (len(net.activations) - 1) + (net.activations[-1],))
            report = gradient_check(referee, x, y, self._loss(net), max_entries=50)
            return report, found.name, found in net.activations
        if piece == "loss":
            register_loss(found)
            self._rebind_loss()
            output = OUTPUT_FOR_LOSS.get(found.name, net.activations[-1].name)
            referee = _with_activations(net, (*net.activations[:-1], get_activation(output)))
            report = gradient_check(referee, x, y, found(referee.activations[-1]), max_entries=50)
            return report, found.name, found.name == self.config["loss"]
        self._backprop = found
        net.backprop = types.MethodType(found, net)
        return gradient_check(net, x, y, self._loss(net), max_entries=50), "backprop", True

    def _put_back(self, net, activations, losses, net_activations, net_backprop, backprop):
        """Undo a run that failed: the registries, the network's pieces and the session's backprop as they were."""
        ACTIVATIONS.clear()
        ACTIVATIONS.update(activations)
        LOSSES.clear()
        LOSSES.update(losses)
        net.activations = net_activations
        vars(net).pop("backprop", None)
        if net_backprop is not None:
            net.backprop = net_backprop
        self._backprop = backprop
        self._rebind_loss()

    def restore_code(self, piece=None):
        """Put the shipped code back, for one piece or (None) all of them; returns :meth:`code`'s ``edited``."""
        for each in usercode.PIECES if piece is None else [usercode.check_piece(piece)]:
            if each == "activation":
                restore_activations()
                if self.network is not None:
                    self.network.activations = tuple(get_activation(f.name) if f.name in ACTIVATIONS else f
                                                     for f in self.network.activations)
            elif each == "loss":
                restore_losses()
            else:
                self._backprop = None
                if self.network is not None:
                    vars(self.network).pop("backprop", None)
            self._edited.discard(each)
        self._rebind_loss()
        return sorted(self._edited)

    def _rebind_loss(self):
        """After a loss or the output activation changed: the model's and the run's loss objects, anew."""
        net = self.network
        if net is not None and net.loss is not None and net.loss.name in LOSSES:
            net.loss = get_loss(net.loss.name, net.activations[-1])
        if self.trainer is not None:
            self.trainer.loss = get_loss(self.trainer.loss.name, net.activations[-1])

    # -- models -------------------------------------------------------------------
    def export_model(self):
        """The current model as model-file text."""
        return dumps(self._require_model())

    def import_model(self, text):
        """Replace the current model with a model file's contents (text, or the parsed JSON).

        The file is validated completely first; on any error the current
        model stays, and a :class:`~mlp.serialization.ModelFormatError`
        says what was wrong.
        """
        return self.use_network(from_dict(text) if isinstance(text, (dict, list)) else loads(text))

    def use_network(self, network):
        """Make ``network`` the current model, if it was made for this session's data.

        Raises
        ------
        ModelFormatError
            If it was trained on another dataset, or its input or output
            width is not this dataset's. The current model stays.
        """
        data = self.dataset
        made_for = (network.dataset or {}).get("name")
        if (made_for not in (None, data.name) or network.n_inputs != data.n_features
                or network.dimensions[-1] != data.n_outputs):
            raise ModelFormatError(
                f"this model was made for {_made_for(network)}, not for {data.name!r} "
                f"({data.n_features} inputs, {data.n_outputs} outputs)"
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

