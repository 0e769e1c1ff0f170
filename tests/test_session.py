"""The session API the browser's worker calls, tested in CPython."""

import json

import numpy as np
import pytest

from mlp.data import encode_dataset
from mlp.session import CONFIG_SCHEMA, PRESETS, ConfigError, Session, validate_config

SMALL = {"hidden_layers": [16], "epochs": 3, "augment": False, "batch_size": 64}


@pytest.fixture
def session(digits):
    return Session(*digits, SMALL)


def test_presets_are_valid():
    for name, preset in PRESETS.items():
        assert validate_config(preset) == preset, name


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


def test_parameter_budget_is_enforced():
    with pytest.raises(ConfigError, match="over the limit"):
        validate_config({"hidden_layers": [512] * 8, "activations": ["relu"]})


def test_chunked_session_training_equals_one_shot(digits):
    a = Session(*digits, SMALL)
    a.reset()
    while not a.train(max_batches=7)["finished"]:
        pass
    b = Session(*digits, SMALL)
    b.train(max_ms=None, until_epoch_end=True)
    b.trainer.run(epochs=3)
    for p, q in zip(a.network.parameters(), b.network.parameters()):
        np.testing.assert_array_equal(p, q)
    assert len(a.history()) == 3


def test_a_step_in_chunks_ends_exactly_at_the_epoch_boundary(digits):
    s = Session(*digits, SMALL)
    s.reset()
    chunks = []
    while True:
        result = s.train(max_batches=5, until_epoch_end=True)
        chunks.append(result["stopped"])
        if result["stopped"] != "batches":
            break
    assert chunks[-1] == "epochs" and len(chunks) > 1
    assert (result["epoch"], result["batch"]) == (1, 0) and len(s.history()) == 1
    assert result["position"] == "after epoch 1"
    s.request_stop()  # dropped: no chunk is running
    assert s.train(max_ms=None, until_epoch_end=True)["epoch"] == 2


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
        assert m["true"] != m["predicted"] and len(m["image"]) == 64
    json.dumps(ev)


def test_split_is_stratified_and_seeded(digits):
    a, b = Session(*digits, {"seed": 3}), Session(*digits, {"seed": 3})
    np.testing.assert_array_equal(a.y_test, b.y_test)
    counts = np.bincount(a.y_test, minlength=10)
    assert counts.min() >= 43 and counts.max() <= 46


def test_export_import_round_trip(session, digits):
    session.train(max_ms=None, until_epoch_end=True)
    text = session.export_model()
    other = Session(*digits, SMALL)
    summary = other.import_model(text)
    assert summary["dimensions"] == [64, 16, 10]
    x = digits[0][:20]
    assert other.predict_proba(x) == session.predict_proba(x)


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

    with pytest.raises(ValueError, match="64 inputs and 10 outputs"):
        session.import_model(dumps(Network((32, 4, 10), ("relu", "softmax"), seed=0)))


def test_predict_one_sample(session):
    session.train(max_ms=None, until_epoch_end=True)
    out = session.predict(session.x_test[0].tolist())
    assert 0 <= out["label"] <= 9 and abs(sum(out["probabilities"]) - 1) < 1e-9


def test_gradient_check_in_session(digits):
    s = Session(*digits, {"hidden_layers": [4], "augment": False})
    s.reset()
    assert max(r["weights"] for r in s.gradient_check(3)) < 1e-6
    s = Session(*digits, {**PRESETS["post_2017"], "hidden_layers": [4]})
    s.reset()
    assert max(r["weights"] for r in s.gradient_check(3)) > 1e-3


def test_from_bytes_reads_the_exported_format(digits):
    blob, entry = encode_dataset(digits[0], digits[1], name="digits", image_shape=(8, 8), source="test")
    s = Session.from_bytes(blob, json.dumps(entry), SMALL)
    np.testing.assert_array_equal(s.x, digits[0])
    with pytest.raises(ValueError, match="corrupted"):
        Session.from_bytes(blob[:-1] + b"\x07", entry)


def test_divergence_is_reported_not_raised(digits):
    # Leaky ReLU does not die, so on raw 0..16 inputs a big SGD step explodes.
    config = {"hidden_layers": [64, 64], "activations": ["leaky_relu"], "optimizer": "sgd",
              "learning_rate": 1.0, "scale_inputs": False, "augment": False, "epochs": 3}
    s = Session(*digits, config)
    s.reset()
    initial = [p.copy() for p in s.network.parameters()]
    result = s.train(max_ms=None, until_epoch_end=True)
    assert result["stopped"] == "diverged"
    assert "Lower the learning rate (try 0.1)" in result["error"]
    for p, q in zip(s.network.parameters(), initial):
        np.testing.assert_array_equal(p, q)  # the last finite weights: here, the initial ones
