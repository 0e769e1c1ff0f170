"""Input features of 2-D points: computed by the network, checked, trained on, saved."""

import json

import numpy as np
import pytest

from mlp import Network, gradient_check
from mlp.config import ConfigError, build_network, recommended, validate_config
from mlp.datasets import load_dataset
from mlp.features import FEATURES, compute_features
from mlp.planes import make_plane
from mlp.serialization import ModelFormatError, dumps, from_dict, loads, to_dict
from mlp.session import Session


def test_each_feature_is_its_formula():
    x = np.array([[1.5, -2.0], [0.0, 3.0]])
    names = list(FEATURES)
    got = compute_features(x, names)
    x1, x2 = x.T
    expected = np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)])
    np.testing.assert_array_equal(got, expected)
    assert names == ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]


def test_a_network_with_features_takes_the_raw_point(rng):
    net = Network((3, 4, 2), ("tanh", "softmax"), seed=1, input_features=["x1*x2", "x1^2", "sin(x2)"],
                  input_shift=[0.1, 0.2, 0.3], input_scale=[2.0, 0.5, 1.0])
    x = rng.normal(size=(5, 2))
    assert net.n_inputs == 2
    seen = (compute_features(x, net.input_features) - [0.1, 0.2, 0.3]) * [2.0, 0.5, 1.0]
    np.testing.assert_array_equal(net.forward(x)[1][0], seen)
    with pytest.raises(ValueError, match="x has 3 features per sample, but the network takes 2"):
        net.predict(np.zeros((1, 3)))


def test_backprop_through_features_matches_finite_differences(rng):
    net = Network((4, 5, 2), ("tanh", "softmax"), seed=2, input_features=["x1", "x2^2", "x1*x2", "sin(x1)"],
                  input_shift=0.3, input_scale=0.7)
    x, y = rng.normal(size=(8, 2)), rng.integers(0, 2, 8)
    for layer in gradient_check(net, x, y, "cross_entropy"):
        assert layer["weights"] < 1e-6 and layer["biases"] < 1e-6, layer


@pytest.mark.parametrize("features, message", [
    (["x1", "x3"], "unknown input feature 'x3'"),
    ([], "at least one"),
    (["x1", "x1"], "'x1' is listed more than once"),
    ("x1", "must be a list"),
])
def test_bad_feature_lists_are_named(features, message):
    with pytest.raises(ValueError, match=message):
        Network((max(len(features), 1), 2), ("softmax",), input_features=features)


def test_the_feature_count_must_be_the_input_width():
    with pytest.raises(ValueError, match="3 input features for an input layer of 2 units"):
        Network((2, 2), ("softmax",), input_features=["x1", "x2", "x1^2"])


def test_xor_is_one_product_away_from_a_straight_line():
    """With x1*x2 a network with no hidden layer separates XOR; with x1, x2 alone it cannot."""
    xor = make_plane("xor", 400, seed=3)
    scores = {}
    for features in (["x1", "x2"], ["x1*x2"]):
        config = {**recommended(xor), "hidden_layers": [], "activations": [], "input_features": features,
                  "epochs": 60}
        session = Session(xor, config)
        session.reset()
        while not session.train(max_ms=None)["finished"]:
            pass
        scores[features[-1]] = session.evaluate()["accuracy"]
    assert scores["x1*x2"] >= 0.98 and scores["x2"] < 0.75, scores


def test_features_are_standardised_as_the_first_layer_sees_them():
    circles = make_plane("circles", 300)
    config = validate_config({**recommended(circles), "input_features": ["x1^2", "x2^2"]}, circles)
    net = build_network(config, circles)
    seen = net.prepare_inputs(circles.x)
    np.testing.assert_allclose(seen.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(seen.std(axis=0), 1, atol=1e-12)


def test_the_config_checks_the_feature_list():
    spiral = make_plane("spiral", 50)
    clean = validate_config({**recommended(spiral), "input_features": ["sin(x2)", "x1"]}, spiral)
    assert clean["input_features"] == ["x1", "sin(x2)"]  # the schema's order, the network's inputs
    for bad, message in ((["x1", "x9"], "'x9' is not one of"), ([], "at least one"),
                         (["x1", "x1"], "'x1' twice"), ("x1", "must be a list")):
        with pytest.raises(ConfigError, match=message):
            validate_config({**recommended(spiral), "input_features": bad}, spiral)


def test_features_are_for_points_only():
    iris = load_dataset("iris")
    assert validate_config(recommended(iris), iris)["input_features"] == ["x1", "x2"]  # the unused default
    with pytest.raises(ConfigError, match="input_features: only for plane data; 'iris' is tabular"):
        validate_config({**recommended(iris), "input_features": ["x1^2"]}, iris)


def test_the_model_file_keeps_the_features():
    moons = make_plane("moons", 200)
    session = Session(moons, {**recommended(moons), "input_features": ["x1", "x2", "x1*x2"], "epochs": 3})
    session.reset()
    session.train(max_ms=None)
    text = session.export_model()
    doc = json.loads(text)
    assert doc["input_features"] == ["x1", "x2", "x1*x2"] and doc["dimensions"][0] == 3
    loaded = loads(text)
    np.testing.assert_array_equal(loaded.predict(moons.x), session.network.predict(moons.x))
    fresh = Session(moons, recommended(moons))  # a session with other features takes the model whole
    fresh.import_model(text)
    np.testing.assert_array_equal(fresh.network.predict(moons.x), loaded.predict(moons.x))


@pytest.mark.parametrize("features, message", [
    (["x1", "cos(x1)"], "unknown input feature 'cos\\(x1\\)'"),
    (["x1"], "'input_features' has 1 features for 3 input units"),
])
def test_a_model_file_with_bad_features_is_refused(features, message):
    net = Network((3, 2), ("softmax",), input_features=["x1", "x2", "x1^2"])
    doc = {**to_dict(net), "input_features": features}
    with pytest.raises(ModelFormatError, match=message):
        from_dict(doc)
    assert from_dict(json.loads(dumps(net))).input_features == ["x1", "x2", "x1^2"]
