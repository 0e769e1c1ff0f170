"""Training: determinism, chunking, optimizers, history, early stopping, divergence."""

import signal

import numpy as np
import pytest

from mlp import MSE, Network, Relu, Sigmoid, Trainer, TrainingDiverged
from mlp.interrupts import stop_training
from mlp.optimizers import OPTIMIZERS


def _data(rng, n=40):
    x = rng.normal(size=(n, 6))
    y = (x[:, 0] + x[:, 1] > 0).astype(int) + (x[:, 2] > 1)
    return x, y


def test_same_seed_same_weights_and_run(rng):
    x, y = _data(rng)
    nets = []
    for _ in range(2):
        net = Network((6, 8, 3), ("relu", "softmax"), seed=7)
        net.fit(x, y, loss="cross_entropy", epochs=3, batch_size=5, optimizer="adam")
        nets.append(net)
    for p, q in zip(nets[0].parameters(), nets[1].parameters(), strict=True):
        np.testing.assert_array_equal(p, q)


def test_different_seeds_differ():
    a = Network((6, 8, 3), ("relu", "softmax"), seed=1)
    b = Network((6, 8, 3), ("relu", "softmax"), seed=2)
    assert not np.array_equal(a.weights[0], b.weights[0])


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("chunk", [1, 3, 7, 1000])
def test_chunked_training_equals_one_shot_bit_for_bit(rng, optimizer, chunk):
    x, y = _data(rng, 37)  # 37 = 7 full batches of 5 + a partial one of 2

    def trainer():
        net = Network((6, 8, 3), ("tanh", "softmax"), seed=3)
        return Trainer(net, x, y, loss="cross_entropy", optimizer=optimizer, batch_size=5,
                       learning_rate=0.01, l2=1e-3, seed=11, validation_data=(x[:9], y[:9]))

    one = trainer()
    one.run(epochs=4)
    many = trainer()
    calls = 0
    while many.epoch < 4:
        many.run(epochs=4, max_batches=chunk)
        calls += 1
    assert calls >= (32 // chunk)
    for p, q in zip(one.network.parameters(), many.network.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)
    assert one.history.records[-1]["val_loss"] == many.history.records[-1]["val_loss"]


def _adam_trainer(x, y):
    net = Network((6, 8, 3), ("relu", "softmax"), seed=3)
    return Trainer(net, x, y, loss="cross_entropy", optimizer="adam", batch_size=5, learning_rate=0.01, seed=11)


def _signal_on_third_update(monkeypatch):
    """Deliver SIGINT during the third Adam update, wherever Adam is used."""
    from mlp.optimizers import Adam

    update, calls = Adam.update, []

    def update_with_signal(self, params, grads):
        calls.append(1)
        if len(calls) == 3:
            signal.raise_signal(signal.SIGINT)
        update(self, params, grads)

    monkeypatch.setattr(Adam, "update", update_with_signal)


def test_sigint_during_an_update_stops_at_the_batch_boundary(rng, monkeypatch):
    x, y = _data(rng, 37)
    after_three = _adam_trainer(x, y)
    after_three.run(max_batches=3)
    uninterrupted = _adam_trainer(x, y)
    uninterrupted.run(epochs=4)

    t = _adam_trainer(x, y)
    _signal_on_third_update(monkeypatch)  # delivered before that update runs
    before = signal.getsignal(signal.SIGINT)  # SIG_IGN in a background job, Python's own handler in a terminal
    with stop_training(t.request_stop):
        assert t.run(epochs=4) == "interrupted"
    assert signal.getsignal(signal.SIGINT) is before  # handler restored
    assert (t.epoch, t.batch_index) == (0, 3)
    for p, q in zip(t.network.parameters(), after_three.network.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)  # the third update went through whole

    monkeypatch.undo()
    assert t.run(epochs=4) == "epochs"
    for p, q in zip(t.network.parameters(), uninterrupted.network.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)  # resuming loses nothing


def test_ctrl_c_in_fit_raises_after_a_whole_step(rng, monkeypatch):
    x, y = _data(rng, 37)
    reference = Network((6, 8, 3), ("relu", "softmax"), seed=3)
    Trainer(reference, x, y, loss="cross_entropy", optimizer="adam", batch_size=5, seed=11).run(max_batches=3)
    _signal_on_third_update(monkeypatch)
    net = Network((6, 8, 3), ("relu", "softmax"), seed=3)
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt, match="in epoch 1, after batch 3"):
        net.fit(x, y, loss="cross_entropy", optimizer="adam", batch_size=5, epochs=4, seed=11)
    for p, q in zip(net.parameters(), reference.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)
    assert signal.getsignal(signal.SIGINT) is before


def test_a_stop_requested_between_runs_is_dropped(rng):
    x, y = _data(rng, 37)
    t = _adam_trainer(x, y)
    t.request_stop()
    assert t.run(epochs=1) == "epochs" and t.epoch == 1


