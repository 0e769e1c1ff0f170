"""The training loop: epochs of shuffled minibatches, resumable in chunks.

:class:`Trainer` owns everything a training run needs between two calls: the
optimizer's state, the shuffled copy of the data for the current epoch, the
position inside that epoch, the history and the last finite weights. So a run
can be cut into chunks of any size, and N chunks give bit for bit the same
weights as one call. The browser relies on this: it trains ~100 ms at a time
and reports progress in between, which keeps Stop responsive.

The hot loop (:meth:`Trainer._train_batch`) slices contiguous batches out of a
copy of the data permuted once per epoch and runs backprop in preallocated
buffers, so it does no per-batch allocation of arrays or dicts.

A run can also be asked to stop from outside, at the next batch boundary:
:meth:`Trainer.request_stop`, which :func:`mlp.interrupts.stop_training` wires to SIGINT
(Ctrl-C on the desktop; in Pyodide, the page writing 2 into the interrupt
buffer). A batch's update is never cut in half, so the weights after a stop
are those of the last completed step.
"""

import math
import time

import numpy as np

from .backprop import Batch, Buffered
from .interrupts import stop_training
from .losses import get_loss
from .metrics import accuracy_score
from .optimizers import get_optimizer, schedule_factor
from .validation import as_features, as_targets, check_float, check_int, is_one_hot, make_rng


class TrainingDiverged(ValueError):
    """The loss became NaN or inf. The weights of the last finite epoch are kept."""


class History:
    """Per-epoch records of a training run.

    Each record is a dict with ``epoch``, ``loss``, ``accuracy`` and, with
    validation data, ``val_loss`` and ``val_accuracy``, with test data,
    ``test_loss`` and ``test_accuracy``; also ``seconds`` spent training so far. ``history["loss"]`` gives one column as a list.
    """

    def __init__(self):
        self.records = []

    def append(self, record):
        self.records.append(record)

    def __getitem__(self, key):
        return [r.get(key) for r in self.records]

    def __len__(self):
        return len(self.records)

    def to_dict(self):
        """Columns as plain lists, e.g. for JSON or the browser."""
        keys = self.records[0].keys() if self.records else ()
        return {k: self[k] for k in keys}


