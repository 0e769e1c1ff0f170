"""Datasets: the description drives the network's shape, the file format round-trips,
and a model made for other data is refused."""

import json

import numpy as np
import pytest

from mlp.config import ConfigError
from mlp.data import DIGITS, Dataset, decode_dataset, encode_dataset, read_dataset
from mlp.serialization import ModelFormatError
from mlp.session import Session

TOY = {"name": "toy", "classes": ["low", "mid", "high"], "feature_range": [-1, 1], "kind": "tabular"}
TOY_CONFIG = {"hidden_layers": [8], "epochs": 5, "augment": False, "batch_size": 16, "learning_rate": 0.02}


@pytest.fixture
def toy(rng):
    """5 features in -1..1 and 3 classes set by the sum of the first two."""
    x = rng.uniform(-1, 1, size=(150, 5))
    y = np.digitize(x[:, 0] + x[:, 1], [-0.5, 0.5])
    return Dataset(x, y, **TOY)


def _write(tmp_path, *datasets):
    entries = []
    for dataset in datasets:
        blob, entry = encode_dataset(dataset)
        (tmp_path / entry["file"]).write_bytes(blob)
        entries.append(entry)
    (tmp_path / "datasets.json").write_text(json.dumps({"datasets": entries}))
    return tmp_path


def test_file_format_round_trips_floats_and_bytes(toy, digits_dataset, tmp_path):
    _write(tmp_path, toy, digits_dataset)
    entries = {e["name"]: e for e in json.loads((tmp_path / "datasets.json").read_text())["datasets"]}
    assert entries["toy"]["dtype"] == "float64" and entries["digits"]["dtype"] == "uint8"
    assert entries["digits"]["n_features"] == 64 and entries["digits"]["classes"] == DIGITS["classes"]
    assert entries["digits"]["feature_range"] == [0, 16] and entries["digits"]["kind"] == "image"
    for original in (toy, digits_dataset):
        again = read_dataset(tmp_path, original.name)
        np.testing.assert_array_equal(again.x, original.x)
        np.testing.assert_array_equal(again.y, original.y)
        assert again.describe() == original.describe()


def test_corrupted_or_truncated_files_are_named(toy):
    blob, entry = encode_dataset(toy)
    with pytest.raises(ValueError, match="'toy' is corrupted"):
        decode_dataset(blob[:-1] + b"\x02", entry)
    with pytest.raises(ValueError, match="file has 10 bytes"):
        decode_dataset(blob[:10], entry)
    with pytest.raises(ValueError, match="missing or bad field"):
        decode_dataset(blob, {**entry, "n_features": None})


@pytest.mark.parametrize(
    "change, message",
    [
        ({"y": [0, 1, 3]}, "labels must be 0..2"),
        ({"x": [[0, 0, 2], [0, 0, 0], [0, 0, 0]]}, "outside its feature_range -1..1"),
        ({"x": [[0, 0, np.nan], [0, 0, 0], [0, 0, 0]]}, "NaN"),
        ({"classes": ["only"]}, "at least 2 classes"),
        ({"feature_range": [1, -1]}, "low < high"),
        ({"kind": "image"}, "needs an image_shape"),
        ({"kind": "image", "image_shape": [2, 2]}, "does not hold 3 features"),
        ({"kind": "video"}, "kind must be one of"),
    ],
)
def test_a_dataset_that_contradicts_its_description_is_refused(change, message):
    facts = {**TOY, "x": np.zeros((3, 3)), "y": [0, 1, 2], **change}
    x, y = facts.pop("x"), facts.pop("y")
    with pytest.raises(ValueError, match=message):
        Dataset(x, y, **facts)