def test_training_metrics_can_be_measured_on_other_data(rng):
    x, y = _data(rng, 37)
    t = Trainer(Network((6, 8, 3), ("relu", "softmax"), seed=3), np.tile(x, (3, 1)), np.tile(y, 3),
                loss="cross_entropy", batch_size=5, seed=0, train_eval_data=(x[:20], y[:20]))
    t.run(epochs=1)
    out = t.network.predict(x[:20])
    assert t.history["loss"][0] == t.loss.loss(np.eye(3)[y[:20]], out)
    assert t.history["accuracy"][0] == np.mean(out.argmax(axis=1) == y[:20])


def test_time_budget_returns_and_resumes(rng):
    x, y = _data(rng, 200)
    t = Trainer(Network((6, 16, 3), ("relu", "softmax"), seed=0), x, y, loss="cross_entropy", batch_size=1, seed=0)
    reason = t.run(epochs=50, max_seconds=0.01)
    assert reason == "time" and t.epoch < 50
    assert t.run(epochs=50) == "epochs" and t.epoch == 50


def test_sgd_step_matches_hand_computed_update(rng):
    """One SGD batch equals w - lr * (backprop gradient) computed separately."""
    x, y = rng.normal(size=(4, 3)), np.eye(2)[[0, 1, 1, 0]]
    net = Network((3, 4, 2), (Relu, Sigmoid), seed=0)
    grad_w, grad_b = net.gradients(x, y, MSE)
    expected = [p - 0.5 * g for p, g in zip(net.parameters(), grad_w + grad_b, strict=True)]
    Trainer(net, x, y, loss=MSE, batch_size=4, learning_rate=0.5, seed=0).run(epochs=1)
    for p, e in zip(net.parameters(), expected, strict=True):
        np.testing.assert_allclose(p, e, rtol=1e-13, atol=1e-15)


def test_history_records_loss_and_accuracy(rng):
    x, y = _data(rng)
    history = Network((6, 8, 3), ("relu", "softmax"), seed=0).fit(
        x, y, loss="cross_entropy", epochs=5, batch_size=8, learning_rate=0.05,
        optimizer="momentum", validation_data=(x[:10], y[:10]))
    assert len(history) == 5
    assert set(history.to_dict()) >= {"epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"}
    assert history["loss"][-1] < history["loss"][0]


def test_callback_can_stop(rng):
    x, y = _data(rng)
    seen = []
    history = Network((6, 4, 3), ("relu", "softmax"), seed=0).fit(
        x, y, loss="cross_entropy", epochs=50, batch_size=8,
        callback=lambda r: seen.append(r["epoch"]) or r["epoch"] == 3)
    assert seen == [1, 2, 3] and len(history) == 3


def test_early_stopping_restores_best_weights(rng):
    x, y = _data(rng)
    x_val, y_val = rng.normal(size=(10, 6)), rng.integers(0, 3, 10)  # noise: val loss rises
    net = Network((6, 32, 3), ("relu", "softmax"), seed=0)
    t = Trainer(net, x, y, loss="cross_entropy", optimizer="adam", learning_rate=0.05,
                batch_size=4, seed=0, validation_data=(x_val, y_val), early_stopping=2)
    assert t.run(epochs=200) == "early_stopping"
    best = min(t.history["val_loss"])
    assert t.epoch < 200
    assert t.evaluate()["val_loss"] == pytest.approx(best)


def test_divergence_stops_and_keeps_last_finite_weights(rng):
    x, y = _data(rng)
    net = Network((6, 8, 3), ("relu", "identity"), seed=0)
    t = Trainer(net, x * 100, np.eye(3)[y], loss="mse", learning_rate=50.0, batch_size=4, seed=0)
    with pytest.raises(TrainingDiverged, match="Lower the learning rate"):
        t.run(epochs=20)
    assert all(np.isfinite(p).all() for p in net.parameters())


def test_fit_resumes_from_current_weights(rng):
    x, y = _data(rng)
    net = Network((6, 8, 3), ("relu", "softmax"), seed=0)
    first = net.fit(x, y, loss="cross_entropy", epochs=5, batch_size=8, learning_rate=0.05)
    second = net.fit(x, y, loss="cross_entropy", epochs=5, batch_size=8, learning_rate=0.05)
    assert second["loss"][0] < first["loss"][0]


