"""Two-dimensional datasets to watch a network draw its decision boundary.

TensorFlow Playground's four classification sets (two Gaussians, circles,
XOR, two spirals), scikit-learn's two moons, and two regression surfaces.
Each is a seeded NumPy function of the number of points and the noise, so
the browser regenerates exactly the same points as CPython for the same
settings, and a learner can ask for more noise or more points.

Points lie in the square -6..6 in both coordinates. Classification labels
are 0 and 1 (Playground's -1 and +1); regression targets lie in -1..1.
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
    "plane": ("A tilted plane", "regression", _plane),
    "multi_gaussian": ("Gaussian bumps", "regression", _multi_gaussian),
}
"""Registry: name -> (title, task, generator)."""

DEFAULTS = {"n_points": 500, "noise": 0.0, "seed": 0}
"""The settings build.py uses for the versions it writes, and the page's defaults."""

MAX_POINTS = 5000
MAX_NOISE = 0.5

SETTINGS = {
    "n_points": {"type": "int", "min": 2, "max": MAX_POINTS, "default": DEFAULTS["n_points"], "label": "Points"},
    "noise": {"type": "float", "min": 0, "max": MAX_NOISE, "default": DEFAULTS["noise"], "label": "Noise"},
    "seed": {"type": "int", "min": 0, "max": 2**32 - 1, "default": DEFAULTS["seed"], "label": "Random draw"},
}
"""The generators' settings, in the config schema's terms, for the page's data controls."""


def make_plane(name, n_points=500, noise=0.0, seed=0):
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
    x, y = generate(n, noise, make_rng(seed))
    x = np.clip(x, -EXTENT, EXTENT)
    classes = ["orange", "blue"] if task == "classification" else None
    dataset = Dataset(
        x, y, name=name, title=title, noun="points", kind="plane", task=task, classes=classes,
        feature_range=[-EXTENT, EXTENT], feature_names=["x1", "x2"],
        source="generated by mlp.planes (after TensorFlow Playground's and scikit-learn's generators)",
        licence="generated, no licence needed",
    )
    if isinstance(seed, (int, np.integer)):
        dataset.origin = {"kind": "plane", "name": name, "n_points": n, "noise": noise, "seed": int(seed)}
    return dataset