def test_another_shape_trains_through_the_session_and_its_model_is_refused_by_digits(toy, digits_dataset, tmp_path):
    session = Session(read_dataset(_write(tmp_path, toy), "toy"), TOY_CONFIG)
    session.reset()
    assert session.network.dimensions == (5, 8, 3)
    # Tabular inputs are standardised with the training split's mean and std, inside the model.
    np.testing.assert_allclose(session.network.input_shift, session.x_train.mean(axis=0))
    np.testing.assert_allclose(session.network.input_scale, 1 / session.x_train.std(axis=0))
    while not session.train(max_ms=None)["finished"]:
        pass
    evaluation = session.evaluate()
    assert evaluation["classes"] == ["low", "mid", "high"] and len(evaluation["confusion_matrix"]) == 3
    assert evaluation["accuracy"] > 0.6  # 3 classes: chance is about 0.33
    text = session.export_model()
    doc = json.loads(text)
    assert doc["dataset"]["name"] == "toy" and doc["classes"] == ["low", "mid", "high"]

    digits = Session(digits_dataset, {"hidden_layers": [4], "augment": False})
    digits.reset()
    before = digits.export_model()
    with pytest.raises(ModelFormatError, match=r"made for 'toy' \(5 inputs, 3 outputs\), not for 'digits' \(64 inputs, 10 outputs\)"):
        digits.import_model(text)
    assert digits.export_model() == before  # the current model stays

    again = Session(toy, TOY_CONFIG)
    again.import_model(text)
    np.testing.assert_array_equal(again.network.predict(toy.x), session.network.predict(toy.x))


def test_a_model_for_another_dataset_of_the_same_shape_is_refused(toy):
    twin = Dataset(toy.x, toy.y, **{**TOY, "name": "twin"})
    text = _trained_text(twin)
    with pytest.raises(ModelFormatError, match="made for 'twin'"):
        Session(toy, TOY_CONFIG).import_model(text)


def _trained_text(dataset):
    session = Session(dataset, TOY_CONFIG)
    session.reset()
    return session.export_model()


def test_shift_augmentation_is_for_images_only(toy):
    with pytest.raises(ConfigError) as info:
        Session(toy, {**TOY_CONFIG, "augment": True})
    assert "only for image data; 'toy' is tabular" in info.value.errors["augment"]


def test_scale_inputs_divides_images_by_the_largest_magnitude(digits_dataset):
    assert digits_dataset.input_scale == 1 / 16
    wide = Dataset(np.zeros((2, 1)), [0, 1], name="w", classes=["a", "b"], feature_range=[-4, 2])
    assert wide.input_scale == 0.25
    session = Session(digits_dataset, {"hidden_layers": [4]})
    session.reset()
    assert session.network.input_shift == 0.0 and session.network.input_scale == 1 / 16


def test_regression_trains_and_r2_equals_sklearn():
    """diabetes: targets standardised inside the model, metrics in the target's own units."""
    from sklearn import metrics as skm

    from mlp.config import recommended
    from mlp.datasets import load_dataset

    diabetes = load_dataset("diabetes")
    session = Session(diabetes, recommended(diabetes))
    session.reset()
    net = session.network
    assert net.dimensions[-1] == 1 and net.target_shift == pytest.approx(session.y_train.mean())
    while not session.train(max_ms=None)["finished"]:
        pass
    ev = session.evaluate()
    pred = net.predict(session.x_test)[:, 0]
    assert ev["task"] == "regression" and ev["r2"] == pytest.approx(skm.r2_score(session.y_test, pred), rel=1e-12)
    assert ev["mae"] == pytest.approx(skm.mean_absolute_error(session.y_test, pred), rel=1e-12)
    assert ev["r2"] > 0.35  # a linear model gets about 0.45 on this data
    assert len(ev["points"]) == len(session.y_test) and "accuracy" not in session.trainer.history.records[-1]
    one = session.predict(session.x_test[0].tolist())
    assert one == {"value": pytest.approx(pred[0])}
    again = Session(diabetes, recommended(diabetes))
    again.import_model(session.export_model())  # raw values in, raw targets out, after a round trip
    np.testing.assert_array_equal(again.network.predict(diabetes.x), net.predict(diabetes.x))


