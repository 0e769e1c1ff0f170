"""The drawing pad: read a digit drawn on the page, and fine-tune the model on the learner's own digits.

For a :class:`~mlp.session.Session` on image data. :mod:`mlp.drawing` turns a
canvas into what the data's images are: the 8x8 digits' block counts, or
MNIST's 28x28 grey levels (the dataset's ``pixels``).
"""

import numpy as np

from .drawing import EmptyDrawing, digit_to_bitmap, drawing_to_digit, drawing_to_grey
from .evaluation import predict_one


def read_drawing(dataset, pixels, width, height):
    """A canvas drawing as one image of ``dataset``'s kind: :func:`~mlp.drawing.drawing_to_digit` or
    :func:`~mlp.drawing.drawing_to_grey`. Raises EmptyDrawing for an empty canvas."""
    if dataset.kind != "image":
        raise ValueError(f"the pad draws images; {dataset.name!r} is {dataset.kind} data")
    if dataset.pixels == "counts":
        return drawing_to_digit(pixels, width, height)
    return drawing_to_grey(pixels, width, height, dataset.image_shape, top=dataset.feature_range[1])


def predict_drawing(session, pixels, width, height):
    """Classify a canvas drawing (ink 0..255 per pixel, row by row).

    Returns the inputs the network sees (an image of the data's kind) and, unless
    the pad is empty, the prediction: ``{"empty": False, "input": [...],
    "label": d, "confidence": p, "probabilities": [...]}``. An empty pad
    gives ``{"empty": True}``: no guess.
    """
    try:
        digit = read_drawing(session.dataset, pixels, width, height)
    except EmptyDrawing:
        return {"empty": True}
    return {"empty": False, "input": digit.tolist(),
            **predict_one(session.require_model(), digit, session.dataset.task)}


def test_sample_bitmap(session, index):
    """Held-out image ``index`` as rows of ink 0..1, to paint on the pad.

    The 8x8 digits' counts become the 32x32 binary bitmap they count; grey
    images are their own grey levels, scaled to 0..1.
    """
    sample = session.test_sample(index)
    dataset = session.dataset
    if dataset.pixels == "counts":
        return {**sample, "bitmap": digit_to_bitmap(sample["features"]).astype(int).tolist()}
    grey = np.asarray(sample["features"]).reshape(dataset.image_shape) / dataset.feature_range[1]
    return {**sample, "bitmap": grey.tolist()}


def fine_tune(session, samples, epochs=3, learning_rate=1e-3, repeat=10):
    """Train the current model a little more on the user's own digits plus the training digits.

    Parameters
    ----------
    samples : list of {"input": one value per feature, "label": class index}
    epochs : int, default=3
    learning_rate : float, default=1e-3
        Adam's step size; small, so the model adapts without forgetting.
    repeat : int, default=10
        Each personal digit is shown this many times per epoch, so a handful
        of drawings weigh against the training set.

    Returns
    -------
    dict
        Held-out accuracy and accuracy on the personal digits, before and after.
    """
    net = session.require_model()
    if not samples:
        raise ValueError("no personal digits yet: label a drawing and add it first")
    data = session.dataset
    low, high = data.feature_range
    shape = f"{{input: {data.n_features} numbers in {low:g}..{high:g}, label: 0..{data.n_classes - 1}}}"
    try:
        x_own = np.array([s["input"] for s in samples], dtype=np.float64).reshape(len(samples), data.n_features)
        y_own = np.array([s["label"] for s in samples])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"personal digits must be {shape}: {exc}") from None
    if not np.isin(y_own, np.arange(data.n_classes)).all() or not ((x_own >= low) & (x_own <= high)).all():
        raise ValueError(f"personal digits must be {shape}")

    def scores():
        return {
            "test_accuracy": float(np.mean(net.predict_classes(session.x_test) == session.y_test)),
            "own_accuracy": float(np.mean(net.predict_classes(x_own) == y_own)),
        }

    before = scores()
    x_fit = np.concatenate([session.x_train, np.repeat(x_own, repeat, axis=0)])
    y_fit = np.concatenate([session.y_train, np.repeat(y_own, repeat)])
    loss = net.loss.name if net.loss is not None else "cross_entropy"
    trainer = session.make_trainer(x_fit, y_fit, loss=loss, optimizer="adam", learning_rate=learning_rate,
                                   batch_size=64, l2=0.0, schedule="constant")
    net.loss = trainer.loss
    trainer.run(epochs=epochs)
    session.trainer = None
    net.metadata["fine_tuned_on"] = net.metadata.get("fine_tuned_on", 0) + len(samples)
    return {"before": before, "after": scores(), "n_samples": len(samples), "epochs": epochs}
