"""A few hundred pad drawings of the digits, from varied hand-made templates.

Each template is one way people write a digit: a 7 with or without its bar, a
closed or open 4, a 1 with a flag and a base, a 9 with a straight or curved
tail. It is a list of strokes in a unit box (x right, y down). A drawing is a
template put through what varies between people and between attempts:

- **slant**, a shear of up to about 20 degrees either way;
- a small **rotation**;
- **size** and **aspect**, and the **position** on the pad;
- **thickness** of the pen;
- **jitter**: a smooth random wobble of every point.

The templates are split in two. ``TUNING`` may be looked at while choosing a
preprocessing or a training preset; ``HELD_OUT`` never is, and the score
reported in tests/benchmarks/README.md and guarded in the tests is the held-out one.

    python -m tests.pad_drawings dist/models/pretrained.json   # the held-out score of the pretrained model
    python -m tests.pad_drawings mnist.json   # a model file of MNIST's (read at 28x28; needs python build.py)
"""

import math

import numpy as np

from .strokes import PAD, rasterise


def _arc(cx, cy, rx, ry, start, end, n=20):
    """Points on an ellipse from angle ``start`` to ``end`` (degrees; 0 is right, 90 is down)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(start, end, n)]


# digit -> list of templates; each template a list of strokes; each stroke a list of (x, y) in [0, 1].
TEMPLATES = {
    0: [
        [_arc(0.5, 0.5, 0.3, 0.45, -90, 270, 36)],
        [_arc(0.5, 0.5, 0.22, 0.46, -100, 275, 36)],
        [_arc(0.5, 0.52, 0.35, 0.42, -60, 300, 36)],
        [_arc(0.5, 0.5, 0.28, 0.45, -80, 250, 32)],  # not quite closed
    ],
    1: [
        [[(0.5, 0.05), (0.5, 0.95)]],
        [[(0.32, 0.25), (0.55, 0.05), (0.55, 0.95)]],
        [[(0.35, 0.22), (0.55, 0.05), (0.55, 0.95)], [(0.35, 0.95), (0.75, 0.95)]],
        [[(0.6, 0.05), (0.42, 0.95)]],
    ],
    2: [
        [_arc(0.5, 0.3, 0.3, 0.25, 190, 370, 16) + [(0.78, 0.42), (0.2, 0.95), (0.85, 0.95)]],
        [[(0.2, 0.15), (0.75, 0.05), (0.8, 0.35), (0.2, 0.95), (0.85, 0.95)]],
        [_arc(0.5, 0.3, 0.3, 0.25, 180, 360, 16) + [(0.7, 0.55), (0.25, 0.9)]
         + _arc(0.3, 0.85, 0.1, 0.08, -90, 180, 10) + [(0.85, 0.92)]],
        [_arc(0.48, 0.32, 0.32, 0.27, 200, 390, 16) + [(0.5, 0.7), (0.18, 0.93), (0.5, 0.86), (0.88, 0.92)]],
    ],
    3: [
        [_arc(0.5, 0.27, 0.3, 0.23, 200, 450, 18) + _arc(0.5, 0.72, 0.33, 0.25, -90, 160, 18)],
        [[(0.2, 0.05), (0.8, 0.05), (0.45, 0.42)] + _arc(0.5, 0.7, 0.32, 0.27, -90, 160, 18)],
        [_arc(0.48, 0.27, 0.28, 0.22, 210, 420, 16) + [(0.45, 0.5)] + _arc(0.48, 0.73, 0.32, 0.24, -80, 170, 16)],
        [_arc(0.5, 0.27, 0.3, 0.23, 200, 450, 18), _arc(0.5, 0.72, 0.33, 0.25, -90, 160, 18)],
    ],
    4: [
        [[(0.6, 0.05), (0.15, 0.65), (0.85, 0.65)], [(0.6, 0.3), (0.6, 0.95)]],
        [[(0.65, 0.95), (0.65, 0.05), (0.15, 0.65), (0.9, 0.65)]],
        [[(0.2, 0.05), (0.2, 0.55), (0.85, 0.55)], [(0.65, 0.05), (0.65, 0.95)]],
        [[(0.25, 0.05), (0.15, 0.55), (0.8, 0.5)], [(0.7, 0.1), (0.62, 0.95)]],
    ],
    5: [
        [[(0.78, 0.05), (0.28, 0.05), (0.24, 0.42)] + _arc(0.5, 0.67, 0.3, 0.28, -115, 150, 20)],
        [[(0.27, 0.05), (0.22, 0.45)] + _arc(0.5, 0.68, 0.3, 0.27, -120, 150, 20), [(0.27, 0.05), (0.8, 0.05)]],
        [[(0.75, 0.05), (0.3, 0.05), (0.25, 0.45), (0.65, 0.42), (0.78, 0.65), (0.65, 0.92), (0.2, 0.88)]],
        [[(0.8, 0.08), (0.3, 0.05), (0.28, 0.45)] + _arc(0.5, 0.68, 0.28, 0.3, -130, 170, 20)],
    ],
    6: [
        [[(0.7, 0.05), (0.45, 0.3), (0.28, 0.6)] + _arc(0.5, 0.72, 0.25, 0.23, 180, 540, 28)],
        [[(0.65, 0.05), (0.3, 0.45)] + _arc(0.5, 0.75, 0.23, 0.2, 200, 560, 28)],
        [[(0.45, 0.05), (0.3, 0.7)] + _arc(0.5, 0.75, 0.2, 0.2, 180, 540, 24)],
        [_arc(0.6, 0.45, 0.3, 0.42, 250, 180, 10) + _arc(0.5, 0.72, 0.22, 0.22, 180, 530, 24)],
    ],
    7: [
        [[(0.15, 0.05), (0.85, 0.05), (0.4, 0.95)]],
        [[(0.15, 0.05), (0.85, 0.05), (0.4, 0.95)], [(0.35, 0.5), (0.75, 0.5)]],
        [[(0.2, 0.05), (0.85, 0.05)] + _arc(1.05, 0.95, 0.6, 0.9, -90, -170, 12)[1:]],
        [[(0.12, 0.2), (0.15, 0.05), (0.85, 0.05), (0.5, 0.95)]],
    ],
    8: [
        [_arc(0.5, 0.27, 0.23, 0.23, 90, 450, 26) + _arc(0.5, 0.72, 0.28, 0.25, -90, 270, 30)],
        [_arc(0.5, 0.27, 0.25, 0.22, 0, 360, 24), _arc(0.5, 0.72, 0.3, 0.25, -90, 270, 26)],
        [[(0.75, 0.15)] + _arc(0.5, 0.2, 0.25, 0.15, -30, 180, 10) + [(0.75, 0.75)]
         + _arc(0.5, 0.78, 0.25, 0.17, 0, 180, 10) + [(0.75, 0.15)]],
        [_arc(0.5, 0.3, 0.2, 0.26, 90, 450, 26) + _arc(0.5, 0.75, 0.32, 0.22, -90, 270, 30)],
    ],
    9: [
        [_arc(0.5, 0.3, 0.3, 0.26, 0, 360, 28) + [(0.8, 0.3), (0.78, 0.65), (0.7, 0.95)]],
        [_arc(0.5, 0.3, 0.3, 0.26, 0, 360, 28) + _arc(0.4, 0.55, 0.4, 0.4, 0, 100, 12)],
        [_arc(0.45, 0.28, 0.25, 0.22, 10, 370, 26) + [(0.7, 0.3), (0.7, 0.95)]],
        [_arc(0.55, 0.25, 0.22, 0.2, 0, 360, 24) + [(0.77, 0.25), (0.55, 0.95)]],
    ],
}

TUNING = (0, 1)
"""Template indices that may be looked at while choosing a preprocessing or a preset."""
HELD_OUT = (2, 3)
"""Template indices nobody tunes on: the score that is reported."""


def vary(template, rng):
    """One drawing of ``template``: random slant, rotation, size, aspect, position, pen and jitter.

    Returns
    -------
    strokes : list of list of (x, y)
        In pad pixels.
    width : float
        The pen's width in pad pixels.
    """
    slant = math.tan(math.radians(rng.uniform(-20, 20)))
    turn = math.radians(rng.uniform(-8, 8))
    height = rng.uniform(0.45, 0.8) * PAD
    width = height * rng.uniform(0.55, 0.85)
    centre = rng.uniform(0.4, 0.6, size=2) * PAD
    cos, sin = math.cos(turn), math.sin(turn)
    strokes = []
    for stroke in template:
        points = np.asarray(stroke, dtype=float) - 0.5
        n = len(points)
        # A smooth wobble: a random low-frequency curve along each stroke.
        phase, amplitude = rng.uniform(0, 2 * math.pi, 2), rng.uniform(0, 0.025, 2)
        along = np.linspace(0, 2 * math.pi, n)
        points = points + amplitude * np.sin(along[:, None] + phase)
        x = (points[:, 0] - slant * points[:, 1]) * width
        y = points[:, 1] * height
        strokes.append(list(zip(centre[0] + cos * x - sin * y, centre[1] + sin * x + cos * y, strict=True)))
    return strokes, rng.uniform(0.06, 0.14) * PAD


def drawings(templates=HELD_OUT, per_template=10, seed=0):
    """``per_template`` drawings of each chosen template of each digit, rasterised as pad ink.

    Returns
    -------
    ink : ndarray of shape (n, PAD, PAD), uint8
    labels : ndarray of shape (n,)
    """
    rng = np.random.default_rng(seed)
    ink, labels = [], []
    for digit, options in TEMPLATES.items():
        for index in templates:
            for _ in range(per_template):
                strokes, pen = vary(options[index], rng)
                ink.append(rasterise(strokes, width=pen))
                labels.append(digit)
    return np.stack(ink), np.array(labels)


def read(network, ink, dataset=None):
    """The network's digit for each pad drawing, through the page's own preprocessing for
    ``dataset``'s images (:func:`mlp.pad.read_drawing`): the 8x8 digits' by default."""
    from mlp.datasets import load_digits
    from mlp.pad import read_drawing

    dataset = load_digits() if dataset is None else dataset
    x = np.stack([read_drawing(dataset, image.tobytes(), PAD, PAD) for image in ink])
    return network.predict_classes(x)


if __name__ == "__main__":
    import sys
    from pathlib import Path

    from mlp.datasets import load_dataset
    from mlp.serialization import load

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("dist/model.json")
    network = load(path)
    data = load_dataset((network.dataset or {}).get("name", "digits"))
    for name, templates in (("tuning", TUNING), ("held-out", HELD_OUT)):
        ink, labels = drawings(templates)
        right = read(network, ink, data) == labels
        print(f"{name} templates: {right.mean():.3f} ({right.sum()}/{len(right)})")
        for digit in range(10):
            print(f"  {digit}: {right[labels == digit].mean():.2f}")
