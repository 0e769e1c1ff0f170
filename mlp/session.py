"""The session: the Python state of the page, and the API its worker calls (build.py and the CLI use it too).

The page never touches NumPy arrays: it sends a config dict and small
requests, and gets back plain Python values (numbers, strings, lists and
dicts), which Pyodide converts to JavaScript cleanly. The worker's JavaScript
is a thin relay, and it may call only the methods declared with
:func:`page_method` (:data:`Session.PAGE_METHODS` lists them).

A :class:`Session` holds a :class:`~mlp.data.Dataset` and its held-out split,
the config (:mod:`mlp.config`), the current model (pretrained, trained here
or imported) and, while training, a :class:`~mlp.training.Trainer` that
advances in small time-boxed chunks. The rest is in parts named by what they
do, each readable alone, which the page methods here hand over to:

- :mod:`mlp.evaluation`: how the model does on the held-out split;
- :mod:`mlp.pictures`: the plane's heatmaps, the network diagram, the first layer's weights;
- :mod:`mlp.lesson`: "Inside one step", taking that step, the gradient check;
- :mod:`mlp.pad`: reading a drawn digit, fine-tuning on the learner's digits;
- :mod:`mlp.edits`: the learner's code, run in place of the shipped pieces and restored;
- :mod:`mlp.interrupts`: what the page's Stop (SIGINT) does;
- :mod:`mlp.export`: the run as a Python script or a notebook that makes it again.

The session writes down how its current model was made (:attr:`Session.run_steps`),
so that an export can take the same steps in CPython.
"""

import contextlib
import time
from collections import namedtuple

import numpy as np

from . import evaluation, export, lesson, pad, pictures, usercode
from .augment import augment, random_warps, warp_images
from .backprop import Readable
from .config import build_network, recommended, validate_config
from .csvfile import inspect_csv, read_csv
from .data import decode_dataset, train_test_split
from .edits import Edits
from .interrupts import raise_in_learner_code, stop_training_for_good
from .planes import DEFAULTS, K_CLASS, MAX_CLASSES, MIN_CLASSES, make_plane
from .serialization import ModelFormatError, dumps, from_dict, loads, to_dict
from .training import Trainer, TrainingDiverged
from .validation import check_int

Streams = namedtuple("Streams", "split weights shuffle augment validation")
"""A config seed's independent random streams: the held-out split, the initial weights,
the shuffling of each epoch, the augmented copies of the training images and the
validation split carved from the training split."""


def streams(seed):
    """The :class:`Streams` of ``seed``: the same seed gives the same numbers in CPython and in the page.

    (A SeedSequence's first children do not depend on how many are spawned, so
    the fifth stream left the first four, and every older run, as they were.)
    """
    return Streams(*(np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)))


def split_of(dataset, config):
    """The config's held-out split of ``dataset``: x_train, x_test, y_train, y_test.

    Raises
    ------
    ValueError
        If the training or the held-out part would be empty (a file of a few rows), saying so.
    """
    parts = train_test_split(dataset.x, dataset.y, config["test_fraction"], streams(config["seed"]).split,
                             stratify=dataset.task == "classification")
    for part, name in ((parts[2], "train"), (parts[3], "test")):
        if not len(part):
            raise ValueError(
                f"{dataset.name!r} has {len(dataset.x)} rows: holding out {config['test_fraction']:g} of "
                f"{'each class' if dataset.task == 'classification' else 'them'} leaves no row to {name} on; "
                "it needs more rows"
            )
    return parts


