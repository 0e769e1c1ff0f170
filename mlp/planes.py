"""Two-dimensional datasets to watch a network draw its decision boundary.

TensorFlow Playground's four classification sets (two Gaussians, circles,
XOR, two spirals), scikit-learn's two moons, two sets of 3 to 6 classes
(Gaussian blobs, spiral arms) and two regression surfaces. Each is a seeded
NumPy function of the number of points and the noise (and, for the k-class
sets, the number of classes), so the browser regenerates exactly the same
points as CPython for the same settings, and a learner can ask for more
noise or more points.

Points lie in the square -6..6 in both coordinates. Classification labels
are 0 and 1 (Playground's -1 and +1), or 0..k-1; each class is named after
the colour the page draws it in (:data:`COLOURS`). Regression targets lie
in -1..1.
"""

import numpy as np

from .data import Dataset
from .validation import check_float, check_int, make_rng

EXTENT = 6.0
"""Every point lies in -EXTENT..EXTENT on both axes."""


def _gaussians(n, noise, rng):
    """Two round clouds, centred at (2, 2) and (-2, -2); noise widens them until they overlap."""
    y = np.arange(n) % 2
    centre = np.where(y == 1, 2.0, -2.0)[:, None]
    spread = 0.5 + 3.5 * noise
    return centre + rng.normal(scale=np.sqrt(spread), size=(n, 2)), y


def _circles(n, noise, rng):
    """A disc of one class inside a ring of the other; noise blurs the gap between them."""
    y = np.arange(n) % 2
    radius = 5.0
    r = np.where(y == 1, rng.uniform(0, 0.5 * radius, n), rng.uniform(0.7 * radius, radius, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    return points + rng.uniform(-radius, radius, (n, 2)) * noise, y


def _xor(n, noise, rng):
    """Four quadrants, alike when diagonally opposite: the sign of x1 * x2."""
    padding = 0.3
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, padding, -padding)  # keep points off the axes
    y = (points[:, 0] * points[:, 1] > 0).astype(int)
    return points + rng.uniform(-5, 5, (n, 2)) * noise, y


def _spiral(n, noise, rng):
    """Two interleaved spirals, one per class: the hardest of Playground's four."""
    y = np.arange(n) % 2
    i = np.arange(n) // 2
    half = (n + 1) // 2
    r = 5.0 * i / half
    angle = 1.75 * i / half * 2 * np.pi + np.pi * y
    points = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    return points + rng.uniform(-1, 1, (n, 2)) * noise, y


def _moons(n, noise, rng):
    """Two interleaving half circles (scikit-learn's make_moons), scaled to the square."""
    y = np.arange(n) % 2
    t = rng.uniform(0, np.pi, n)
    points = np.where(
        (y == 0)[:, None],
        np.column_stack([np.cos(t), np.sin(t)]),
        np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]),
    )
    points = (points - [0.5, 0.25]) * 3.5
    return points + rng.normal(scale=noise * 2.0, size=(n, 2)), y


def _blobs(n, noise, rng, k):
    """k round clouds, one per class, evenly spaced on a circle of radius 4; noise widens them until they overlap."""
    y = np.arange(n) % k
    angle = np.pi / 2 + 2 * np.pi * y / k  # the first class at the top, the others anticlockwise
    centre = 4.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    spread = 0.5 + 3.5 * noise  # as the two Gaussians'
    return centre + rng.normal(scale=np.sqrt(spread), size=(n, 2)), y


def _arms(n, noise, rng, k):
    """k spiral arms from the centre, one per class, each turning half a circle: the two spirals' idea for k classes."""
    y = np.arange(n) % k
    i = np.arange(n) // k
    per = (n + k - 1) // k
    t = i / per
    r = 0.5 + 5.0 * t
    angle = np.pi * t + 2 * np.pi * y / k
    points = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    return points + rng.uniform(-1, 1, (n, 2)) * noise, y


def _plane(n, noise, rng):
    """A tilted plane: the target is (x1 + x2) / 12, so -1..1 across the square."""
    points = rng.uniform(-EXTENT, EXTENT, (n, 2))
    target = points.sum(axis=1) / (2 * EXTENT)
    return points, target + rng.uniform(-1, 1, n) * noise


def _multi_gaussian(n, noise, rng):
    """Bumps and dips: the target is the largest-magnitude of six Gaussian bumps at each point."""
    centres = np.array([[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]])
    signs = np.array([-1, 1, -1, 1, -1, 1])
    points = rng.uniform(-EXTENT, EXTENT, (n, 2))
    d2 = ((points[:, None, :] - centres[None]) ** 2).sum(axis=2)
    bumps = signs * np.exp(-d2 / 2.0)
    target = bumps[np.arange(n), np.abs(bumps).argmax(axis=1)]
    return points, target + rng.uniform(-1, 1, n) * noise


