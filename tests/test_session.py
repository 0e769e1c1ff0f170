"""The session API the browser's worker calls, tested in CPython."""

import json

import numpy as np
import pytest

from mlp.config import CONFIG_SCHEMA, PRESETS, ConfigError, recommended, validate_config
from mlp.csvfile import read_csv
from mlp.session import Session

SMALL = {"hidden_layers": [16], "epochs": 3, "augment": False, "batch_size": 64}


@pytest.fixture
def session(digits_dataset):
    return Session(digits_dataset, SMALL)


def test_presets_are_valid_and_normalised():
    from mlp.config import DATASET_PRESETS, TASK_PRESETS
    from mlp.datasets import load_dataset

    for name, preset in PRESETS.items():
        assert validate_config(preset) == preset, name
    for name, preset in DATASET_PRESETS.items():
        assert validate_config(preset, load_dataset(name)) == preset, name  # as the page's form shows it
    for task, preset in TASK_PRESETS.items():
        assert validate_config(preset) == preset, task


def test_defaults_fill_missing_fields():
    config = validate_config({"epochs": 5})
    assert config["epochs"] == 5 and config["optimizer"] == CONFIG_SCHEMA["optimizer"]["default"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("epochs", 0), ("epochs", -3), ("epochs", 10**9), ("epochs", "ten"), ("epochs", 2.5),
        ("epochs", float("nan")), ("learning_rate", 0), ("learning_rate", float("inf")),
        ("learning_rate", 1e309), ("batch_size", None), ("hidden_layers", [0]),
        ("hidden_layers", [513]), ("hidden_layers", [8] * 9), ("hidden_layers", "128"),
        ("optimizer", "rmsprop"), ("activations", ["swish"]), ("test_fraction", 0.9),
        ("seed", -1), ("augment", "yes"), ("l2", -0.1), ("bogus", 1),
    ],
)
def test_each_bad_field_is_named(field, value):
    with pytest.raises(ConfigError) as info:
        validate_config({field: value})
    assert field in info.value.errors
    assert isinstance(info.value, ValueError)


def test_loss_must_match_output():
    with pytest.raises(ConfigError, match="does not go with a softmax"):
        validate_config({"output_activation": "softmax", "loss": "binary_cross_entropy"})


def test_parameter_budget_is_enforced(digits_dataset):
    config = {"hidden_layers": [512] * 8, "activations": ["relu"]}
    validate_config(config)  # without the data, the network's size is unknown
    with pytest.raises(ConfigError, match="1,877,002 parameters is over the limit of 1,000,000"):
        validate_config(config, digits_dataset)


def test_chunked_session_training_equals_one_shot(digits_dataset):
    a = Session(digits_dataset, SMALL)
    a.reset()
    while not a.train(max_batches=7)["finished"]:
        pass
    b = Session(digits_dataset, SMALL)
    b.train(max_ms=None, until_epoch_end=True)
    b.trainer.run(epochs=3)
    for p, q in zip(a.network.parameters(), b.network.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)
    assert len(a.trainer.history) == 3


def test_a_step_in_chunks_ends_exactly_at_the_epoch_boundary(digits_dataset):
    s = Session(digits_dataset, SMALL)
    s.reset()
    chunks = []
    while True:
        result = s.train(max_batches=5, until_epoch_end=True)
        chunks.append(result["stopped"])
        if result["stopped"] != "batches":
            break
    assert chunks[-1] == "epochs" and len(chunks) > 1
    assert (result["epoch"], result["batch"]) == (1, 0) and len(s.trainer.history) == 1
    assert result["position"] == "after epoch 1"
    s.request_stop()  # dropped: no chunk is running
    assert s.train(max_ms=None, until_epoch_end=True)["epoch"] == 2


