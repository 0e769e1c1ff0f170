"""Classification and regression metrics, written here so the browser needs no scikit-learn.

Definitions and output formats follow scikit-learn's ``accuracy_score``,
``confusion_matrix``, ``classification_report``, ``mean_absolute_error``,
``root_mean_squared_error`` and ``r2_score``; the test suite checks that the
numbers are equal. A ratio with a zero denominator (a class never
predicted, say) is reported as 0.0, as scikit-learn does by default.
"""

import numpy as np


def _labels(y_true, y_pred, labels):
    if labels is None:
        return np.union1d(np.asarray(y_true), np.asarray(y_pred))
    return np.asarray(labels)


def accuracy_score(y_true, y_pred):
    """Fraction of samples whose predicted label equals the true one."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has {y_pred.shape}")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, labels=None):
    """Counts ``C[i, j]`` of samples with true label ``labels[i]`` predicted as ``labels[j]``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, optional
        Row and column order; by default the sorted union of both label sets.

    Returns
    -------
    ndarray of shape (n_labels, n_labels), int64
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    labels = _labels(y_true, y_pred, labels)
    index = {label: i for i, label in enumerate(labels.tolist())}
    keep = np.isin(y_true, labels) & np.isin(y_pred, labels)
    rows = np.array([index[v] for v in y_true[keep].tolist()], dtype=np.int64)
    cols = np.array([index[v] for v in y_pred[keep].tolist()], dtype=np.int64)
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(matrix, (rows, cols), 1)
    return matrix


def _safe_ratio(num, den):
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def precision_recall_f1_support(y_true, y_pred, labels=None):
    """Per-label precision, recall, F1 and support, as four arrays."""
    matrix = confusion_matrix(y_true, y_pred, labels)
    true_pos = np.diag(matrix).astype(float)
    precision = _safe_ratio(true_pos, matrix.sum(axis=0))
    recall = _safe_ratio(true_pos, matrix.sum(axis=1))
    f1 = _safe_ratio(2 * precision * recall, precision + recall)
    return precision, recall, f1, matrix.sum(axis=1)


def classification_report(y_true, y_pred, labels=None, target_names=None, output_dict=False, digits=2):
    """Per-class precision, recall, F1 and support, plus accuracy and averages.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, optional
    target_names : list of str, optional
        A name for each label, shown instead of the label itself.
    output_dict : bool, default=False
        Return a dict shaped like scikit-learn's ``output_dict=True`` (keys are
        the labels as strings, ``"accuracy"``, ``"macro avg"`` and
        ``"weighted avg"``) instead of a text table.
    digits : int, default=2
        Decimals in the text table.

    Returns
    -------
    str or dict
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    labels = _labels(y_true, y_pred, labels)
    precision, recall, f1, support = precision_recall_f1_support(y_true, y_pred, labels)
    if target_names is not None and len(target_names) != len(labels):
        raise ValueError(f"{len(target_names)} target_names for {len(labels)} labels")
    names = [str(n) for n in target_names] if target_names is not None else [str(v) for v in labels.tolist()]
    report = {}
    for i, name in enumerate(names):
        report[name] = {
            "precision": float(precision[i]),
            "recall": float(recall[i]),
            "f1-score": float(f1[i]),
            "support": int(support[i]),
        }
    total = int(support.sum())
    report["accuracy"] = accuracy_score(y_true, y_pred)
    weights = support / total if total else np.zeros_like(precision)
    for name, w in (("macro avg", None), ("weighted avg", weights)):
        report[name] = {
            "precision": float(np.average(precision, weights=w)),
            "recall": float(np.average(recall, weights=w)),
            "f1-score": float(np.average(f1, weights=w)),
            "support": total,
        }
    return report if output_dict else _format_report(report, digits)


def _format_report(report, digits):
    names = [k for k in report if k != "accuracy"]
    width = max(len(n) for n in names + ["weighted avg"])
    head = f"{'':>{width}} " + "".join(f"{h:>10}" for h in ("precision", "recall", "f1-score", "support"))
    lines = [head, ""]
    for name in names:
        row = report[name]
        if name == "macro avg":
            lines.append("")
            acc = report["accuracy"]
            lines.append(f"{'accuracy':>{width}} {'':>10}{'':>10}{acc:>10.{digits}f}{row['support']:>10}")
        cells = "".join(f"{row[k]:>10.{digits}f}" for k in ("precision", "recall", "f1-score"))
        lines.append(f"{name:>{width}} {cells}{row['support']:>10}")
    return "\n".join(lines) + "\n"


def _pair(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has {y_pred.shape}")
    return y_true, y_pred


def mean_absolute_error(y_true, y_pred):
    """Mean of ``|y_true - y_pred|``: the typical miss, in the target's units."""
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


def root_mean_squared_error(y_true, y_pred):
    """Square root of the mean squared miss; large misses weigh more than in the MAE."""
    y_true, y_pred = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def r2_score(y_true, y_pred):
    """Coefficient of determination, ``1 - SS_res / SS_tot``.

    1 is perfect, 0 is no better than always predicting the mean of
    ``y_true``, and it is negative when worse than that. As scikit-learn does,
    a constant ``y_true`` gives 1.0 for a perfect prediction and 0.0 otherwise.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    residual = float(np.sum((y_true - y_pred) ** 2))
    total = float(np.sum((y_true - y_true.mean()) ** 2))
    if total == 0.0:
        return 1.0 if residual == 0.0 else 0.0
    return 1.0 - residual / total
