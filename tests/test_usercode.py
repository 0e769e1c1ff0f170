"""Your code: an edited activation, loss or backprop runs in place of the shipped one, refereed by the gradient check."""

import json

import numpy as np
import pytest

import mlp
from mlp import usercode
from mlp.activations import ACTIVATIONS, SHIPPED_ACTIVATIONS, Activation, register_activation, restore_activations
from mlp.backprop import Readable
from mlp.losses import LOSSES, SHIPPED_LOSSES, restore_losses
from mlp.session import Session

SMALL = {"hidden_layers": [6], "epochs": 1, "augment": False, "warps": 0, "batch_size": 64}


@pytest.fixture
def session(digits_dataset):
    s = Session(digits_dataset, SMALL)
    s.reset()
    yield s
    restore_activations()
    restore_losses()


def test_the_editor_starts_from_the_running_source():
    code = usercode.source("activation")
    assert code.startswith("class Relu(Activation):") and "def prime(z, a=None):" in code
    assert usercode.source("loss").startswith("class MSE(Loss):")
    assert usercode.source("backprop").startswith("def backprop(self, x, y, loss, l2=0.0):")  # dedented
    with pytest.raises(ValueError, match="piece must be one of"):
        usercode.source("optimizer")


def test_the_shipped_code_run_as_it_is_passes(session):
    for piece in usercode.PIECES:
        result = session.run_code(piece, usercode.source(piece))
        assert result["ok"] and result["max_error"] < 1e-6, (piece, result)


def test_the_2017_bug_fails_the_check_and_restore_passes(session):
    result = session.run_code("loss", usercode.bug_2017())
    assert result["ok"] and result["max_error"] > 1e-3  # checked with a sigmoid output, as in the post
    assert LOSSES["mse"] is not SHIPPED_LOSSES["mse"]
    session.restore_code("loss")
    assert LOSSES["mse"] is SHIPPED_LOSSES["mse"]
    assert session.run_code("loss", usercode.source("loss"))["max_error"] < 1e-6


def test_swish_passes_trains_exports_and_cpython_asks_for_its_code(session, tmp_path):
    result = session.run_code("activation", usercode.SWISH)
    assert result["ok"] and result["name"] == "swish" and result["max_error"] < 1e-6 and not result["trains"]
    session.reset({**SMALL, "activations": ["swish"], "hidden_layers": [16], "epochs": 5})
    untrained = session.evaluate()["accuracy"]
    while not session.train(max_ms=None)["finished"]:
        pass
    assert session.evaluate()["accuracy"] > max(0.6, untrained + 0.3)
    (tmp_path / "swish.json").write_text(session.export_model())
    assert json.loads(session.export_model())["metadata"]["code"] == {"activation": usercode.SWISH}  # it carries its code
    restore_activations()  # a CPython without the code
    with pytest.raises(ValueError, match="'swish' is not built in: a model that uses it needs its code .*"
                                         r"this file carries the code it was made with, in metadata\['code'\]\['activation'\]"):
        mlp.load(tmp_path / "swish.json")
    register_activation(session.network.activations[0])  # with it, it loads and predicts the same
    again = mlp.load(tmp_path / "swish.json")
    np.testing.assert_array_equal(again.predict(session.x_test), session.network.predict(session.x_test))


def test_a_model_records_the_code_it_was_made_and_changed_with(session):
    assert "code" not in session.network.metadata  # the shipped code: nothing to record
    session.train(max_ms=None, max_batches=1)
    assert "code" not in session.network.metadata
    edited = "# mine\n" + usercode.source("backprop")
    assert session.run_code("backprop", edited)["ok"]
    session.take_step(0)  # a change by hand records it too
    assert session.network.metadata["code"] == {"backprop": edited}
    session.restore_code()
    session.take_step(1)  # changed again with the shipped code: what it was made with stays
    assert session.network.metadata["code"] == {"backprop": edited}
    assert session.run_code("activation", usercode.SWISH)["ok"]
    session.reset({**SMALL, "activations": ["swish"]})  # a fresh model: only the code in place now
    assert session.network.metadata["code"] == {"activation": usercode.SWISH}