def test_regression_needs_an_identity_output(toy):
    from mlp.datasets import load_dataset

    with pytest.raises(ConfigError) as info:
        Session(load_dataset("plane"), {"augment": False, "output_activation": "softmax", "loss": "cross_entropy"})
    assert "is not for regression; use identity + mse" in info.value.errors["loss"]
    with pytest.raises(ConfigError, match="is not for classification"):
        Session(toy, {**TOY_CONFIG, "output_activation": "identity", "loss": "mse"})


def test_every_named_dataset_loads_and_fits_its_preset(site_dir):
    from mlp.config import recommended, validate_config
    from mlp.datasets import BUILT, dataset_names, load_dataset

    assert dataset_names()[:6] == ["digits", "mnist", "iris", "wine", "breast_cancer", "diabetes"]
    for name in dataset_names():
        dataset = load_dataset(name, site_dir / "data") if name in BUILT else load_dataset(name)
        assert dataset.name == name
        validate_config(recommended(dataset), dataset)


def test_the_session_opens_a_k_class_set_with_its_number_of_classes_and_refuses_a_bad_one(digits_dataset):
    session = Session(digits_dataset, {"hidden_layers": [4]})
    opened = session.open_dataset({"name": "blobs"}, plane={"n_points": 120, "noise": 0.1, "seed": 3, "classes": 6})
    assert opened["plane"] == {"n_points": 120, "noise": 0.1, "seed": 3, "classes": 6}
    assert opened["dataset"]["classes"] == ["orange", "blue", "green", "purple", "yellow", "grey"]
    session.reset()
    assert session.network.dimensions[-1] == 6 and session.network.classes == opened["dataset"]["classes"]
    with pytest.raises(ValueError, match="classes must be >= 3 and <= 6, got 8"):
        session.open_dataset({"name": "arms"}, plane={"n_points": 120, "classes": 8})
    with pytest.raises(ValueError, match="classes only applies to blobs and arms"):
        session.open_dataset({"name": "moons"}, plane={"n_points": 120, "classes": 3})
    assert session.dataset.name == "blobs" and session.plane["classes"] == 6  # untouched
    six = session.export_model()
    session.open_dataset({"name": "blobs"}, plane={"n_points": 120, "classes": 4})
    with pytest.raises(ValueError, match="it tells 6 classes apart; set Classes to 6, Regenerate, and import it again"):
        session.import_model(six)
    assert session.open_dataset({"name": "moons"}, plane={"n_points": 120})["plane"] == {
        "n_points": 120, "noise": 0.0, "seed": 0}  # no classes for a two-class set


def test_the_session_switches_datasets_and_a_bad_csv_changes_nothing(digits_dataset):
    from mlp.csvfile import CSVError

    session = Session(digits_dataset, {"hidden_layers": [4]})
    opened = session.open_dataset({"name": "xor"}, plane={"n_points": 120, "noise": 0.2, "seed": 3})
    assert opened["plane"] == {"n_points": 120, "noise": 0.2, "seed": 3} and opened["n_test"] == 30
    assert session.network is None and session.config["hidden_layers"] == [32, 32]  # its own preset
    session.reset()
    grid = session.boundary(resolution=5)
    axis = np.linspace(-6, 6, 5)
    corner = session.network.predict(np.array([[axis[0], axis[-1]]]))[0, 1]  # top left: x1 = -6, x2 = 6
    assert len(grid["values"]) == 25 and grid["values"][0] == pytest.approx(corner, rel=1e-12)
    assert len(session.points()["train"]) == 90
    with pytest.raises(CSVError, match="row 3"):
        session.open_csv(b"a,b,y\n1,2,x\n3,oops,y\n", name="bad")
    assert session.dataset.name == "xor" and session.network is not None  # untouched
    opened = session.open_csv(b"a,b,kind\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n2,1,x\n4,3,y\n6,5,x\n8,7,y\n", name="mine", label="kind")
    assert (opened["columns"], opened["label"], opened["dataset"]["name"]) == (["a", "b", "kind"], "kind", "mine")
    with pytest.raises(ValueError, match="not a two-dimensional dataset"):
        session.boundary()
