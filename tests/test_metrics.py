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