@pytest.mark.parametrize("code", [["relu"], {"optimizer": "x = 1"}, {"activation": 3}])
def test_a_model_file_whose_code_is_not_piece_to_text_is_refused(session, code):
    doc = json.loads(session.export_model())
    doc["metadata"]["code"] = code
    with pytest.raises(mlp.ModelFormatError, match=r"metadata\['code'\] must map a piece \(activation, loss, backprop\)"):
        mlp.loads(json.dumps(doc))


def test_a_correct_activation_passes_on_the_2017_posts_model(digits_dataset):
    """The post's MSE fails the check whatever the code; the correct MSE referees the learner's piece instead."""
    from mlp.config import PRESETS

    session = Session(digits_dataset, {**PRESETS["post_2017"], "epochs": 1})
    session.reset()
    try:
        swish = session.run_code("activation", usercode.SWISH)
        assert swish["ok"] and swish["max_error"] < 1e-6
        assert (swish["loss"], swish["model_loss"]) == ("mse", "published_mse")
        backprop = session.run_code("backprop", usercode.source("backprop"))
        assert backprop["max_error"] < 1e-6 and backprop["loss"] == "mse"
        assert session.network.loss.name == "published_mse"  # the model keeps its own loss
    finally:
        restore_activations()
        restore_losses()


