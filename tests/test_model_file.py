"""The JSON model file: exact round trip, and clear errors that name the field."""

import json
import re

import numpy as np
import pytest

import mlp
from mlp.serialization import ModelFormatError, dumps, from_dict, loads, to_dict


@pytest.fixture
def trained(rng):
    net = mlp.Network((4, 6, 3), ("leaky_relu", "softmax"), seed=0, input_scale=0.25)
    net.fit(rng.normal(size=(20, 4)), rng.integers(0, 3, 20), loss="cross_entropy", epochs=3, batch_size=4, learning_rate=0.1)
    net.metadata = {"note": "<img src=x onerror=alert(1)>"}
    return net


def test_round_trip_is_bit_identical(trained, tmp_path, rng):
    path = tmp_path / "model.json"
    mlp.save(trained, path)
    loaded = mlp.load(path)
    x = rng.normal(size=(50, 4)) * 10
    np.testing.assert_array_equal(loaded.predict(x), trained.predict(x))
    for p, q in zip(loaded.parameters(), trained.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)
    assert loaded.loss.name == "cross_entropy"
    assert loaded.metadata == trained.metadata
    assert loaded.input_scale == 0.25


def test_file_has_the_documented_fields(trained):
    doc = json.loads(dumps(trained))
    assert doc["format"] == "mlp-from-scratch/model" and doc["version"] == 2
    assert doc["dimensions"] == [4, 6, 3]
    assert doc["activations"] == ["leaky_relu", "softmax"]
    assert np.array(doc["weights"][0]).shape == (4, 6)
    assert doc["classes"] == [0, 1, 2]


def _broken(trained, **changes):
    doc = to_dict(trained)
    for key, value in changes.items():
        if value is KeyError:
            del doc[key]
        else:
            doc[key] = value
    return doc


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"format": "something-else"}, "format"),
        ({"version": 3}, "version"),
        ({"dataset": "digits"}, "dataset"),
        ({"dimensions": KeyError}, "dimensions"),
        ({"dimensions": [4, 7, 3]}, "weights[0]"),
        ({"dimensions": [4, "6", 3]}, "dimensions[1]"),
        ({"activations": ["relu"]}, "activations"),
        ({"activations": ["relu", "swish"]}, "activations[1]"),
        ({"loss": "hinge"}, "loss"),
        ({"input_scale": -1}, "input_scale"),
        ({"weights": [[[0.0]]]}, "weights"),
        ({"biases": [[0.0] * 6, [0.0] * 2]}, "biases[1]"),
        ({"classes": [0, 1]}, "classes"),
        ({"metadata": []}, "metadata"),
    ],
)
def test_malformed_files_name_the_field(trained, changes, field):
    with pytest.raises(ModelFormatError, match=field.replace("[", r"\[").replace("]", r"\]")):
        from_dict(_broken(trained, **changes))


@pytest.mark.parametrize("field, value, where", [
    ("metadata", {"trained_epochs": float("nan")}, "metadata['trained_epochs'] is nan"),
    ("metadata", {"history": [1.0, float("inf")]}, "metadata['history'][1] is inf"),
    ("input_shift", float("-inf"), "input_shift is -inf"),
    ("dataset", {"name": "digits", "feature_range": [0, float("nan")]}, "dataset['feature_range'][1] is nan"),
])
def test_nan_or_infinity_anywhere_is_refused_by_name(trained, field, value, where):
    with pytest.raises(ModelFormatError, match=re.escape(where)):
        from_dict(_broken(trained, **{field: value}))


def test_a_number_too_large_for_a_float_is_refused_by_name(trained):
    text = dumps(trained).rstrip().removesuffix("}") + ', "metadata": {"x": 1e400}}'  # the last key wins
    with pytest.raises(ModelFormatError, match=re.escape("metadata['x'] is inf")):
        loads(text)


@pytest.mark.parametrize("classes, where", [
    ([{}, None], "classes[0] must be a string or an integer, got {}"),
    (["a", None], "classes[1] must be a string or an integer, got None"),
    (["a", True], "classes[1] must be a string or an integer, got True"),
])
def test_class_and_feature_names_are_labels(trained, classes, where):
    doc = _broken(trained, classes=classes + ["c"] * (trained.dimensions[-1] - len(classes)))
    with pytest.raises(ModelFormatError, match=re.escape(where)):
        from_dict(doc)
    doc = _broken(trained, dataset={"name": "x", "feature_names": ["a", {"b": 1}]})
    with pytest.raises(ModelFormatError, match=re.escape("dataset['feature_names'][1] must be a string")):
        from_dict(doc)


def test_non_finite_weights_are_rejected(trained):
    doc = to_dict(trained)
    doc["weights"][1][2][0] = float("nan")
    with pytest.raises(ModelFormatError, match=r"weights\[1\] contains NaN"):
        from_dict(doc)


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", "{" * 100000, '"model"'])
def test_garbage_is_a_clear_error(text):
    with pytest.raises(ModelFormatError, match="model file"):
        loads(text)


def test_version_1_files_still_load(trained, rng):
    doc = to_dict(trained)
    doc["version"] = 1
    del doc["dataset"]
    old = from_dict(doc)
    assert old.dataset is None
    x = rng.normal(size=(5, 4))
    np.testing.assert_array_equal(old.predict(x), trained.predict(x))


def test_the_parameter_limit_is_the_networks(trained):
    from mlp.network import MAX_PARAMETERS

    dims = [4, 1000, 1000, 3]
    assert 1_000_000 < sum(a * b + b for a, b in zip(dims[:-1], dims[1:], strict=True))
    with pytest.raises(ModelFormatError, match=f"over the limit of {MAX_PARAMETERS:,}"):
        from_dict({**to_dict(trained), "dimensions": dims})