def splits_of(dataset, config):
    """The config's three parts of ``dataset``: x_train, x_val, x_test, y_train, y_val, y_test.

    The validation part is carved from :func:`split_of`'s training part (stratified for
    classification, from the seed's own stream), never from the held-out part, which
    stays the same whatever ``validation_fraction`` is; training sees the rest. With
    ``validation_fraction`` 0 the validation part is empty.

    Raises
    ------
    ValueError
        If the validation or the training part would be empty, naming ``validation_fraction``.
    """
    x_train, x_test, y_train, y_test = split_of(dataset, config)
    share = config["validation_fraction"]
    if not share:
        return x_train, x_train[:0], x_test, y_train, y_train[:0], y_test
    x_train, x_val, y_train, y_val = train_test_split(x_train, y_train, share, streams(config["seed"]).validation,
                                                      stratify=dataset.task == "classification")
    for part, name in ((y_train, "train"), (y_val, "validate")):
        if not len(part):
            raise ValueError(
                f"validation_fraction: {dataset.name!r} keeps {len(x_train) + len(x_val)} rows to train on; carving "
                f"{share:g} of {'each class' if dataset.task == 'classification' else 'them'} leaves no row to "
                f"{name} on; change validation_fraction"
            )
    return x_train, x_val, x_test, y_train, y_val, y_test


def _split_key(config):
    """The settings a config's split depends on."""
    return config["seed"], config["test_fraction"], config["validation_fraction"]


