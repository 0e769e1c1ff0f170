"""The "Inside one step" lesson: one sample through the current model, equation by equation.

What the page's lesson view shows and does, for a :class:`~mlp.session.Session`:
the numbers of one forward and backward pass (:func:`inside_step`), the plain
SGD step they give (:func:`take_step`), and the referee of every backprop,
the gradient check against finite differences (:func:`gradient_check`).
"""

from .activations import Sigmoid
from .gradcheck import gradient_check as check_gradients
from .losses import LOSSES, MSE, PublishedMSE, get_loss
from .validation import as_targets, check_int


def model_loss(session, network):
    """The model's own loss (or the config's, for a model never trained), as the registry has it now."""
    name = network.loss.name if network.loss is not None else session.config["loss"]
    return get_loss(name, network.activations[-1]) if name in LOSSES else network.loss


def _sample(session, index, split, network):
    """Sample ``index`` of a split: its index, inputs (one row), label or target, and the row ``network`` learns."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    x, y = (session.x_train, session.y_train) if split == "train" else (session.x_test, session.y_test)
    index = check_int(index, "sample index", 0, len(x) - 1)
    row = as_targets(session.targets(y[index:index + 1]), 1, network.dimensions[-1])
    return index, x[index:index + 1], y[index], row


def inside_step(session, index=0, split="train"):
    """One sample through the current model, equation by equation, with its numbers.

    The forward pass (eq. 1.3.0, 1.3.1), the deltas (2.4.0, 2.4.1) and the
    gradients (2.4.2, 2.4.3) of the session's backprop (the readable
    :meth:`mlp.network.Network.backprop`, or the learner's edit of it) for
    one sample, and the learning rate of the update. Layers are counted by
    their weights: ``layers[k - 1]`` holds layer k's ``z`` and ``a`` (the
    post's z_{k+1} and a_{k+1}), the ``delta`` of that z, and dJ/dw_k, dJ/db_k.
    For one sample, delta is dJ/db (eq. 2.4.3). With an MSE loss on a sigmoid
    output, ``as_published`` holds the output delta as the post computed it,
    (a - y) * sigmoid'(a), beside the correct (a - y) * sigmoid'(z).
    """
    net = session.require_model()
    index, x, truth, y = _sample(session, index, split, net)
    loss = model_loss(session, net)
    z, a = net.forward(x)
    grad_w, grad_b = session.backprop().gradients(net, x, y, loss)
    result = {
        "index": index, "split": split, "dimensions": list(net.dimensions),
        "activations": [f.name for f in net.activations], "loss_name": loss.name,
        "label": float(truth) if session.dataset.task == "regression" else int(truth),
        "input": a[0][0].tolist(), "scaled": bool(session.config.get("scale_inputs")),
        "loss": float(loss.loss(y, a[-1])), "learning_rate": session.config["learning_rate"],
        "layers": [
            {"z": z[k][0].tolist(), "a": a[k + 1][0].tolist(), "delta": grad_b[k].tolist(),
             "dw": grad_w[k].tolist(), "db": grad_b[k].tolist()}
            for k in range(len(net.weights))
        ],
        "as_published": None,
    }
    if net.activations[-1] is Sigmoid and loss.name in ("mse", "published_mse"):
        result["as_published"] = {
            "correct": MSE(Sigmoid).delta(y, a[-1], z[-1])[0].tolist(),
            "published": PublishedMSE(Sigmoid).delta(y, a[-1], z[-1])[0].tolist(),
        }
    return result


def take_step(session, index=0, split="train"):
    """One plain SGD step on one sample: w_k -= learning_rate * dJ/dw_k, and the same for b_k.

    The step of :func:`inside_step`, as the post's update takes it (no
    momentum, no weight decay). It changes the current model; a run in
    progress cannot be resumed after it. Returns the loss on the sample
    before and after.
    """
    net = session.require_model()
    index, x, _, y = _sample(session, index, split, net)
    loss = model_loss(session, net)
    before = float(loss.loss(y, net.output(x)))
    grad_w, grad_b = session.backprop().gradients(net, x, y, loss)
    rate = session.config["learning_rate"]
    for w, b, gw, gb in zip(net.weights, net.biases, grad_w, grad_b, strict=True):
        w -= rate * gw
        b -= rate * gb
    session.trainer = None
    return {"index": index, "split": split, "loss_before": before, "loss_after": float(loss.loss(y, net.output(x)))}


def gradient_check(session, n_samples=5, max_entries=200):
    """The session's backprop vs finite differences on a few training samples, per layer.

    Uses the model's own loss (or the config's, for a model never trained)
    and at most ``max_entries`` sampled entries per array.
    """
    net = session.require_model()
    x, y = session.x_train[:n_samples], session.targets(session.y_train[:n_samples])
    return check_gradients(net, x, y, model_loss(session, net), max_entries=max_entries,
                           backprop=session.backprop().function)
