"""Our metrics equal scikit-learn's on the same predictions."""

import numpy as np
import pytest
from sklearn import metrics as skm

from mlp.metrics import accuracy_score, classification_report, confusion_matrix

CASES = {
    "digits-like": (np.tile(np.arange(10), 30), None),
    "a class never predicted": (np.array([0, 1, 2, 2, 1, 0, 2]), np.array([0, 1, 1, 1, 1, 0, 1])),
    "a class never true": (np.array([0, 0, 1, 1]), np.array([0, 2, 1, 1])),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_metrics_equal_sklearn(name, rng):
    y_true, y_pred = CASES[name]
    if y_pred is None:
        y_pred = np.where(rng.random(len(y_true)) < 0.8, y_true, rng.integers(0, 10, len(y_true)))
    assert accuracy_score(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred))
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred), skm.confusion_matrix(y_true, y_pred))
    ours = classification_report(y_true, y_pred, output_dict=True)
    theirs = skm.classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    assert ours.keys() == theirs.keys()
    for key, row in theirs.items():
        if key == "accuracy":
            assert ours[key] == pytest.approx(row)
        else:
            for metric, value in row.items():
                assert ours[key][metric] == pytest.approx(value), (key, metric)


def test_text_report_equals_sklearn(rng):
    y_true = rng.integers(0, 10, 300)
    y_pred = np.where(rng.random(300) < 0.9, y_true, rng.integers(0, 10, 300))
    assert classification_report(y_true, y_pred, digits=3) == skm.classification_report(y_true, y_pred, digits=3)


def test_confusion_matrix_with_explicit_labels():
    m = confusion_matrix([1, 1, 2], [1, 2, 2], labels=[2, 1, 0])
    np.testing.assert_array_equal(m, skm.confusion_matrix([1, 1, 2], [1, 2, 2], labels=[2, 1, 0]))


def test_accuracy_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        accuracy_score([1, 2], [1])


@pytest.mark.parametrize("case", ["noisy", "perfect", "worse than the mean", "constant truth"])
def test_regression_metrics_equal_sklearn(case, rng):
    from mlp.metrics import mean_absolute_error, r2_score, root_mean_squared_error

    y_true = rng.normal(50, 20, 200)
    y_pred = {"noisy": y_true + rng.normal(0, 5, 200), "perfect": y_true.copy(),
              "worse than the mean": rng.normal(0, 100, 200), "constant truth": rng.normal(size=200)}[case]
    if case == "constant truth":
        y_true = np.full(200, 3.0)
    assert mean_absolute_error(y_true, y_pred) == pytest.approx(skm.mean_absolute_error(y_true, y_pred), rel=1e-12)
    assert root_mean_squared_error(y_true, y_pred) == pytest.approx(
        np.sqrt(skm.mean_squared_error(y_true, y_pred)), rel=1e-12)
    assert r2_score(y_true, y_pred) == pytest.approx(skm.r2_score(y_true, y_pred), rel=1e-12, abs=1e-12)


def test_class_names_in_the_report_equal_sklearn():
    y_true, y_pred = np.array([0, 1, 2, 2, 1]), np.array([0, 2, 2, 2, 1])
    names = ["setosa", "versicolor", "virginica"]
    ours = classification_report(y_true, y_pred, target_names=names, output_dict=True)
    theirs = skm.classification_report(y_true, y_pred, target_names=names, output_dict=True, zero_division=0)
    assert ours.keys() == theirs.keys() and ours["versicolor"] == pytest.approx(theirs["versicolor"])
