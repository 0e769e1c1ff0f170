"""Turn a drawing into the kind of input the digits network was trained on.

The digits are UCI optdigits. Each was written on paper, scanned, and then:

1. normalised into a 32x32 *binary* bitmap: the digit's bounding box scaled,
   keeping its aspect ratio, to fit the box, and centred;
2. cut into 64 blocks of 4x4 pixels;
3. reduced to the count of "on" pixels in each block, 0..16.

A naive "shrink the canvas to 8x8" produces a different distribution (grey
levels instead of counts, a digit that fills a corner of the frame instead of
the whole height), and predictions that feel random. :func:`drawing_to_digit`
repeats the optdigits steps on a canvas instead:

- **threshold** the ink, because optdigits bitmaps are binary;
- **crop** to the ink's bounding box, because optdigits digits are size-normalised;
- **scale** (area-averaged, then thresholded again) so the longer side is
  32 pixels, and **centre** in a 32x32 box, as optdigits did;
- **count** the on-pixels of each 4x4 block: 8x8 values 0..16.

The network's own ``input_scale`` then maps 0..16 as in training.
"""

import numpy as np

BITMAP = 32
BLOCK = 4


class EmptyDrawing(ValueError):
    """The canvas holds no ink: there is nothing to classify."""


def as_canvas(pixels, width, height):
    """Interpret ``pixels`` (bytes, a buffer or a sequence of 0..255) as a (height, width) ink array.

    Ink is the alpha (or darkness) of each canvas pixel; 0 means empty.
    """
    width, height = int(width), int(height)
    if width < 1 or height < 1 or width * height > 4096 * 4096:
        raise ValueError(f"canvas size must be between 1x1 and 4096x4096, got {width}x{height}")
    if isinstance(pixels, (bytes, bytearray, memoryview)):
        ink = np.frombuffer(pixels, dtype=np.uint8)
    else:
        ink = np.asarray(pixels, dtype=np.float64)
    if ink.size != width * height:
        raise ValueError(f"a {width}x{height} canvas has {width * height} pixels, got {ink.size}")
    return ink.reshape(height, width).astype(np.float64)


def _area_resize(binary, out_h, out_w):
    """Average ``binary`` over the source rectangle behind each target pixel."""
    h, w = binary.shape
    integral = np.zeros((h + 1, w + 1))
    integral[1:, 1:] = binary.cumsum(axis=0).cumsum(axis=1)
    rows = np.linspace(0, h, out_h + 1)
    cols = np.linspace(0, w, out_w + 1)
    r0, r1 = np.floor(rows[:-1]).astype(int), np.maximum(np.ceil(rows[1:]).astype(int), 1)
    c0, c1 = np.floor(cols[:-1]).astype(int), np.maximum(np.ceil(cols[1:]).astype(int), 1)
    r0, c0 = np.minimum(r0, r1 - 1), np.minimum(c0, c1 - 1)
    total = (
        integral[r1[:, None], c1[None, :]]
        - integral[r0[:, None], c1[None, :]]
        - integral[r1[:, None], c0[None, :]]
        + integral[r0[:, None], c0[None, :]]
    )
    area = (r1 - r0)[:, None] * (c1 - c0)[None, :]
    return total / area


def normalise_bitmap(ink, threshold=0.5):
    """Steps 1-3 of the module docstring: a centred, size-normalised 32x32 binary bitmap.

    Parameters
    ----------
    ink : ndarray of shape (height, width)
        Ink per canvas pixel, 0..255.
    threshold : float, default=0.5
        Fraction of full ink above which a pixel counts as "on".

    Raises
    ------
    EmptyDrawing
        If no pixel is on.
    """
    on = ink > threshold * 255.0
    if not on.any():
        raise EmptyDrawing("the drawing is empty: draw a digit first")
    rows = np.flatnonzero(on.any(axis=1))
    cols = np.flatnonzero(on.any(axis=0))
    crop = on[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].astype(np.float64)
    h, w = crop.shape
    scale = BITMAP / max(h, w)
    out_h, out_w = max(1, round(h * scale)), max(1, round(w * scale))
    # A stroke thinner than one target pixel still covers part of it: keep
    # any target pixel that is at least a third inked, so thin lines survive.
    scaled = _area_resize(crop, out_h, out_w) >= 1 / 3
    bitmap = np.zeros((BITMAP, BITMAP), dtype=bool)
    top, left = (BITMAP - out_h) // 2, (BITMAP - out_w) // 2
    bitmap[top : top + out_h, left : left + out_w] = scaled
    return bitmap


def block_counts(bitmap):
    """Step 4: the number of on-pixels in each 4x4 block, as 64 values 0..16."""
    n = BITMAP // BLOCK
    return bitmap.reshape(n, BLOCK, n, BLOCK).sum(axis=(1, 3)).reshape(-1).astype(np.float64)


def drawing_to_digit(pixels, width, height, threshold=0.5):
    """A canvas drawing as the 64 inputs (0..16) the digits network expects.

    Parameters
    ----------
    pixels : bytes, buffer or sequence
        ``width * height`` ink values 0..255, row by row.
    width, height : int
    threshold : float, default=0.5

    Returns
    -------
    ndarray of shape (64,)

    Raises
    ------
    EmptyDrawing
        If the canvas holds no ink.
    """
    return block_counts(normalise_bitmap(as_canvas(pixels, width, height), threshold))


def digit_to_bitmap(digit):
    """An 8x8 digit (values 0..16) as a 32x32 binary bitmap with those block counts.

    Each block gets ``v`` on-pixels in a fixed order that fills the block from
    its centre outwards, so strokes stay connected. This inverts
    :func:`block_counts` exactly, and lets tests and the page draw a dataset
    digit on the canvas.
    """
    centre = (BLOCK - 1) / 2
    order = sorted(range(BLOCK * BLOCK), key=lambda k: (abs(k // BLOCK - centre) + abs(k % BLOCK - centre), k))
    values = np.clip(np.rint(np.asarray(digit, dtype=np.float64)).astype(int), 0, BLOCK * BLOCK)
    bitmap = np.zeros((BITMAP, BITMAP), dtype=bool)
    for index, v in enumerate(values.reshape(-1)):
        r, c = divmod(index, BITMAP // BLOCK)
        block = np.zeros(BLOCK * BLOCK, dtype=bool)
        block[order[:v]] = True
        bitmap[r * BLOCK : (r + 1) * BLOCK, c * BLOCK : (c + 1) * BLOCK] = block.reshape(BLOCK, BLOCK)
    return bitmap
