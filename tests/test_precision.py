"""The precision setting in CPython: float32 networks train, save, load and are checked (in float64)."""

import json

import numpy as np
import pytest

import mlp
from mlp import Network
from mlp.__main__ import main
from mlp.config import PRESETS
from mlp.datasets import load_digits
from mlp.gradcheck import gradient_check
from mlp.losses import get_loss
from mlp.serialization import ModelFormatError, dumps, loads
from mlp.session import Session
from mlp.workspace import Workspace

F32 = np.dtype(np.float32)


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_a_float32_network_is_float32_throughout(digits):
    net = Network((64, 32, 10), ("relu", "softmax"), seed=0, precision="float32")
    twin = Network((64, 32, 10), ("relu", "softmax"), seed=0)
    assert {p.dtype for p in net.parameters()} == {F32}
    # The same draw as float64, rounded.
    for p, q in zip(net.parameters(), twin.parameters(), strict=True):
        np.testing.assert_array_equal(p, q.astype(np.float32))
    assert net.output(digits.x[:5]).dtype == F32
    net.fit(digits.x[:200], np.eye(10)[digits.y[:200]], loss="cross_entropy", epochs=2, batch_size=32,
            learning_rate=1e-2, optimizer="adam")
    assert {p.dtype for p in net.parameters()} == {F32}


def test_the_fast_path_equals_the_readable_backprop_in_float32(digits):
    net = Network((64, 32, 10), ("relu", "softmax"), seed=1, precision="float32")
    x, y = digits.x[:16], np.eye(10)[digits.y[:16]]
    loss = get_loss("cross_entropy", net.activations[-1])
    grad_w, grad_b = net.backprop(x, y, loss, l2=1e-3)
    ws = Workspace(net, 16)
    ws.backprop(net.prepare_inputs(x), y.astype(np.float32), loss, l2=1e-3)
    for fast, readable in zip(ws.grads, grad_w + grad_b, strict=True):
        assert fast.dtype == F32
        np.testing.assert_allclose(fast, readable, rtol=1e-4, atol=1e-6)


def test_the_gradient_check_runs_in_float64_and_leaves_the_float32_network_alone(digits):
    net = Network((64, 16, 10), ("tanh", "softmax"), seed=2, precision="float32")
    before = [p.copy() for p in net.parameters()]
    report = gradient_check(net, digits.x[:5], digits.y[:5], "cross_entropy")
    assert max(max(r["weights"], r["biases"]) for r in report) < 1e-6
    assert net.precision == "float32"
    for p, q in zip(net.parameters(), before, strict=True):
        assert p.dtype == F32
        np.testing.assert_array_equal(p, q)


def test_a_float32_model_file_round_trips_to_the_bit(digits):
    net = Network((64, 16, 10), ("relu", "softmax"), seed=3, precision="float32")
    doc = json.loads(dumps(net))
    assert doc["precision"] == "float32"
    back = loads(dumps(net))
    assert back.precision == "float32"
    for p, q in zip(back.parameters(), net.parameters(), strict=True):
        assert p.dtype == F32 and p.tobytes() == q.tobytes()
    np.testing.assert_array_equal(back.output(digits.x[:20]), net.output(digits.x[:20]))
    # A file from before the setting (no "precision") is float64.
    del doc["precision"]
    assert loads(json.dumps(doc)).precision == "float64"


@pytest.mark.parametrize("bad", ["float16", "double", 32, None])
def test_a_bad_precision_is_refused_with_its_name(bad):
    with pytest.raises(ValueError, match="precision"):
        Network((4, 3), ("sigmoid",), precision=bad)
    doc = json.loads(dumps(Network((4, 3), ("sigmoid",), seed=0)))
    doc["precision"] = bad
    with pytest.raises(ModelFormatError, match="'precision'"):
        loads(json.dumps(doc))


def test_the_recommended_preset_learns_as_much_in_float32(digits):
    scores = {}
    for precision in ("float64", "float32"):
        session = Session(digits, {**PRESETS["recommended"], "epochs": 6, "warps": 1, "precision": precision})
        session.reset()
        while not session.train(max_ms=None)["finished"]:
            pass
        assert session.network.dtype == np.dtype(precision)
        scores[precision] = session.evaluate()["accuracy"]
    assert scores["float32"] >= 0.97 and abs(scores["float32"] - scores["float64"]) <= 0.01, scores


def test_the_cli_trains_in_float32(tmp_path, capsys):
    out = tmp_path / "model.json"
    assert main(["train", "--layers", "64,16,10", "--epochs", "2", "--no-augment", "--warps", "0",
                 "--precision", "float32", "--out", str(out)]) == 0
    assert mlp.load(out).precision == "float32"
    capsys.readouterr()
    assert main(["train", "--precision", "half", "--out", str(out)]) != 0
    said = capsys.readouterr()
    assert "precision" in said.out + said.err


def test_float32_log_losses_stay_finite_when_outputs_saturate():
    # A sigmoid output reaches exactly 1.0 in float32 for z > 17; the log losses are computed in float64.
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(-3, 1, (100, 2)), rng.normal(3, 1, (100, 2))]
    y = np.eye(2)[np.r_[np.zeros(100, int), np.ones(100, int)]]
    for output, loss in (("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy"), ("sigmoid", "cross_entropy")):
        net = Network((2, 16, 2), ("relu", output), seed=0, precision="float32")
        history = net.fit(x, y, loss=loss, epochs=30, batch_size=16, learning_rate=0.05, optimizer="adam")
        assert np.isfinite(history["loss"]).all() and history["loss"][-1] < 0.01, (output, loss)
        assert {p.dtype for p in net.parameters()} == {F32}


def test_float32_stays_float32_through_every_activation_and_the_readable_backprop(digits):
    for hidden, output in (("relu", "identity"), ("leaky_relu", "sigmoid"), ("tanh", "softmax"), ("sigmoid", "identity")):
        net = Network((64, 8, 3), (hidden, output), seed=0, precision="float32")
        assert net.predict(digits.x[:4]).dtype == F32
        loss = get_loss("mse", net.activations[-1])
        grad_w, grad_b = net.backprop(digits.x[:4], np.eye(3, dtype=np.float32)[[0, 1, 2, 0]], loss)
        assert {g.dtype for g in grad_w + grad_b} == {F32}, (hidden, output)


def test_a_number_too_large_for_float32_is_refused_by_name():
    doc = json.loads(dumps(Network((4, 3), ("sigmoid",), seed=0, precision="float32")))
    doc["weights"][0][2][1] = 1e300
    with pytest.raises(ModelFormatError, match=r"weights\[0\] holds a number too large for float32"):
        loads(json.dumps(doc))
    with pytest.raises(ValueError, match="precision"):
        Network((4, 3), ("sigmoid",)).astype("float16")