@pytest.mark.parametrize("sigint", [signal.SIG_IGN, signal.SIG_DFL], ids=["sigint-ignored", "sigint-default"])
def test_the_signal_tests_pass_however_the_suite_is_launched(sigint):
    """A background job (``cmd &``, nohup, a CI runner) starts with SIGINT ignored; a terminal does not.

    The tests that deliver SIGINT must pass either way, so run them in a child
    that starts each way.
    """
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    tests = ["tests/test_training.py", "tests/test_sklearn_estimator.py", "tests/test_cli_and_docs.py"]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, "-k", "sigint_during or ctrl_c"],
        cwd=root, capture_output=True, text=True, stdin=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, sigint), timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "4 passed" in run.stdout, run.stdout[-1000:]


def test_the_three_backprops_are_interchangeable_values_for_the_trainer():
    """The fast path (the default), the readable Network.backprop and a learner's edit of it
    (run through mlp.usercode) train the same weights, to 1e-12, with an optimizer that takes
    gradients (adam) and one that takes steps (plain SGD)."""
    from mlp import usercode
    from mlp.backprop import Buffered, Readable

    x, y = _data(np.random.default_rng(4), n=30)
    learners = usercode.run("backprop", usercode.source("backprop"))
    for optimizer in ("adam", "sgd"):
        weights = []
        for backprop in (Buffered(), Readable(), Readable(learners)):
            net = Network((6, 8, 3), ("relu", "softmax"), seed=3)
            Trainer(net, x, y, loss="cross_entropy", optimizer=optimizer, batch_size=7, learning_rate=0.05,
                    seed=11, backprop=backprop).run(epochs=3)
            weights.append(net.parameters())
        for other in weights[1:]:
            for a, b in zip(weights[0], other, strict=True):
                np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
        assert not np.allclose(weights[0][0], Network((6, 8, 3), ("relu", "softmax"), seed=3).weights[0])


def test_keep_best_ends_with_the_weights_of_the_best_validation_epoch(rng):
    x, y = _data(rng)
    x_val, y_val = rng.normal(size=(10, 6)), rng.integers(0, 3, 10)  # noise: the validation loss rises
    settings = dict(loss="cross_entropy", optimizer="adam", learning_rate=0.05, batch_size=4, epochs=12)
    # The same run, stopped at each epoch: the weights each epoch ends with.
    ends = {}
    for epoch in range(1, 13):
        t = Trainer(Network((6, 16, 3), ("relu", "softmax"), seed=0), x, y, seed=0, validation_data=(x_val, y_val),
                    **settings)
        t.run(epochs=epoch)
        ends[epoch] = [p.copy() for p in t.network.parameters()]
    kept = Trainer(Network((6, 16, 3), ("relu", "softmax"), seed=0), x, y, seed=0, validation_data=(x_val, y_val),
                   keep_best=True, **settings)
    assert kept.run(epochs=12) == "epochs"
    val_loss = kept.history["val_loss"]
    best = int(np.argmin(val_loss)) + 1
    assert best < 12 and kept.best_epoch == (best, min(val_loss))  # not simply the last
    for p, q in zip(kept.network.parameters(), ends[best], strict=True):
        np.testing.assert_array_equal(p, q)
    assert kept.evaluate()["val_loss"] == min(val_loss)


def test_early_stopping_stops_after_patience_epochs_without_improvement(rng):
    x, y = _data(rng)
    x_val, y_val = rng.normal(size=(10, 6)), rng.integers(0, 3, 10)
    for patience in (1, 3, 5):
        t = Trainer(Network((6, 32, 3), ("relu", "softmax"), seed=0), x, y, loss="cross_entropy", optimizer="adam",
                    learning_rate=0.05, batch_size=4, seed=0, validation_data=(x_val, y_val), early_stopping=patience)
        assert t.run(epochs=500) == "early_stopping" and t.stopped_early
        val_loss = t.history["val_loss"]
        best = int(np.argmin(val_loss)) + 1
        assert t.epoch == best + patience  # exactly `patience` epochs with no better loss, then it stops
        assert all(v >= min(val_loss) for v in val_loss[best:])


def test_the_test_data_is_scored_every_epoch_and_never_chooses(rng):
    x, y = _data(rng)
    x_val, y_val = rng.normal(size=(10, 6)), rng.integers(0, 3, 10)
    x_test, y_test = x[:7], y[:7]  # a set whose loss keeps falling: were it monitored, the last epoch would be best
    t = Trainer(Network((6, 16, 3), ("relu", "softmax"), seed=0), x, y, loss="cross_entropy", optimizer="adam",
                learning_rate=0.05, batch_size=4, seed=0, epochs=10, validation_data=(x_val, y_val),
                test_data=(x_test, y_test), keep_best=True)
    t.run(epochs=10)
    assert len(t.history["test_loss"]) == len(t.history["test_accuracy"]) == 10
    assert t.best_epoch[0] == int(np.argmin(t.history["val_loss"])) + 1 != int(np.argmin(t.history["test_loss"])) + 1
    with pytest.raises(ValueError, match="keep_best needs the run's epochs"):
        Trainer(t.network, x, y, keep_best=True)