def test_a_reset_takes_the_training_set_made_before(digits_dataset):
    s = Session(digits_dataset, {**SMALL, "augment": True, "warps": 2})
    x_fit, y_fit = s.training_set()
    assert len(x_fit) == 7 * len(s.x_train) and not x_fit.flags.writeable  # shared by every run: read-only
    s.reset()
    assert s.training_set()[0] is x_fit and s.trainer.x is x_fit  # the same copies, not made again
    s.configure({**SMALL, "augment": True, "warps": 1})
    assert len(s.training_set()[0]) == 6 * len(s.x_train)  # other settings, other copies
    s.configure({**SMALL, "augment": True, "warps": 1, "seed": 5})
    assert not np.array_equal(s.training_set()[0][:10], x_fit[:10])  # another split


def test_preparing_the_training_set_leaves_the_session_as_it_was_and_the_run_the_same(digits_dataset):
    config = {**SMALL, "augment": True, "warps": 1, "seed": 3}
    warmed = Session(digits_dataset, SMALL)
    warmed.import_model(_trained(digits_dataset))  # as the page starts: a model shown, no run
    before = ([p.copy() for p in warmed.network.parameters()], dict(warmed.config), warmed.trainer)
    done = warmed.prepare_training_set(config)  # the form's config, not yet the session's
    assert warmed.config == before[1] and warmed.trainer is before[2]
    for p, q in zip(warmed.network.parameters(), before[0], strict=True):
        np.testing.assert_array_equal(p, q)
    warmed.configure(config)
    warmed.reset()
    assert warmed.trainer.x is warmed.training_set()[0]  # made by prepare_training_set
    assert done["samples"] == len(warmed.trainer.x) == 6 * len(warmed.x_train) and done["seconds"] > 0
    warmed.train(max_ms=None)
    cold = Session(digits_dataset, config)
    cold.train(max_ms=None)
    for p, q in zip(warmed.network.parameters(), cold.network.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)


def _trained(dataset):
    s = Session(dataset, {**SMALL, "epochs": 1})
    s.train(max_ms=None)
    return s.export_model()


def test_train_reports_progress_and_history(session):
    result = session.train(max_ms=50)
    assert result["epoch"] <= 3 and result["epochs"] == 3
    assert {"batch", "batches_per_epoch", "samples_seen", "seconds", "history", "stopped"} <= set(result)
    json.dumps(result)  # plain values only


def test_evaluate_and_report(session):
    session.train(max_ms=None, until_epoch_end=True)
    ev = session.evaluate()
    assert 0 <= ev["accuracy"] <= 1 and ev["n_test"] == 450
    assert np.array(ev["confusion_matrix"]).sum() == 450
    assert set(ev["report"]) >= {"0", "9", "accuracy", "macro avg"}
    for m in ev["misclassified"]:
        assert m["true"] != m["predicted"] and len(m["features"]) == 64
    assert ev["classes"] == [str(d) for d in range(10)]
    json.dumps(ev)


def test_split_is_stratified_and_seeded(digits_dataset):
    a, b = Session(digits_dataset, {"seed": 3}), Session(digits_dataset, {"seed": 3})
    np.testing.assert_array_equal(a.y_test, b.y_test)
    counts = np.bincount(a.y_test, minlength=10)
    assert counts.min() >= 43 and counts.max() <= 46


def test_export_import_round_trip(digits_dataset, session):
    session.train(max_ms=None, until_epoch_end=True)
    text = session.export_model()
    other = Session(digits_dataset, SMALL)
    summary = other.import_model(text)
    assert summary["dimensions"] == [64, 16, 10]
    x = digits_dataset.x[:20]
    np.testing.assert_array_equal(other.network.predict(x), session.network.predict(x))


def test_import_bad_model_keeps_current(session):
    session.train(max_ms=None, until_epoch_end=True)
    before = session.export_model()
    for bad in ["{}", "nope", json.dumps({**json.loads(before), "dimensions": [32, 16, 10]})]:
        with pytest.raises(ValueError):
            session.import_model(bad)
    assert session.export_model() == before


