"""mlp.sklearn.MLPClassifier is a well-behaved scikit-learn estimator."""

import subprocess
import sys

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.utils.estimator_checks import check_estimator

from mlp.sklearn import MLPClassifier


def test_check_estimator():
    check_estimator(MLPClassifier(hidden_layer_sizes=(16,), epochs=30, random_state=0))


def test_pipeline_and_grid_search(digits):
    x, y = digits
    pipe = make_pipeline(MinMaxScaler(), MLPClassifier(hidden_layer_sizes=(32,), epochs=10, random_state=0))
    grid = GridSearchCV(pipe, {"mlpclassifier__learning_rate": [1e-3, 1e-2]}, cv=2)
    grid.fit(x[:600], y[:600])
    assert grid.best_score_ > 0.85


def test_string_labels_and_random_state(digits):
    x, y = digits[0][:300] / 16, np.array(list("abcdefghij"))[digits[1][:300]]
    a = MLPClassifier(hidden_layer_sizes=(8,), epochs=3, random_state=4).fit(x, y)
    b = MLPClassifier(hidden_layer_sizes=(8,), epochs=3, random_state=4).fit(x, y)
    np.testing.assert_array_equal(a.predict_proba(x), b.predict_proba(x))
    assert set(a.predict(x)) <= set("abcdefghij")


def test_importing_mlp_does_not_import_sklearn():
    code = "import mlp, mlp.session, sys; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_ctrl_c_keeps_the_model_trained_so_far(digits, monkeypatch):
    from .test_training import _signal_on_third_update

    x, y = digits
    _signal_on_third_update(monkeypatch)
    with pytest.warns(UserWarning, match="interrupted"):
        clf = MLPClassifier(hidden_layer_sizes=(16,), optimizer="adam", epochs=5, random_state=0).fit(x / 16, y)
    assert clf.n_iter_ == 0 and clf.predict(x[:3]).shape == (3,)


def test_a_validation_fraction_is_monitored_and_keep_best_ends_on_its_best_epoch(digits):
    x, y = digits[0][:400] / 16, digits[1][:400]
    clf = MLPClassifier(hidden_layer_sizes=(16,), epochs=25, learning_rate=0.05, validation_fraction=0.25,
                        keep_best=True, random_state=0).fit(x, y)
    curve = clf.validation_loss_curve_
    assert len(curve) == len(clf.loss_curve_) == 25 and clf.best_epoch_ == int(np.argmin(curve)) + 1
    stopped = MLPClassifier(hidden_layer_sizes=(16,), epochs=500, learning_rate=0.05, validation_fraction=0.25,
                            early_stopping=3, random_state=0).fit(x, y)
    assert stopped.n_iter_ == stopped.best_epoch_ + 3 < 500
    with pytest.raises(ValueError, match="validation_fraction"):
        MLPClassifier(validation_fraction=1.5).fit(x, y)