def test_an_edited_backprop_trains_the_same_numbers(digits_dataset):
    def trained(edited):
        s = Session(digits_dataset, SMALL)
        if edited:
            s.reset()
            assert s.run_code("backprop", usercode.source("backprop"))["ok"]
        s.reset()
        assert isinstance(s.trainer.backprop, Readable) == edited  # the learner's runs, on the raw batch
        while not s.train(max_ms=None)["finished"]:
            pass
        return s.network.weights

    for a, b in zip(trained(False), trained(True), strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


@pytest.mark.parametrize("text, line, message", [
    ("class Relu(Activation):\n    name = 'relu'\n    def activation(z out=None):\n", 3, "SyntaxError"),
    ("import numpy as np\nx = 1 / 0\n", 2, "ZeroDivisionError: division by zero"),
    ("class Relu(Activation):\n    name = 'relu'\n\n    @staticmethod\n    def activation(z, out=None):\n"
     "        return z.sum(axis=1)\n\n    @staticmethod\n    def prime(z, a=None):\n        return z > 0\n",
     5, "activation(z) must return an array of z's shape (3, 4), got (3,)"),
    ("class Relu(Activation):\n    name = 'relu'\n\n    @staticmethod\n    def activation(z, out=None):\n"
     "        return np.log(z)\n\n    @staticmethod\n    def prime(z, a=None):\n        return 1 / z\n",
     5, "gave NaN or inf"),
    ("class Relu(Activation):\n    name = 'relu'\n\n    @staticmethod\n    def activation(z, out=None):\n"
     "        return np.maximum(z, 0, out=out)\n\n    @staticmethod\n    def prime(z, a=None):\n"
     "        raise RuntimeError('oops')\n", 10, "RuntimeError: oops"),
    ("x = 1\n", None, "define exactly one class that inherits from Activation; found 0"),
])
def test_broken_code_is_an_error_at_its_line_and_changes_nothing(session, text, line, message):
    before = [w.copy() for w in session.network.weights]
    result = session.run_code("activation", text)
    assert not result["ok"] and message in result["error"] and result["line"] == line
    assert ACTIVATIONS["relu"] is SHIPPED_ACTIVATIONS["relu"] and session.network.activations[0].name == "relu"
    for a, b in zip(before, session.network.weights, strict=True):
        np.testing.assert_array_equal(a, b)


def test_an_endless_loop_is_stopped_by_sigint(session):
    import signal
    import threading

    session.handle_interrupts()  # as the worker does: SIGINT asks training to stop...
    timer = threading.Timer(0.5, lambda: signal.raise_signal(signal.SIGINT))
    timer.start()
    result = session.run_code("activation", "while True:\n    pass\n")  # ...but it ends your code
    timer.join()
    assert not result["ok"] and "stopped" in result["error"] and result["line"] in (1, 2)
    assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler  # training's handler is back


def test_registering_in_cpython_is_the_same_few_lines(digits_dataset):
    namespace = {}
    exec(usercode.SWISH, {"np": np, "Activation": Activation}, namespace)
    try:
        register_activation(namespace["Swish"])
        net = mlp.Network([64, 8, 10], ["swish", "softmax"], seed=0)
        report = mlp.gradcheck.gradient_check(net, digits_dataset.x[:4] / 16, digits_dataset.y[:4], "cross_entropy")
        assert max(max(r["weights"], r["biases"]) for r in report) < 1e-6
        assert json.loads(mlp.serialization.dumps(net))["activations"] == ["swish", "softmax"]
    finally:
        restore_activations()


def test_the_readmes_extension_example_runs():
    """The README shows the CPython extension point; its code block runs as written."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    block = next(b for b in readme.split("```python\n")[1:] if "register_activation(Swish)" in b).split("```")[0]
    namespace = {}
    try:
        exec(block, namespace)
        assert namespace["net"].activations[0].name == "swish"
    finally:
        restore_activations()


def _relu_that(extra):
    """The shipped ReLU with ``extra`` lines before f's return (a bug that shows only on a full batch)."""
    shipped = "        return np.maximum(z, 0.0, out=out)\n"
    return usercode.source("activation").replace(shipped, extra + shipped, 1)


def test_an_error_in_your_code_while_training_names_its_line_and_keeps_the_weights(session):
    assert session.run_code("activation", _relu_that("        if len(z) > 12:\n            z[0, 0] = 1 / 0\n"))["ok"]
    session.reset()
    before = [w.copy() for w in session.network.weights]
    with pytest.raises(usercode.CodeError, match="ZeroDivisionError") as info:
        session.train(max_ms=None)
    assert info.value.line is not None and "the initial weights were kept" in str(info.value)
    for a, b in zip(before, session.network.weights, strict=True):
        np.testing.assert_array_equal(a, b)


def test_stop_ends_an_endless_loop_in_your_code_while_training(session):
    import signal
    import threading

    session.handle_interrupts()
    assert session.run_code("activation", _relu_that("        while len(z) > 12:\n            pass\n"))["ok"]
    session.reset()
    timer = threading.Timer(0.5, lambda: signal.raise_signal(signal.SIGINT))
    timer.start()
    result = session.train(max_ms=None)
    timer.join()
    assert result["stopped"] == "interrupted" and "Stop ended your code here" in result["error"]
    assert result["error"].startswith("line ") and "The shipped code runs again" in result["error"]
    assert session.edits.pieces == {}  # the loop would come back in the next forward pass
    assert session.train(max_ms=None, max_batches=2)["stopped"] == "batches"  # and training goes on


def test_a_loss_with_a_wrong_delta_shape_is_refused(session):
    text = usercode.source("loss").replace("        return self.activation_fn.backward(out, z, a, out=out)\n",
                                           "        return out.sum(axis=0)\n")
    result = session.run_code("loss", text)
    assert not result["ok"] and "delta(y_true, a, z) must return an array of a's shape (3, 4), got (4,)" in result["error"]
    assert text.splitlines()[result["line"] - 1].strip().startswith("def delta(")


def test_a_piece_that_fails_inside_the_gradient_check_is_not_kept(session):
    """It passes the first checks on a 3x4 input, then raises on the check's 5-sample batch: nothing changes."""
    text = _relu_that("        if len(z) == 5:\n            raise ArithmeticError('five')\n")
    result = session.run_code("activation", text)
    assert not result["ok"] and "ArithmeticError: five" in result["error"] and result["line"] is not None
    assert ACTIVATIONS["relu"] is SHIPPED_ACTIVATIONS["relu"] and session.network.activations[0] is SHIPPED_ACTIVATIONS["relu"]