def test_import_rejects_other_input_sizes(session, rng):
    from mlp import Network
    from mlp.serialization import dumps

    with pytest.raises(ValueError, match=r"made for 32 inputs, 10 outputs, not for 'digits' \(64 inputs, 10 outputs\)"):
        session.import_model(dumps(Network((32, 4, 10), ("relu", "softmax"), seed=0)))


def test_predict_one_sample(session):
    session.train(max_ms=None, until_epoch_end=True)
    out = session.predict(session.x_test[0].tolist())
    assert 0 <= out["label"] <= 9 and abs(sum(out["probabilities"]) - 1) < 1e-9


def test_gradient_check_in_session(digits_dataset):
    s = Session(digits_dataset, {"hidden_layers": [4], "augment": False})
    s.reset()
    assert max(r["weights"] for r in s.gradient_check(3)) < 1e-6
    s = Session(digits_dataset, {**PRESETS["post_2017"], "hidden_layers": [4]})
    s.reset()
    assert max(r["weights"] for r in s.gradient_check(3)) > 1e-3


def test_divergence_is_reported_not_raised(digits_dataset):
    # Leaky ReLU does not die, so on raw 0..16 inputs a big SGD step explodes.
    config = {"hidden_layers": [64, 64], "activations": ["leaky_relu"], "optimizer": "sgd",
              "learning_rate": 1.0, "scale_inputs": False, "augment": False, "epochs": 3}
    s = Session(digits_dataset, config)
    s.reset()
    initial = [p.copy() for p in s.network.parameters()]
    result = s.train(max_ms=None, until_epoch_end=True)
    assert result["stopped"] == "diverged"
    assert "Lower the learning rate (try 0.1)" in result["error"]
    for p, q in zip(s.network.parameters(), initial, strict=True):
        np.testing.assert_array_equal(p, q)  # the last finite weights: here, the initial ones


def test_the_diagram_keeps_each_wide_layers_strongest_units(session):
    session.reset()
    net = session.network
    diagram = session.diagram(max_units=10)
    assert [layer["size"] for layer in diagram["layers"]] == [64, 16, 10]
    hidden = diagram["layers"][1]["shown"]
    strength = np.abs(net.weights[0]).sum(axis=0) + np.abs(net.weights[1]).sum(axis=1)
    assert sorted(hidden) == hidden and set(hidden) == set(np.argsort(-strength)[:10])
    inputs = diagram["layers"][0]["shown"]
    np.testing.assert_array_equal(diagram["weights"][0], net.weights[0][np.ix_(inputs, hidden)])
    assert diagram["layers"][2]["names"] == [str(c) for c in net.classes]
    assert diagram["layers"][0]["names"] == [f"x{i + 1}" for i in inputs] and diagram["layers"][1]["names"] is None


def test_the_diagram_names_a_points_features_as_the_page_writes_them():
    from mlp.config import recommended
    from mlp.planes import make_plane

    xor = make_plane("xor", 100)
    session = Session(xor, {**recommended(xor), "input_features": ["x1", "x1*x2", "sin(x2)"]})
    session.reset()
    assert session.diagram()["layers"][0]["names"] == ["x₁", "x₁·x₂", "sin x₂"]


def _one_step_by_hand(net, x, y, loss):
    """The post's equations for one sample, written out here again: the referee for inside_step."""
    a, zs = [net.prepare_inputs(x)], []
    for w, b, f in zip(net.weights, net.biases, net.activations, strict=True):
        zs.append(a[-1] @ w + b)  # eq. 1.3.0
        a.append(f.activation(zs[-1]))  # eq. 1.3.1
    delta = [None] * len(net.weights)
    if net.activations[-1].name == "softmax":  # with cross-entropy, eq. 2.4.0 comes to a - y
        delta[-1] = a[-1] - y
    else:
        delta[-1] = loss.prime(y, a[-1]) * net.activations[-1].prime(zs[-1], a[-1])  # eq. 2.4.0
    for i in reversed(range(len(delta) - 1)):
        delta[i] = (delta[i + 1] @ net.weights[i + 1].T) * net.activations[i].prime(zs[i], a[i + 1])  # eq. 2.4.1
    return zs, a, delta


