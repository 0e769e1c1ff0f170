"""Hand-made stroke paths for the digits 0-9 on a 256x256 pad, as a person might draw them.

Each digit is a list of strokes; each stroke a list of (x, y) points. Used by
the drawing tests, in CPython (rasterised here) and in the browser (drawn
with the mouse).
"""

import math

import numpy as np


def _arc(cx, cy, rx, ry, start, end, n=24):
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(start, end, n)]


DIGIT_STROKES = {
    0: [_arc(128, 128, 55, 85, -90, 270, 40)],
    1: [[(115, 80), (150, 45), (125, 215)]],
    2: [_arc(125, 85, 45, 40, 190, 370, 16) + [(165, 120), (90, 205), (185, 205)]],
    3: [_arc(125, 85, 45, 40, 200, 450, 18) + _arc(125, 165, 50, 45, -90, 160, 18)],
    4: [[(150, 45), (80, 160), (185, 160)], [(150, 90), (150, 215)]],
    5: [[(170, 45), (95, 45), (88, 115)] + _arc(125, 155, 55, 55, -110, 150, 20)],
    6: [[(150, 40), (120, 70), (100, 110), (90, 160)] + _arc(128, 170, 40, 42, 180, 540, 30)],
    7: [[(80, 50), (180, 50), (115, 215)], [(105, 135), (170, 135)]],
    8: [_arc(128, 85, 34, 40, 90, 450, 26) + _arc(128, 167, 40, 45, -90, 270, 30)],
    9: [_arc(125, 90, 45, 42, 0, 360, 28) + [(170, 90), (165, 150), (150, 215)]],
}

PAD = 256
STROKE_WIDTH = 26  # the pad's pen: about a tenth of its size, like the digits' strokes


def rasterise(strokes, size=PAD, width=STROKE_WIDTH):
    """Ink (0 or 255) of each pad pixel for round-capped strokes of the given width."""
    ys, xs = np.mgrid[0:size, 0:size] + 0.5
    ink = np.zeros((size, size), dtype=bool)
    for stroke in strokes:
        pts = np.asarray(stroke, dtype=float)
        for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:], strict=True):
            dx, dy = x1 - x0, y1 - y0
            t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / max(dx * dx + dy * dy, 1e-9), 0, 1)
            ink |= (xs - x0 - t * dx) ** 2 + (ys - y0 - t * dy) ** 2 <= (width / 2) ** 2
    return (ink * 255).astype(np.uint8)
