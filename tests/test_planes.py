"""The two-dimensional datasets: seeded, in the square, balanced, and learnable by their presets."""

import numpy as np
import pytest

from mlp.config import recommended
from mlp.pictures import grid, unit_classes
from mlp.planes import COLOURS, EXTENT, K_CLASS, PLANES, SETTINGS, defaults, make_plane
from mlp.session import Session


@pytest.mark.parametrize("name", sorted(PLANES))
def test_same_settings_same_points_other_seed_other_points(name):
    a, b = make_plane(name, 300, 0.2, seed=4), make_plane(name, 300, 0.2, seed=4)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.x, make_plane(name, 300, 0.2, seed=5).x)
    assert a.x.shape == (300, 2) and np.abs(a.x).max() <= EXTENT
    assert a.kind == "plane" and a.feature_names == ["x1", "x2"]


@pytest.mark.parametrize("name", [n for n, (_, task, _) in PLANES.items()
                                  if task == "classification" and n not in K_CLASS])
def test_classification_sets_have_two_balanced_classes(name):
    d = make_plane(name, 401)
    share = (d.y == 1).mean()  # exactly half by construction, except XOR's random quadrants
    assert d.classes == ["orange", "blue"] and (abs(share - 0.5) < 0.1 if name == "xor" else abs(share - 0.5) < 0.01)


@pytest.mark.parametrize("name", ["plane", "multi_gaussian"])
def test_regression_sets_have_targets_in_minus_one_to_one(name):
    d = make_plane(name, 500)
    assert d.task == "regression" and d.classes is None and np.abs(d.y).max() <= 1.0


@pytest.mark.parametrize("name", K_CLASS)
@pytest.mark.parametrize("k", [3, 4, 5, 6])
def test_k_class_sets_have_k_balanced_classes_named_after_their_colours(name, k):
    d = make_plane(name, 601, 0.1, seed=3, classes=k)
    assert d.classes == list(COLOURS)[:k] and d.n_outputs == k
    counts = np.bincount(d.y, minlength=k)
    assert counts.max() - counts.min() <= 1 and len(counts) == k
    assert d.origin == {"kind": "plane", "name": name, "n_points": 601, "noise": 0.1, "seed": 3, "classes": k}
    again = make_plane(name, 601, 0.1, seed=3, classes=k)
    np.testing.assert_array_equal(d.x, again.x)
    assert not np.array_equal(d.x, make_plane(name, 601, 0.1, seed=4, classes=k).x)


def test_k_class_sets_default_to_the_schema_default_and_others_keep_two():
    assert make_plane("blobs").n_classes == SETTINGS["classes"]["default"] == defaults("arms")["classes"]
    assert SETTINGS["classes"]["sets"] == list(K_CLASS) and "classes" not in defaults("spiral")
    assert make_plane("moons").origin.keys() == {"kind", "name", "n_points", "noise", "seed"}


def test_blobs_sit_round_the_circle_one_class_each():
    d = make_plane("blobs", 600, 0.0, seed=1, classes=6)
    angles = np.degrees(np.arctan2(*[d.x[:, 1], d.x[:, 0]]))
    for c in range(6):  # class c's cloud is centred at 90 + 60c degrees, radius 4
        centre = d.x[d.y == c].mean(axis=0)
        assert abs(np.hypot(*centre) - 4) < 0.3
        assert abs(((np.degrees(np.arctan2(centre[1], centre[0])) - 90 - 60 * c) + 180) % 360 - 180) < 8
    assert angles.size == 600


@pytest.mark.parametrize("bad, message", [
    ({"classes": 2}, "classes must be >= 3 and <= 6, got 2"),
    ({"classes": 7}, "classes must be >= 3 and <= 6, got 7"),
    ({"classes": 3.5}, "classes must be an integer, got 3.5"),
    ({"classes": "4"}, "classes must be an integer, got '4'"),
    ({"name": "spiral", "classes": 3}, "classes only applies to blobs and arms; 'spiral' has two classes"),
    ({"name": "plane", "classes": 3}, "classes only applies to blobs and arms; 'plane' has a target"),
])
def test_bad_class_counts_are_named(bad, message):
    with pytest.raises(ValueError, match=message):
        make_plane(**{"name": "arms", **bad})