@pytest.mark.parametrize("preset", ["post_2017", "recommended"])
def test_inside_one_step_is_the_posts_equations_with_real_numbers(digits_dataset, preset):
    from mlp.config import PRESETS
    from mlp.losses import get_loss

    session = Session(digits_dataset, {**PRESETS[preset], "hidden_layers": [15], "activations": ["relu"]})
    session.reset()
    step = session.inside_step(7)
    net = session.network
    x = session.x_train[7:8]
    y = np.eye(10)[session.y_train[7:8]]
    loss = get_loss(session.config["loss"], net.activations[-1])
    zs, a, delta = _one_step_by_hand(net, x, y, loss)
    assert step["index"] == 7 and step["label"] == int(session.y_train[7]) and step["dimensions"] == [64, 15, 10]
    np.testing.assert_allclose(step["input"], a[0][0], rtol=0, atol=1e-15)
    for k, layer in enumerate(step["layers"]):
        np.testing.assert_allclose(layer["z"], zs[k][0], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(layer["a"], a[k + 1][0], rtol=1e-12, atol=1e-15)
        if preset == "recommended":  # the post's own loss is wrong: compared below
            np.testing.assert_allclose(layer["delta"], delta[k][0], rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(layer["dw"], np.outer(a[k][0], delta[k][0]), rtol=1e-12, atol=1e-15)
        assert layer["db"] == layer["delta"]
    if preset == "post_2017":  # sigmoid + the post's MSE: both deltas, side by side
        published = step["as_published"]
        sigmoid_at_a = net.activations[-1].prime(a[-1])  # sigmoid'(a): the post's slip
        np.testing.assert_allclose(published["published"], ((a[-1] - y) * sigmoid_at_a)[0], rtol=1e-12)
        np.testing.assert_allclose(published["correct"], delta[-1][0], rtol=1e-12, atol=1e-15)
        assert step["layers"][-1]["delta"] == published["published"]  # what this model's loss computes
    else:
        assert step["as_published"] is None


def test_taking_the_step_is_one_sgd_update_and_lowers_the_samples_loss(session):
    session.reset()
    before = [w.copy() for w in session.network.weights]
    step = session.inside_step(3, split="test")
    taken = session.take_step(3, split="test")
    rate = session.config["learning_rate"]
    for w0, w1, layer in zip(before, session.network.weights, step["layers"], strict=True):
        np.testing.assert_allclose(w1, w0 - rate * np.array(layer["dw"]), rtol=0, atol=1e-15)
    assert taken["loss_before"] == pytest.approx(step["loss"]) and taken["loss_after"] < taken["loss_before"]
    with pytest.raises(ValueError, match="sample index"):
        session.inside_step(10**6)
    with pytest.raises(ValueError, match="split must be"):
        session.inside_step(0, split="validation")


def test_a_file_too_small_to_split_is_refused_and_the_open_dataset_stays(digits_dataset):
    session = Session(digits_dataset, {"hidden_layers": [4]})
    before = session.describe()
    with pytest.raises(ValueError, match="'tiny' has 2 rows: holding out 0.25 of each class leaves no row to test on"):
        session.open_csv(b"a,b,y\n1,2,x\n3,4,y\n", name="tiny")
    with pytest.raises(ValueError, match="'small' has 3 rows: holding out 0.05 of them leaves no row to test on"):
        small = read_csv(b"a,y\n1,2.5\n2,3.5\n3,1.5\n", task="regression", name="small")
        Session(small, {**recommended(small), "test_fraction": 0.05})
    assert session.describe() == before