def page_method(method):
    """Declare a :class:`Session` method callable by the page's worker (py-worker.js refuses any other)."""
    method.page_method = True
    return method


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

    def __init__(self, dataset, config=None):
        self._adopt(dataset, config)

    def _adopt(self, dataset, config):
        """Make ``dataset`` the session's, with ``config``; checked first, so a bad one changes nothing."""
        clean = validate_config(recommended(dataset) if config is None else config, dataset)
        split = splits_of(dataset, clean)
        self.dataset = dataset
        self.plane = None  # the generator settings of a 2-D set (open_dataset sets them)
        self.network = None
        self.config = None
        self.trainer = None
        self.edits = Edits()  # the pieces the learner's code replaces (run_code)
        self.run_steps = None  # how the current model was made, step by step (see note_step); None: unknown
        self._apply(clean, split)

    @page_method
    def open_dataset(self, entry, data=None, plane=None, config=None):
        """Switch to another dataset; the current model and run are dropped.

        Parameters
        ----------
        entry : dict
            The dataset's entry in ``datasets.json``.
        data : bytes-like, optional
            The dataset file's bytes (bundled datasets).
        plane : dict, optional
            ``n_points``, ``noise``, ``seed`` and, for the k-class sets,
            ``classes``: generate the two-dimensional set named by the entry instead.
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
            if dataset.name in K_CLASS:
                plane["classes"] = dataset.n_classes
        elif data is not None:
            dataset = decode_dataset(data, entry)
        else:
            raise ValueError("open_dataset needs the dataset file's bytes or, for a 2-D set, its settings")
        self._adopt(dataset, config)
        self.plane = plane
        return self.describe()

    @page_method
    def inspect_csv(self, data, name=None):
        """What your CSV file (its bytes) holds, before it is used: :func:`mlp.csvfile.inspect_csv`.

        The page shows its columns, the label a plain read would take (and
        why), and the problem that read has, so the label, the task and the
        columns to ignore are chosen first. The open dataset stays.
        """
        return inspect_csv(data, name=name)

    @page_method
    def open_csv(self, data, name=None, label=None, task=None, ignore=()):
        """Switch to your own CSV file (its bytes), read by :func:`mlp.csvfile.read_csv`.

        On a bad file a :class:`~mlp.csvfile.CSVError` names the row and
        column, and the open dataset stays, untouched.

        Returns
        -------
        dict
            :meth:`describe`, plus the file's ``columns`` (and their kinds,
            ``column_kinds``, as :meth:`inspect_csv` gives them), the ``label`` column
            used, the columns left out (``ignored``), those asked to be left
            out (``ignore``), the one-hot columns and their categories
            (``encoded``) and the ``task`` asked for (None when it was guessed).
        """
        dataset = read_csv(data, label=label, task=task, name=name, ignore=ignore)
        self._adopt(dataset, None)
        return {**self.describe(), "columns": dataset.columns, "column_kinds": dataset.column_kinds,
                "label": dataset.label_column,
                "ignored": dataset.ignored_columns, "ignore": dataset.csv["ignore"],
                "encoded": dataset.encoded_columns, "task": task}

    @page_method
    def describe(self):
        """The open dataset's description, the config, the split's sizes (training, validation, held-out)
        and, for a 2-D set, its generator settings."""
        return {"dataset": self.dataset.describe(), "config": self.config, "n_train": int(len(self.y_train)),
                "n_val": int(len(self.y_val)), "n_test": int(len(self.y_test)), "plane": self.plane}

    # -- settings and split --------------------------------------------------
    @page_method
    def configure(self, config):
        """Validate and adopt a config; re-split the data if the split changed.

        The current model is kept. Returns the normalised config.
        """
        old = self.config
        clean = self._apply(validate_config(config, self.dataset))
        if clean != old:
            self.note_step("configure", config=dict(clean))
        return clean

    def _apply(self, clean, split=None):
        """Adopt a validated config: a new split when its seed, held-out or validation share changed, no trainer.
        The split is made (and checked) before anything changes."""
        old = self.config
        if split is None and (old is None or _split_key(old) != _split_key(clean)):
            split = splits_of(self.dataset, clean)
        self.config = clean
        if split is not None:
            self.x_train, self.x_val, self.x_test, self.y_train, self.y_val, self.y_test = split
            self._kept_training_set = None  # the copies of another split (or another dataset)
        self.trainer = None
        return clean

    def make_trainer(self, x, y, **settings):
        """A :class:`Trainer` for the current network on ``(x, y)``: the config's settings, then
        ``settings`` on top, the config seed's shuffling, and the session's backprop."""
        chosen = {name: self.config[name] for name in ("loss", "optimizer", "learning_rate", "batch_size", "l2",
                                                       "schedule", "epochs")}
        return Trainer(self.network, x, y, seed=streams(self.config["seed"]).shuffle,
                       backprop=self.edits.trainer_backprop(), **{**chosen, **settings})

    def backprop(self):
        """The session's backprop with the readable signature: the learner's edit, else :meth:`Network.backprop`."""
        return Readable(self.edits.backprop)

    def targets(self, y):
        """What the network learns for labels or targets ``y``: class indices as they
        are (the trainer one-hot encodes them), regression targets standardised as a column."""
        if self.dataset.task == "classification":
            return y
        return ((y - self.network.target_shift) / self.network.target_scale).reshape(-1, 1)

    def require_model(self):
        """The current model; a ValueError that says how to get one if there is none."""
        if self.network is None:
            raise ValueError("no model yet: load the pretrained model, import one or train")
        return self.network

    def training_set(self, config=None):
        """The samples that training fits: the training split and, for images, the config's augmented copies.

        The copies come from the config seed's own generator, so the same
        config gives the same training set in CPython and in the page. Making
        them is most of a reset's work (the digits' preset: 0.03 s in CPython,
        0.1 s in the page, twice that the first time), so the last set made is
        kept, read-only, and a reset with the same split and augmentation
        takes it again.

        Parameters
        ----------
        config : dict, optional
            A validated config (:meth:`prepare_training_set` passes the form's); the current one by default.
        """
        config = self.config if config is None else config
        x_train, y_train = self._training_split(config)
        if self.dataset.kind != "image" or not (config["augment"] or config["warps"]):
            return x_train, y_train
        key = (*_split_key(config), config["augment"], config["warps"])
        if self._kept_training_set is None or self._kept_training_set[0] != key:
            x_fit, y_fit = augment(x_train, y_train, self.dataset.image_shape, shifts=config["augment"],
                                   warps=config["warps"], rng=streams(config["seed"]).augment,
                                   top=self.dataset.feature_range[1], pixels=self.dataset.pixels)
            x_fit.flags.writeable = y_fit.flags.writeable = False  # shared by every run that takes it
            self._kept_training_set = (key, x_fit, y_fit)
        return self._kept_training_set[1:]

    def _training_split(self, config):
        """The training part of ``config``'s split: the session's own when the config splits as the current one."""
        if _split_key(config) == _split_key(self.config):
            return self.x_train, self.y_train
        x_train, _, _, y_train, _, _ = splits_of(self.dataset, config)
        return x_train, y_train

    @page_method
    def prepare_training_set(self, config=None):
        """Make the config's training set now, so that a later :meth:`reset` with it only takes it.

        The page calls this once Python is ready and the model is shown, with
        the form's config: making the augmented copies is most of a reset's
        work, and the first time the most of all (Pyodide compiles NumPy's
        functions on their first call), so the first Train's click would wait
        for it. The session's model, config, split and run stay as they were.

        Parameters
        ----------
        config : dict, optional
            The config the next Train will likely use; the current one by default.

        Returns
        -------
        dict
            ``samples`` (the training set's size) and ``seconds`` (the time this took).
        """
        start = time.perf_counter()
        config = self.config if config is None else validate_config(config, self.dataset)
        x_fit, _ = self.training_set(config)
        return {"samples": int(len(x_fit)), "seconds": time.perf_counter() - start}

    @page_method
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
        x_train = splits_of(self.dataset, config)[0]
        count = check_int(count, "count", 1, len(x_train))
        copies, n = config["warps"], len(x_train)
        matrices, moves = random_warps(n * copies, streams(config["seed"]).augment, self.dataset.image_shape)
        rows = [k * n + i for i in range(count) for k in range(copies)]  # as warp_augment lays its copies out
        warped = warp_images(x_train[[r % n for r in rows]], self.dataset.image_shape, matrices[rows], moves[rows],
                             self.dataset.feature_range[1], self.dataset.pixels)
        return {"originals": x_train[:count].tolist(), "copies": copies,
                "warped": warped.reshape(count, copies, -1).tolist()}

    @page_method
    def reset(self, config=None):
        """Start a fresh network for the config (re-initialised from its seed)."""
        if config is not None:
            self.configure(config)
        self.network = build_network(
            self.config, self.dataset, streams(self.config["seed"]).weights, self.x_train, self.y_train
        )
        x_fit, y_fit = self.training_set()
        fit, held_out, train, val = (self.targets(y) for y in (y_fit, self.y_test, self.y_train, self.y_val))
        # The validation part (if any) is monitored: it chooses the best epoch. The held-out part is only scored.
        self.trainer = self.make_trainer(
            x_fit, fit, validation_data=(self.x_val, val) if len(self.y_val) else None,
            test_data=(self.x_test, held_out), train_eval_data=(self.x_train, train),
            keep_best=self.config["keep_best"], early_stopping=self.config["patience"] or None,
        )
        self.network.loss = self.trainer.loss  # the model records what it is trained with
        self.network.metadata = {"config": dict(self.config), "trained_epochs": 0}
        self.record_code()
        # The learner's code in place is run again before the reset that builds with it.
        self.run_steps = [{"step": "run_code", "piece": piece, "text": text} for piece, text in self.edits.pieces.items()]
        self.note_step("reset", config=dict(self.config))
        self.network.metadata["steps"] = self.run_steps  # the same list: the model file carries how it was made
        return self.status()

    def note_step(self, step, **details):
        """Write down one step that changed the current model (or the session's settings), for an export.

        :attr:`run_steps` lists, in order, the page methods that made the
        current model and their arguments: ``reset`` (with its config), ``train``
        (to an ``epoch`` and ``batch``; consecutive chunks are one step),
        ``configure``, ``take_step``, ``fine_tune``, ``run_code`` and
        ``restore_code``. Calling them again in CPython makes the same model
        (:mod:`mlp.export`). The model carries the same list (``metadata["steps"]``), so a model
        brought back from a file (a reload, an import) has them too; one whose file has none has None.
        """
        if self.run_steps is None:
            return
        if step == "train" and self.run_steps and self.run_steps[-1]["step"] == "train":
            self.run_steps.pop()
        self.run_steps.append({"step": step, **details})

    def record_code(self):
        """Write into the model the learner's code it is made or changed with (``metadata["code"]``).

        Called whenever the weights are made or changed while the learner's
        code is in place: the model file then carries the code it needs (an
        activation that is not built in) or was trained with, and the page
        offers to run it again where the model comes back. Nothing runs it
        by itself.
        """
        if self.edits.pieces:
            self.network.metadata["code"] = {**self.network.metadata.get("code", {}), **self.edits.pieces}

    # -- training -------------------------------------------------------------
    @page_method
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
        yours = self.edits.pieces and trainer.epoch < self.config["epochs"] and not trainer.stopped_early
        try:
            with raise_in_learner_code() if yours else contextlib.nullcontext(), \
                    usercode.user_frames() if yours else contextlib.nullcontext():
                stopped = (trainer.run(**limits) if trainer.epoch < self.config["epochs"] and not trainer.stopped_early
                           else "early_stopping" if trainer.stopped_early else "epochs")
        except TrainingDiverged as exc:
            stopped, error = "diverged", str(exc)
        except KeyboardInterrupt as exc:
            # Code that loops here loops again in the next call that runs it (the page's evaluation,
            # its pictures), where no Stop reaches: the shipped code takes over again.
            kept = trainer.rewind()
            line = usercode.error_line(exc.__traceback__)
            self.edits.restore(self)
            stopped, error = "interrupted", (
                f"{f'line {line}: ' if line else ''}Stop ended your code here (an endless loop?). {kept} were kept. "
                "The shipped code runs again; yours stays in the editor, and Run my code runs it again.")
        except usercode.CodeError as exc:
            kept = trainer.rewind()
            raise usercode.CodeError(f"{exc.message} (while training with your code; {kept.lower()} were kept)",
                                     exc.line) from None
        self.network.metadata["trained_epochs"] = trainer.epoch
        self.note_weights_epoch(trainer)
        self.record_code()
        self.note_step("train", epoch=int(trainer.epoch), batch=int(trainer.batch_index))
        if stopped == "interrupted" and error:
            self.note_step("restore_code", piece=None)
        result = self.status()
        result.update(history=trainer.history.records[seen:], stopped=stopped)
        if error:
            result["error"] = error
        return result

    def note_weights_epoch(self, trainer):
        """Write into the model the best epoch on validation so far (``metadata["best_epoch"]``: ``epoch``,
        ``val_loss``, ``kept``: the weights are that epoch's, ``stopped_early``), when there is a validation split."""
        if trainer.best_epoch is None:
            self.network.metadata.pop("best_epoch", None)
            return
        epoch, loss = trainer.best_epoch
        kept = trainer.stopped_early or (trainer.keep_best and trainer.epoch >= self.config["epochs"])
        self.network.metadata["best_epoch"] = {"epoch": int(epoch), "val_loss": float(loss), "kept": bool(kept),
                                               "stopped_early": bool(trainer.stopped_early)}

    def request_stop(self):
        """Stop the training chunk in progress before its next batch (see :meth:`Trainer.request_stop`)."""
        if self.trainer is not None:
            self.trainer.request_stop()

    @page_method
    def handle_interrupts(self):
        """From now on, SIGINT (the page's Stop) stops training cleanly at its next batch (:mod:`mlp.interrupts`).

        The worker calls this once, when it has the interrupt buffer.
        """
        stop_training_for_good(self.request_stop)

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
            "finished": t.epoch >= self.config["epochs"] or t.stopped_early,
            "position": t.position(),
        }

    # -- evaluation (mlp.evaluation) ----------------------------------------------
    @page_method
    def evaluate(self, max_misclassified=40, max_points=500):
        """How the model does on the held-out split: :func:`mlp.evaluation.evaluate`, and which epoch
        its weights are from (:func:`mlp.evaluation.weights_epoch`)."""
        net = self.require_model()
        return {**evaluation.evaluate(net, self.dataset, self.x_test, self.y_test, max_misclassified, max_points),
                "weights_epoch": evaluation.weights_epoch(net)}

    @page_method
    def test_sample(self, index):
        """Held-out sample ``index``: its features and true label (a class index) or target."""
        index = int(index)
        if not 0 <= index < len(self.y_test):
            raise ValueError(f"test index must be in 0..{len(self.y_test) - 1}, got {index}")
        truth = self.y_test[index]
        label = float(truth) if self.dataset.task == "regression" else int(truth)
        return {"index": index, "features": self.x_test[index].tolist(), "label": label}

    @page_method
    def predict(self, features):
        """The model's answer for one sample: :func:`mlp.evaluation.predict_one`."""
        return evaluation.predict_one(self.require_model(), features, self.dataset.task)

    # -- pictures (mlp.pictures) ---------------------------------------------------
    def _require_plane(self):
        if self.dataset.kind != "plane":
            raise ValueError(f"{self.dataset.name!r} is not a two-dimensional dataset")

    @page_method
    def boundary(self, resolution=50, unit_resolution=20, max_units=64):
        """The model's output and its hidden units' over the plane: :func:`mlp.pictures.boundary`,
        with the epoch it shows."""
        self._require_plane()
        net = self.require_model()
        resolution = check_int(resolution, "resolution", 2, 200)
        unit_resolution = check_int(unit_resolution, "unit_resolution", 2, 100)
        found = pictures.boundary(net, self.dataset.task, resolution, unit_resolution, max_units)
        return {**found, "epoch": self.trainer.epoch if self.trainer is not None else None}

    @page_method
    def points(self):
        """The 2-D set's training and held-out points: :func:`mlp.pictures.points`."""
        self._require_plane()
        return pictures.points(self.x_train, self.y_train, self.x_test, self.y_test)

    @page_method
    def diagram(self, max_units=10):
        """The current model as the network diagram draws it: :func:`mlp.pictures.diagram`."""
        net = self.require_model()
        return pictures.diagram(net, self.dataset.feature_names, check_int(max_units, "max_units", 1, 64))

    @page_method
    def first_layer_weights(self):
        """Each first-layer unit's incoming weights, and the inputs' names: :func:`mlp.pictures.first_layer_weights`."""
        return pictures.first_layer_weights(self.require_model(), self.dataset.feature_names)

    # -- the drawing pad (mlp.pad) ------------------------------------------------
    @page_method
    def predict_drawing(self, pixels, width, height):
        """Classify a canvas drawing: :func:`mlp.pad.predict_drawing`."""
        return pad.predict_drawing(self, pixels, width, height)

    @page_method
    def test_sample_bitmap(self, index):
        """Held-out digit ``index`` as a bitmap to draw on the pad: :func:`mlp.pad.test_sample_bitmap`."""
        return pad.test_sample_bitmap(self, index)

    @page_method
    def fine_tune(self, samples, epochs=3, learning_rate=1e-3, repeat=10):
        """Train a little more on the learner's own digits: :func:`mlp.pad.fine_tune`."""
        result = pad.fine_tune(self, samples, epochs, learning_rate, repeat)
        self.network.metadata.pop("best_epoch", None)  # the weights are no epoch's of the run any more
        self.record_code()
        own = [{"input": [float(v) for v in s["input"]], "label": int(s["label"])} for s in samples]
        self.note_step("fine_tune", samples=own, epochs=epochs, learning_rate=learning_rate, repeat=repeat)
        return result

    # -- the lesson (mlp.lesson) ------------------------------------------------------
    @page_method
    def inside_step(self, index=0, split="train"):
        """One sample through the current model, equation by equation: :func:`mlp.lesson.inside_step`."""
        return lesson.inside_step(self, index, split)

    @page_method
    def take_step(self, index=0, split="train"):
        """One plain SGD step on one sample: :func:`mlp.lesson.take_step`."""
        result = lesson.take_step(self, index, split)
        self.network.metadata.pop("best_epoch", None)  # the weights are no epoch's of the run any more
        self.record_code()
        self.note_step("take_step", index=result["index"], split=result["split"])
        return result

    @page_method
    def gradient_check(self, n_samples=5, max_entries=200):
        """Backprop vs finite differences: :func:`mlp.lesson.gradient_check`."""
        return lesson.gradient_check(self, n_samples, max_entries)

    # -- the learner's code (mlp.edits) -------------------------------------------------
    @page_method
    def code(self):
        """What the Code view starts from: each piece's shipped source, the templates, and the pieces now edited."""
        return {
            "sources": {piece: usercode.source(piece) for piece in usercode.PIECES},
            "templates": {"swish": usercode.SWISH, "bug_2017": usercode.bug_2017()},
            "edited": sorted(self.edits.pieces),
        }

    @page_method
    def run_code(self, piece, text):
        """Run a learner's edited piece in place of the shipped one, then the gradient check: :meth:`mlp.edits.Edits.run`."""
        result = self.edits.run(self, piece, text)
        if result["ok"]:
            self.note_step("run_code", piece=piece, text=text)
        return result

    @page_method
    def restore_code(self, piece=None):
        """Put the shipped code back, for one piece or (None) all: :meth:`mlp.edits.Edits.restore`."""
        edited = self.edits.restore(self, piece)
        self.note_step("restore_code", piece=piece)
        return edited

    # -- models -------------------------------------------------------------------
    @page_method
    def export_model(self):
        """The current model as model-file text."""
        return dumps(self.require_model())

    @page_method
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
            width is not this dataset's, or it reads a CSV's text columns with
            other categories. The current model stays.
        """
        data = self.dataset
        made_for = (network.dataset or {}).get("name")
        if (made_for not in (None, data.name) or network.n_inputs != data.n_features
                or network.dimensions[-1] != data.n_outputs):
            k = network.dimensions[-1]
            hint = (f": it tells {k} classes apart; set Classes to {k}, Regenerate, and import it again"
                    if made_for == data.name and data.name in K_CLASS and MIN_CLASSES <= k <= MAX_CLASSES else "")
            raise ModelFormatError(
                f"this model was made for {_made_for(network)}, not for {data.name!r} "
                f"({data.n_features} inputs, {data.n_outputs} outputs){hint}"
            )
        read_as = (network.dataset or {}).get("csv")
        if read_as is not None and data.csv is not None and read_as["encode"] != data.csv["encode"]:
            raise ModelFormatError(
                f"this model one-hot encodes {read_as['encode'] or 'no column'}, but {data.name!r} is read with "
                f"{data.csv['encode'] or 'no column'} encoded: its inputs would mean other things"
            )
        self.network = network
        self.trainer = None
        steps = network.metadata.get("steps")
        self.run_steps = steps if isinstance(steps, list) else None  # checked when exported (mlp.export.check_steps)
        return self.model_summary()

    @page_method
    def export_run(self, form, site=None):
        """The current run as a Python script or a notebook that makes it again in CPython: :func:`mlp.export.export`.

        Parameters
        ----------
        form : {"script", "notebook"}
        site : dict, optional
            The page's address (``url``) and the mlp wheel it serves (``wheel``:
            ``file`` and ``sha256``), for the install command and the data's address.

        Returns
        -------
        dict
            ``filename`` and ``text``.
        """
        return export.export(self, form, site)

    @page_method
    def model_summary(self):
        """Dimensions, activations, loss, size and metadata of the current model."""
        net = self.require_model()
        doc = to_dict(net)
        del doc["weights"], doc["biases"]
        doc["n_parameters"] = int(net.n_parameters())
        return doc



Session.PAGE_METHODS = tuple(name for name, member in vars(Session).items() if getattr(member, "page_method", False))
"""The methods the browser's worker may call, those declared with :func:`page_method` (py-worker.js refuses any other)."""