PLANES = {
    "gaussians": ("Two Gaussians", "classification", _gaussians),
    "circles": ("Circles", "classification", _circles),
    "xor": ("Exclusive or", "classification", _xor),
    "spiral": ("Two spirals", "classification", _spiral),
    "moons": ("Two moons", "classification", _moons),
    "blobs": ("k Gaussian blobs", "classification", _blobs),
    "arms": ("k spiral arms", "classification", _arms),
    "plane": ("A tilted plane", "regression", _plane),
    "multi_gaussian": ("Gaussian bumps", "regression", _multi_gaussian),
}
"""Registry: name -> (title, task, generator)."""

K_CLASS = ("blobs", "arms")
"""The sets whose generator takes the number of classes (``classes``); the others have two, or a target."""

COLOURS = {"orange": [245, 147, 34], "blue": [8, 119, 189], "green": [0, 158, 115],
           "purple": [204, 121, 167], "yellow": [240, 228, 66], "grey": [90, 90, 90]}
"""Each class's name and the colour the page draws it in (RGB), in label order: Playground's
orange and blue for the first two (as the two-class sets have them), then colours of Okabe and
Ito's colour-blind-safe palette (bluish green, reddish purple, yellow, and a grey for its black)
whose hues differ from theirs and each other's, so that a class stays itself when the page pales
it by the network's confidence (its sky blue and vermillion would read as blue and orange)."""

DEFAULTS = {"n_points": 500, "noise": 0.0, "seed": 0}
"""The settings build.py uses for the versions it writes, and the page's defaults."""

MIN_CLASSES, MAX_CLASSES, DEFAULT_CLASSES = 3, len(COLOURS), 4

MAX_POINTS = 5000
MAX_NOISE = 0.5

SETTINGS = {
    "n_points": {"type": "int", "min": 2, "max": MAX_POINTS, "default": DEFAULTS["n_points"], "label": "Points"},
    "noise": {"type": "float", "min": 0, "max": MAX_NOISE, "default": DEFAULTS["noise"], "label": "Noise"},
    "seed": {"type": "int", "min": 0, "max": 2**32 - 1, "default": DEFAULTS["seed"], "label": "Random draw"},
    "classes": {"type": "int", "min": MIN_CLASSES, "max": MAX_CLASSES, "default": DEFAULT_CLASSES,
                "label": "Classes", "sets": list(K_CLASS)},
}
"""The generators' settings, in the config schema's terms, for the page's data controls.
``sets`` limits a setting to the sets it applies to (all of them when absent)."""


def defaults(name):
    """The generator settings a set is made with when none are given: :data:`DEFAULTS`, and
    ``classes`` for the k-class sets. build.py writes each set with these, and the page starts from them."""
    return {**DEFAULTS, "classes": DEFAULT_CLASSES} if name in K_CLASS else dict(DEFAULTS)


def make_plane(name, n_points=500, noise=0.0, seed=0, classes=None):
    """Generate one of the two-dimensional datasets.

    Parameters
    ----------
    name : str
        One of :data:`PLANES`.
    n_points : int, default=500
        2..5000.
    noise : float, default=0.0
        0..0.5: how far points stray from the clean pattern.
    seed : int or Generator, default=0
    classes : int, optional
        3..6, for the k-class sets (:data:`K_CLASS`) only; 4 when omitted.

    Returns
    -------
    Dataset
        Of kind ``plane``, with features ``x1``, ``x2`` in -6..6.
    """
    if name not in PLANES:
        raise ValueError(f"unknown plane dataset {name!r}; choose one of {', '.join(PLANES)}")
    n = check_int(n_points, "n_points", 2, MAX_POINTS)
    noise = check_float(noise, "noise", low=0.0, high=MAX_NOISE, low_inclusive=True)
    title, task, generate = PLANES[name]
    if name in K_CLASS:
        k = check_int(DEFAULT_CLASSES if classes is None else classes, "classes", MIN_CLASSES, MAX_CLASSES)
        x, y = generate(n, noise, make_rng(seed), k)
    elif classes is not None:
        raise ValueError(f"classes only applies to {' and '.join(K_CLASS)}; {name!r} has "
                         f"{'two classes' if task == 'classification' else 'a target'}, got classes={classes!r}")
    else:
        k = 2 if task == "classification" else 0
        x, y = generate(n, noise, make_rng(seed))
    x = np.clip(x, -EXTENT, EXTENT)
    classes = list(COLOURS)[:k] if task == "classification" else None
    dataset = Dataset(
        x, y, name=name, title=title, noun="points", kind="plane", task=task, classes=classes,
        feature_range=[-EXTENT, EXTENT], feature_names=["x1", "x2"],
        source="generated by mlp.planes (after TensorFlow Playground's and scikit-learn's generators)",
        licence="generated, no licence needed",
    )
    if isinstance(seed, (int, np.integer)):
        dataset.origin = {"kind": "plane", "name": name, "n_points": n, "noise": noise, "seed": int(seed)}
        if name in K_CLASS:
            dataset.origin["classes"] = k
    return dataset
