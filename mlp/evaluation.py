"""How a model does on held-out data, and its answer for one sample: pure functions of a network and data.

What the page's evaluation panel shows (:meth:`mlp.session.Session.evaluate`),
as plain lists and numbers. Every metric here is scikit-learn's, computed by
:mod:`mlp.metrics` (tested against scikit-learn).
"""

import numpy as np

from .metrics import (
    classification_report,
    confusion_matrix,
    mean_absolute_error,
    r2_score,
    root_mean_squared_error,
)


def evaluate(network, dataset, x_test, y_test, max_misclassified=40, max_points=500):
    """How ``network`` does on ``(x_test, y_test)``, samples of ``dataset``.

    Classification: accuracy, confusion matrix, per-class report and the
    first ``max_misclassified`` mistakes. Regression: MAE, RMSE, R² and up to
    ``max_points`` (true, predicted) pairs for a scatter plot. Both carry
    ``task`` and ``n_test``.
    """
    if dataset.task == "regression":
        return _evaluate_regression(network, dataset, x_test, y_test, max_points)
    proba = network.predict(x_test)
    pred = proba.argmax(axis=1)
    labels = list(range(dataset.n_classes))
    wrong = np.flatnonzero(pred != y_test)[:max_misclassified]
    return {
        "task": "classification",
        "accuracy": float(np.mean(pred == y_test)),
        "n_test": int(len(y_test)),
        "classes": list(dataset.classes),
        "confusion_matrix": confusion_matrix(y_test, pred, labels).tolist(),
        "report": classification_report(y_test, pred, labels, output_dict=True),
        "misclassified": [
            {
                "index": int(i),
                "features": x_test[i].tolist(),
                "true": int(y_test[i]),
                "predicted": int(pred[i]),
                "confidence": float(proba[i, pred[i]]),
            }
            for i in wrong
        ],
    }


def weights_epoch(network):
    """Which epoch a trained model's weights are from, in words, when a validation split chose
    (or could have chosen) one (``metadata["best_epoch"]``, :meth:`mlp.session.Session.train`); else None.

    >>> weights_epoch(type("Net", (), {"metadata": {"trained_epochs": 200, "config": {"epochs": 200},
    ...     "best_epoch": {"epoch": 143, "val_loss": 0.1234, "kept": True, "stopped_early": False}}})())
    'Weights from epoch 143 of 200, the best on validation (loss 0.1234).'
    """
    meta = network.metadata or {}
    best, epochs = meta.get("best_epoch"), (meta.get("config") or {}).get("epochs")
    if not isinstance(best, dict) or epochs is None:
        return None
    trained = meta.get("trained_epochs", epochs)
    if best.get("stopped_early"):
        return (f"Weights from epoch {best['epoch']}, the best on validation (loss {best['val_loss']:.4g}): training "
                f"stopped early after epoch {trained} of {epochs}, {trained - best['epoch']} epochs without a better "
                "validation loss.")
    if best.get("kept"):
        return f"Weights from epoch {best['epoch']} of {epochs}, the best on validation (loss {best['val_loss']:.4g})."
    return (f"Weights from epoch {trained} of {epochs}, the latest; the best on validation so far was epoch "
            f"{best['epoch']} (loss {best['val_loss']:.4g}). Keep the best epoch's weights to end with those.")


def _evaluate_regression(network, dataset, x_test, y_test, max_points):
    pred = network.predict(x_test)[:, 0]
    return {
        "task": "regression",
        "n_test": int(len(y_test)),
        "target_name": dataset.target_name,
        "mae": mean_absolute_error(y_test, pred),
        "rmse": root_mean_squared_error(y_test, pred),
        "r2": r2_score(y_test, pred),
        "points": np.column_stack([y_test, pred])[:max_points].tolist(),
    }


def predict_one(network, features, task):
    """The model's answer for one sample.

    Classification: the label (a class index), its confidence and every
    class's probability. Regression: ``{"value": prediction}``, in the
    target's units.
    """
    out = network.predict(np.asarray(features, dtype=np.float64).reshape(1, -1))[0]
    if task == "regression":
        return {"value": float(out[0])}
    label = int(np.argmax(out))
    return {"label": label, "confidence": float(out[label]), "probabilities": out.tolist()}
