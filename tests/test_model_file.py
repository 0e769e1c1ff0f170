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


HOUSES = (b"rooms,neighbourhood,area,id,price\n3,Old Town,70,a1,210.5\n2,Harbour,55,b2,180.25\n"
          b"4,Old Town,90,c3,260.75\n1,Hill,30,d4,120.5\n3,Harbour,75,e5,230.25\n2,Hill,45,f6,160\n")


def test_a_csv_models_file_keeps_how_the_rows_were_read(tmp_path):
    """The one-hot categories and the ignored columns travel with the model: CPython reads the CSV as the page did."""
    from mlp.csvfile import read_csv
    from mlp.session import Session

    dataset = read_csv(HOUSES, name="houses", ignore=["id"])
    session = Session(dataset, {**mlp.config.recommended(dataset), "epochs": 2})
    session.reset()
    session.train(max_ms=None)
    mlp.save(session.network, tmp_path / "houses-model.json")
    doc = json.loads((tmp_path / "houses-model.json").read_text())
    assert doc["dataset"]["csv"] == {"name": "houses", "label": "price", "task": "regression", "ignore": ["id"],
                                     "encode": {"neighbourhood": ["Harbour", "Hill", "Old Town"]}}
    loaded = mlp.load(tmp_path / "houses-model.json")
    again = read_csv(HOUSES, **loaded.dataset["csv"])
    np.testing.assert_array_equal(again.x, dataset.x)
    np.testing.assert_array_equal(loaded.predict(again.x), session.network.predict(dataset.x))
    # The same file read with other categories is refused by the session, by name.
    other = Session(read_csv(HOUSES, name="houses", ignore=["id"],
                             encode={"neighbourhood": ["Old Town", "Hill", "Harbour"]}))
    with pytest.raises(ModelFormatError, match=r"this model one-hot encodes \{'neighbourhood': \['Harbour', 'Hill', "
                                               r"'Old Town'\]\}, but 'houses' is read with"):
        other.use_network(loaded)


def test_a_model_file_without_the_csv_reading_still_loads(tmp_path):
    from mlp.csvfile import read_csv
    from mlp.session import Session

    session = Session(read_csv(HOUSES, name="houses", ignore=["id"]))
    session.reset()
    doc = to_dict(session.network)
    del doc["dataset"]["csv"]  # a file written before the page kept it
    old = from_dict(json.loads(json.dumps(doc)))
    assert "csv" not in old.dataset
    session.use_network(old)  # the widths agree: it is taken


@pytest.mark.parametrize(("csv", "where"), [
    ({"name": "h"}, "must be an object with the fields name, label, task, ignore, encode"),
    ({"name": "h", "label": 3, "task": "regression", "ignore": [], "encode": {}}, r"dataset\['csv'\]\['label'\] must be a str"),
    ({"name": "h", "label": "y", "task": "guess", "ignore": [], "encode": {}}, "must be classification or regression"),
    ({"name": "h", "label": "y", "task": "regression", "ignore": [1], "encode": {}}, r"\['ignore'\]\[0\] must be a string"),
    ({"name": "h", "label": "y", "task": "regression", "ignore": [], "encode": {"c": []}},
     r"\['encode'\]\['c'\] must be a list of distinct categories"),
    ({"name": "h", "label": "y", "task": "regression", "ignore": [], "encode": {"c": ["a", "a"]}},
     r"\['encode'\]\['c'\] must be a list of distinct categories"),
])
def test_a_bad_csv_reading_is_refused_by_name(trained, csv, where):
    doc = {**to_dict(trained), "dataset": {"name": "houses", "csv": csv}}
    with pytest.raises(ModelFormatError, match=where):
        from_dict(doc)
