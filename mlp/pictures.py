"""Pictures of a model: the plane's heatmaps, the network diagram and the first layer's weights.

Pure functions of a network (and, for the plane, its data), returning plain
lists the page draws: :mod:`web/js/views/plane-view.js`, ``network-view.js``
and ``weights-view.js``.
"""

import numpy as np

from .features import FEATURES
from .planes import EXTENT


def grid(resolution):
    """Points of a resolution x resolution grid over the plane, row by row from the top left."""
    axis = np.linspace(-EXTENT, EXTENT, resolution)
    x1, x2 = np.meshgrid(axis, axis[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


def boundary(network, task, resolution=50, unit_resolution=20, max_units=64):
    """The model's output over the whole plane, and every hidden unit's, for the heatmaps.

    A ``resolution`` x ``resolution`` grid over -6..6 on both axes, row by
    row from the top (x2 = 6) and left to right (x1 = -6). ``values`` are the
    probability of the second class ("blue") for two classes, the prediction
    for regression. With more than two classes, ``classes`` holds each
    cell's most probable class and ``values`` its probability. ``units``
    holds, for the first ``max_units`` hidden units, layer by layer,
    ``{"layer": n, "unit": i, "values": [...]}`` on a coarser
    ``unit_resolution`` grid: each unit's activation, what it has learned to
    respond to; with more than two classes, each also has ``toward``: the
    classes it pushes toward most when its output is low and when it is high
    (:func:`unit_classes`).
    """
    out = network.predict(grid(resolution))
    found = {"resolution": resolution, "extent": EXTENT, "unit_resolution": unit_resolution}
    if task == "regression":
        found["values"] = out[:, 0].tolist()
    elif out.shape[1] == 2:
        found["values"] = out[:, 1].tolist()
    else:
        found["classes"] = out.argmax(axis=1).tolist()
        found["values"] = out.max(axis=1).tolist()
    _, activations = network.forward(grid(unit_resolution))
    toward = unit_classes(network) if task == "classification" and out.shape[1] > 2 else None
    units = [
        {"layer": layer, "unit": i, "values": a[:, i].tolist(),
         **({"toward": toward[layer - 1][i]} if toward else {})}
        for layer, a in enumerate(activations[1:-1], start=1)
        for i in range(a.shape[1])
    ][:max_units]
    return {**found, "units": units}


def unit_classes(network):
    """For each hidden unit, layer by layer: ``[low, high]``, the classes its output pushes toward
    most when it is low and when it is high, to colour its map with.

    A unit's push on the output scores (the logits z of the last layer) is
    read through the weights above it as if the layers between were linear:
    the product of the weight matrices from its layer to the output. Exact
    for the last hidden layer (its row of the last weights); a rough guide for
    earlier ones, whose effect also depends on the activations' slopes. The
    class pushed toward most when the unit is high is the largest entry of
    that row less its mean (softmax ignores a shift of all scores), and when
    it is low the smallest.
    """
    found, effect = [], None
    for w in reversed(network.weights[1:]):
        effect = w if effect is None else w @ effect
        relative = effect - effect.mean(axis=1, keepdims=True)
        found.append([[int(low), int(high)] for low, high in zip(relative.argmin(axis=1), relative.argmax(axis=1),
                                                                 strict=True)])
    return found[::-1]


def diagram(network, feature_names, max_units=10):
    """The model as the network diagram draws it: units per layer and the weights between them.

    A layer wider than ``max_units`` is summarised: only its ``max_units``
    units with the largest weights in and out (sum of magnitudes) are shown,
    in their own order, and ``size`` says how many there are.

    Returns
    -------
    dict
        ``{"layers": [{"size": n, "shown": [unit indices], "names": [...]}, ...],
        "weights": [[[w from shown unit i to shown unit j, ...], ...], ...]}``,
        one weight matrix per pair of adjacent layers. ``names`` label the
        input units (the features) and the output units (the classes).
    """
    w = [np.abs(m) for m in network.weights]
    strength = [w[0].sum(axis=1)] + [w[i - 1].sum(axis=0) + w[i].sum(axis=1) for i in range(1, len(w))]
    strength.append(w[-1].sum(axis=0))
    shown = [np.sort(np.argsort(-s, kind="stable")[:max_units]) for s in strength]
    names = [input_names(network, feature_names), *([None] * (len(w) - 1)), list(map(str, network.classes))]
    return {
        "layers": [{"size": int(size), "shown": keep.tolist(), "names": None if label is None else [label[i] for i in keep]}
                   for size, keep, label in zip(network.dimensions, shown, names, strict=True)],
        "weights": [network.weights[i][np.ix_(shown[i], shown[i + 1])].tolist() for i in range(len(w))],
    }


def points(x_train, y_train, x_test, y_test):
    """The training and held-out points with their labels (or targets): ``{"train": [[x1, x2, y], ...], "test": ...}``."""
    return {
        "train": np.column_stack([x_train, y_train]).tolist(),
        "test": np.column_stack([x_test, y_test]).tolist(),
    }


def input_names(network, feature_names):
    """What the input units are called on the page: the features the network computes from a point
    (``x₁²``, ...), else the data's own feature names."""
    inputs = [FEATURES[f][0] for f in network.input_features] if network.input_features else feature_names
    return list(map(str, inputs))


def first_layer_weights(network, feature_names):
    """Each first-layer unit's incoming weights, one per input, and the inputs' names.

    Returns
    -------
    dict
        ``{"units": [[w from input 0, w from input 1, ...], ...], "inputs": [names]}``: one list per
        hidden unit (the page draws each as an image for image data, else as a column beside the
        inputs' names).
    """
    return {"units": network.weights[0].T.tolist(), "inputs": input_names(network, feature_names)}