class Trainer:
    """Minibatch training of a :class:`~mlp.network.Network`.

    Parameters
    ----------
    network : Network
        Trained in place.
    x : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples, n_outputs) or (n_samples,)
        One-hot targets or integer labels.
    loss : str or Loss class, default="mse"
        Bound to the network's output activation at the start of every
        :meth:`run`, so a loss or output activation replaced between two
        chunks (the learner's code) is the one the next chunk uses.
    optimizer : {"sgd", "momentum", "nesterov", "adam"}, default="sgd"
    learning_rate : float, default=1e-3
    batch_size : int, default=32
    l2 : float, default=0.0
        Weight decay coefficient (see :meth:`Network.gradients`).
    seed : int, Generator or None, default=None
        Shuffling randomness. Same seed, same run.
    validation_data : tuple (x_val, y_val), optional
        Evaluated after every epoch; never trained on. Its loss is what
        ``early_stopping`` and ``keep_best`` monitor.
    test_data : tuple (x_test, y_test), optional
        Also evaluated after every epoch, to be shown: never trained on, and
        never monitored, so the epoch it scores is not one it chose.
    train_eval_data : tuple (x, y), optional
        What the per-epoch training loss and accuracy are measured on, when
        not ``x, y`` themselves: with augmentation, the original images
        rather than all their shifted copies (as meaningful, and 5x cheaper).
    schedule : {"constant", "cosine"}, default="constant"
        How the learning rate changes from epoch to epoch
        (:data:`mlp.optimizers.SCHEDULES`); set at the start of each epoch.
    epochs : int, optional
        The run's length, which a schedule other than ``constant`` needs.
    early_stopping : int, optional
        Stop when the monitored loss (validation if given, else training) has
        not improved for this many epochs, and restore the best weights.
    keep_best : bool, default=False
        When the run reaches ``epochs``, restore the weights of the epoch
        with the lowest monitored loss (see :attr:`best_epoch`).
    callback : callable, optional
        Called with each epoch's record; a truthy return value stops training.
    backprop : callable, optional
        The backprop each batch runs (:mod:`mlp.backprop`): the fast path
        (:class:`~mlp.backprop.Buffered`) by default; ``Readable()`` for the
        readable one, ``Readable(function)`` for a learner's edit. It may be
        replaced between two calls of :meth:`run`.
    """

    def __init__(
        self,
        network,
        x,
        y,
        *,
        loss="mse",
        optimizer="sgd",
        learning_rate=1e-3,
        batch_size=32,
        l2=0.0,
        seed=None,
        validation_data=None,
        test_data=None,
        train_eval_data=None,
        schedule="constant",
        epochs=None,
        early_stopping=None,
        keep_best=False,
        callback=None,
        backprop=None,
    ):
        self.network = network
        self.x = as_features(x, network.n_inputs)
        self.y = as_targets(y, len(self.x), network.dimensions[-1])
        self._loss = loss
        self.loss = get_loss(loss, network.activations[-1])
        self.backprop = Buffered() if backprop is None else backprop
        self.learning_rate = check_float(learning_rate, "learning_rate", low=0.0)
        self.batch_size = check_int(batch_size, "batch_size", 1)
        self.l2 = check_float(l2, "l2", low=0.0, low_inclusive=True)
        self.early_stopping = (
            None if early_stopping is None else check_int(early_stopping, "early_stopping", 1)
        )
        self.validation = None
        if validation_data is not None:
            x_val, y_val = validation_data
            x_val = as_features(x_val, network.n_inputs, "x_val")
            self.validation = (x_val, as_targets(y_val, len(x_val), network.dimensions[-1], "y_val"))
        self.test = None
        if test_data is not None:
            x_test, y_test = test_data
            x_test = as_features(x_test, network.n_inputs, "x_test")
            self.test = (x_test, as_targets(y_test, len(x_test), network.dimensions[-1], "y_test"))
        self.train_eval = (self.x, self.y)
        if train_eval_data is not None:
            x_eval, y_eval = train_eval_data
            x_eval = as_features(x_eval, network.n_inputs, "x_eval")
            self.train_eval = (x_eval, as_targets(y_eval, len(x_eval), network.dimensions[-1], "y_eval"))
        self.optimizer = get_optimizer(optimizer, network.parameters(), self.learning_rate)
        schedule_factor(schedule, 0, 1)  # a known name
        if schedule != "constant" and epochs is None:
            raise ValueError(f"a {schedule!r} learning-rate schedule needs the run's epochs")
        self.schedule, self.epochs = schedule, None if epochs is None else check_int(epochs, "epochs", 1)
        if keep_best and self.epochs is None:
            raise ValueError("keep_best needs the run's epochs: the best weights are restored at its end")
        self.keep_best = bool(keep_best)
        self.rng = make_rng(seed)
        self.callback = callback

        self.classification = is_one_hot(self.y)
        self.history = History()
        self.epoch = 0  # completed epochs
        self.batch_index = 0  # next batch within the current epoch
        self.seconds = 0.0  # time spent in run(), summed
        self._stop_requested = False
        n = len(self.x)
        self.batches_per_epoch = math.ceil(n / self.batch_size)
        self._x_scaled = network.prepare_inputs(self.x)
        self._x_epoch = np.empty_like(self._x_scaled)
        self._y_prepared = self.y.astype(network.dtype, copy=False)  # targets in the network's precision
        self._y_epoch = np.empty_like(self._y_prepared)
        self._order = None  # this epoch's permutation of the samples
        self._finite = [p.copy() for p in network.parameters()]
        self._best = None  # (loss, epoch, params) for early stopping and keep_best
        self.stopped_early = False

    @property
    def best_epoch(self):
        """The epoch with the lowest monitored loss so far and that loss, as ``(epoch, loss)``.

        Tracked with validation data, early stopping or ``keep_best``; else None.
        """
        return None if self._best is None else (self._best[1], self._best[0])

    @property
    def samples_per_epoch(self):
        return len(self.x)

    # -- the loop ----------------------------------------------------------
    def run(self, epochs=None, max_batches=None, max_seconds=None, verbose=False):
        """Train until one of the limits is reached.

        Parameters
        ----------
        epochs : int, optional
            Stop when this many epochs are complete in total (not "more").
        max_batches : int, optional
            Train at most this many batches in this call.
        max_seconds : float, optional
            Stop after the first batch that ends past this time budget.
        verbose : bool, default=False
            Print a progress line per epoch.

        Returns
        -------
        str
            Why it stopped: ``"epochs"``, ``"batches"``, ``"time"``,
            ``"callback"``, ``"early_stopping"`` or ``"interrupted"`` (see
            :meth:`request_stop`).

        Raises
        ------
        TrainingDiverged
            After restoring the last finite weights.
        """
        if epochs is None and max_batches is None and max_seconds is None:
            raise ValueError("run() needs at least one of epochs, max_batches or max_seconds")
        if epochs is not None:
            epochs = check_int(epochs, "epochs", 1)
        start = time.perf_counter()
        deadline = None if max_seconds is None else start + max_seconds
        done = 0
        reason = None
        self._stop_requested = False
        self.loss = get_loss(self._loss, self.network.activations[-1])
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            while reason is None:
                if self._stop_requested:
                    reason = "interrupted"
                elif epochs is not None and self.epoch >= epochs:
                    reason = "epochs"
                elif max_batches is not None and done >= max_batches:
                    reason = "batches"
                elif deadline is not None and done and time.perf_counter() >= deadline:
                    reason = "time"
                else:
                    self._train_batch()
                    done += 1
                    if self.batch_index == self.batches_per_epoch:
                        reason = self._end_epoch(start, verbose)
        self.seconds += time.perf_counter() - start
        if self.batch_index and not all(np.isfinite(p).all() for p in self.network.parameters()):
            self._diverged(f"in epoch {self.epoch + 1}")
        return reason

    def position(self):
        """Where training is, in words: "after epoch 3" or "in epoch 4, after batch 12 of 106"."""
        if self.batch_index == 0:
            return f"after epoch {self.epoch}"
        return f"in epoch {self.epoch + 1}, after batch {self.batch_index} of {self.batches_per_epoch}"

    def run_to_the_end(self, epochs, verbose=False):
        """:meth:`run` for ``epochs``, where Ctrl-C stops cleanly at a batch boundary.

        For callers that train in one go (:meth:`Network.fit`, the
        scikit-learn estimator): a KeyboardInterrupt could otherwise strike in
        the middle of an update and leave the weights half stepped.

        Returns
        -------
        bool
            True if training ran to its end (or stopped early by design),
            False if Ctrl-C stopped it.
        """
        with stop_training(self.request_stop):
            return self.run(epochs=epochs, verbose=verbose) != "interrupted"

    def request_stop(self):
        """Ask the run in progress to stop before its next batch.

        Safe to call from a signal handler: it only sets a flag, which
        :meth:`run` reads between batches, so no update is left half done.
        A request made while no run is in progress is dropped when the next
        run starts: a stop applies to the run that is going on.
        """
        self._stop_requested = True

    def _train_batch(self):
        if self.batch_index == 0:
            if self.schedule != "constant":
                self.optimizer.learning_rate = self.learning_rate * schedule_factor(
                    self.schedule, min(self.epoch, self.epochs - 1), self.epochs)
            order = self.rng.permutation(len(self.x))
            np.take(self._x_scaled, order, axis=0, out=self._x_epoch)
            np.take(self._y_prepared, order, axis=0, out=self._y_epoch)
            self._order = order
        start = self.batch_index * self.batch_size
        stop = start + self.batch_size
        batch = Batch(self._x_epoch[start:stop], self._y_epoch[start:stop], lambda: self.x[self._order[start:stop]])
        factor = self.optimizer.step_factor
        steps = self.backprop(self.network, batch, self.loss, self.l2, 1.0 if factor is None else factor)
        params = self.network.parameters()
        if factor is None:
            self.optimizer.update(params, steps)
        else:  # the step is factor x the gradient: backprop computed the steps themselves
            for p, step in zip(params, steps, strict=True):
                p += step
        self.batch_index += 1

    def _end_epoch(self, start, verbose):
        self.batch_index = 0
        record = {"epoch": self.epoch + 1, **self.evaluate()}
        record["seconds"] = self.seconds + time.perf_counter() - start
        if not math.isfinite(record["loss"]):
            self._diverged(f"in epoch {self.epoch + 1}")
        self.epoch += 1
        self._finite = [p.copy() for p in self.network.parameters()]
        self.history.append(record)
        if verbose:
            print(_progress_line(record))
        if self.callback is not None and self.callback(record):
            return "callback"
        if self.validation is not None or self.early_stopping is not None or self.keep_best:
            self._track_best(record)
        if self.early_stopping is not None and self.epoch - self._best[1] >= self.early_stopping:
            self._restore_best()
            self.stopped_early = True
            return "early_stopping"
        if self.keep_best and self.epoch >= self.epochs:
            self._restore_best()
        return None

    def rewind(self):
        """Go back to the end of the last whole epoch: its weights, a fresh optimizer, the epoch's start.

        After a run was cut off somewhere no batch boundary guarantees (the
        loss diverged, or Stop interrupted the learner's own code mid-update).

        Returns
        -------
        str
            Which weights were kept, in words.
        """
        for p, good in zip(self.network.parameters(), self._finite, strict=True):
            np.copyto(p, good)
        self.optimizer = get_optimizer(
            type(self.optimizer), self.network.parameters(), self.learning_rate
        )
        self.batch_index = 0
        return f"The weights from the end of epoch {self.epoch}" if self.epoch else "The initial weights"

    def _diverged(self, when):
        kept = self.rewind()
        raise TrainingDiverged(
            f"Training diverged {when}: the loss became NaN or inf with learning_rate="
            f"{self.learning_rate:g}. Lower the learning rate (try {self.learning_rate / 10:g}). "
            f"{kept} were kept."
        )

    def _track_best(self, record):
        """Keep a copy of this epoch's weights if its monitored loss is the lowest yet."""
        monitored = record.get("val_loss", record["loss"])
        if self._best is None or monitored < self._best[0] - 1e-12:
            self._best = (monitored, self.epoch, [p.copy() for p in self.network.parameters()])

    def _restore_best(self):
        for p, best in zip(self.network.parameters(), self._best[2], strict=True):
            np.copyto(p, best)
        self._finite = [p.copy() for p in self.network.parameters()]

    # -- evaluation --------------------------------------------------------
    def evaluate(self):
        """Loss (and accuracy, for one-hot targets) on the training and validation data."""
        result = self._score(*self.train_eval, "")
        if self.validation is not None:
            result.update(self._score(*self.validation, "val_"))
        if self.test is not None:
            result.update(self._score(*self.test, "test_"))
        return result

    def _score(self, x, y, prefix):
        out = self.network.output(x)
        scores = {prefix + "loss": self.loss.loss(y, out)}
        if self.classification:
            scores[prefix + "accuracy"] = accuracy_score(y.argmax(axis=1), out.argmax(axis=1))
        return scores


def _progress_line(record):
    parts = [f"epoch {record['epoch']:>4}", f"loss {record['loss']:.4f}"]
    for key in ("accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy"):
        if key in record:
            parts.append(f"{key} {record[key]:.4f}")
    return "  ".join(parts)