def test_k_class_boundary_sends_each_cells_class_and_its_probability():
    session = Session(make_plane("blobs", 200, classes=5, seed=2))
    session.reset()
    session.train(max_batches=30)
    found = session.boundary(resolution=12, unit_resolution=5)
    probabilities = session.network.predict(grid(12))
    assert found["classes"] == probabilities.argmax(axis=1).tolist()
    np.testing.assert_allclose(found["values"], probabilities.max(axis=1))
    assert all(len(unit["toward"]) == 2 for unit in found["units"])
    two = Session(make_plane("xor", 50))
    two.reset()
    found = two.boundary(resolution=12, unit_resolution=5)  # two classes: the probability of blue, as before
    assert "classes" not in found and "toward" not in found["units"][0]
    np.testing.assert_allclose(found["values"], two.network.predict(grid(12))[:, 1])


def test_a_last_layer_unit_pushes_toward_the_classes_of_its_largest_and_smallest_weights():
    session = Session(make_plane("arms", 120, classes=4))
    session.reset()
    w = session.network.weights[-1]
    last = unit_classes(session.network)[-1]
    assert last == [[int(np.argmin(row)), int(np.argmax(row))] for row in w]
    assert len(unit_classes(session.network)) == len(session.network.weights) - 1


def test_noise_moves_points_off_the_clean_pattern():
    clean, noisy = make_plane("circles", 500, 0.0), make_plane("circles", 500, 0.5)
    radius = lambda d: np.hypot(*d.x.T)  # noqa: E731
    inner_clean = radius(clean)[clean.y == 1].max()
    assert inner_clean <= 2.5 and radius(noisy)[noisy.y == 1].max() > inner_clean


@pytest.mark.parametrize("bad, message", [
    ({"name": "swirl"}, "unknown plane dataset 'swirl'"),
    ({"n_points": 1}, "n_points must be >= 2"),
    ({"n_points": 10**6}, "n_points must be >= 2 and <= 5000"),
    ({"noise": 0.9}, "noise must be <= 0.5"),
    ({"noise": float("nan")}, "noise must be finite"),
])
def test_bad_settings_are_named(bad, message):
    with pytest.raises(ValueError, match=message):
        make_plane(**{"name": "xor", **bad})


def test_the_spiral_preset_reaches_95_percent_held_out():
    """The issue's bar for the hardest set, at the preset's own seed (tests/benchmarks/README.md: seeds 5-24)."""
    spiral = make_plane("spiral")
    session = Session(spiral, recommended(spiral))
    session.reset()
    while not session.train(max_ms=None)["finished"]:
        pass
    assert session.evaluate()["accuracy"] >= 0.95


def test_the_first_layer_weights_come_with_the_inputs_names():
    xor = make_plane("xor", n_points=100)
    config = {**recommended(xor), "input_features": ["x1", "x2", "x1*x2"], "hidden_layers": [5], "activations": ["tanh"]}
    session = Session(xor, config)
    session.reset()
    weights = session.first_layer_weights()
    assert weights["inputs"] == ["x₁", "x₂", "x₁·x₂"]
    assert np.array_equal(np.array(weights["units"]), session.network.weights[0].T)


@pytest.mark.parametrize("name, k, seed", [("arms", 6, 100), ("blobs", 6, 101)])
def test_the_k_class_presets_reach_95_percent_held_out(name, k, seed):
    """The issue's bar for the k-class sets, at 6 classes on seeds nobody tuned on (tuned on 0-4)."""
    data = make_plane(name, seed=seed, classes=k)
    session = Session(data, {**recommended(data), "seed": seed})
    session.reset()
    while not session.train(max_ms=None)["finished"]:
        pass
    assert session.evaluate()["accuracy"] >= 0.95
