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
- **scale** (area-averaged) so the longer side is 32 pixels, and **centre** in
  a 32x32 box, as optdigits did. The shorter side is widened a little (the
  aspect ratio r becomes r**0.75): optdigits digits fill about 6 of the 8
  columns whatever the digit, and a narrow 0 drawn on the pad would otherwise
  lose its hole;
- **match the stroke width**: whatever the pen and the size of the drawing,
  grow or thin the strokes towards 30 % of the bitmap being ink, because
  that is the share of "on" pixels in an optdigits bitmap, for every digit
  (mean 0.305; 90 % of them lie between 0.25 and 0.36). A thin pen on a big
  digit and a thick pen on a small one then look alike, as the scans did;
- **count** the on-pixels of each 4x4 block: 8x8 values 0..16.

The last two steps were chosen on the tuning templates of
``tests/pad_drawings.py`` and are scored on its held-out ones.

The network's own ``input_scale`` then maps 0..16 as in training.

MNIST's digits (grey levels, 28x28) were made another way, and
:func:`drawing_to_grey` repeats it: the digit's bounding box scaled to fit
20x20 keeping its aspect ratio, anti-aliased into grey levels, then placed in
the 28x28 frame so that its centre of mass is at the centre.
"""

import numpy as np

BITMAP = 32
BLOCK = 4
INK_SHARE = 0.30
"""The share of on-pixels in an optdigits 32x32 bitmap (mean 0.305 over the
1797 digits, the same for every digit), which a drawing's bitmap is given."""
ASPECT_POWER = 0.75
"""A drawing's aspect ratio r (short side over long side) is scaled to r**0.75."""


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


def _blur(grey):
    """The mean of each pixel's 3x3 neighbourhood (zero outside)."""
    padded = np.pad(grey, 1)
    h, w = grey.shape
    return sum(padded[r : r + h, c : c + w] for r in range(3) for c in range(3)) / 9.0


def match_stroke_width(grey, share=INK_SHARE):
    """A binary bitmap of ``grey``'s strokes with about ``share`` of its pixels on.

    The on-pixels are the ``share`` darkest of ``grey`` blurred 3x3. The blur
    spreads a thin stroke by a pixel each side, so it can grow that far, and
    ranks the middle of a thick stroke above its edges, so it can shrink.
    Pixels that tie at the cut are all kept: a stroke wider than the blur
    (solid ink over 3x3) keeps its solid middle, and stays above ``share``.
    """
    blurred = _blur(grey)
    k = max(1, round(share * blurred.size))
    cut = np.partition(blurred.ravel(), blurred.size - k)[blurred.size - k]
    return blurred >= max(cut, 1e-12)


def normalise_bitmap(ink, threshold=0.5):
    """Steps 1-4 of the module docstring: a centred, size-normalised 32x32 binary bitmap.

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
    short = max(1, round(BITMAP * (min(h, w) / max(h, w)) ** ASPECT_POWER))
    out_h, out_w = (BITMAP, short) if h >= w else (short, BITMAP)
    grey = np.zeros((BITMAP, BITMAP))
    top, left = (BITMAP - out_h) // 2, (BITMAP - out_w) // 2
    grey[top : top + out_h, left : left + out_w] = _area_resize(crop, out_h, out_w)
    return match_stroke_width(grey)


def block_counts(bitmap):
    """Step 4: the number of on-pixels in each 4x4 block, as 64 values 0..16.

    ``bitmap`` may be one (32, 32) bitmap or a stack of them, (..., 32, 32):
    then the counts are (..., 64).
    """
    *stack, h, w = np.shape(bitmap)
    ink = np.reshape(np.asarray(bitmap, dtype=np.uint8), (-1, h // BLOCK, BLOCK, w // BLOCK, BLOCK))
    # Each block's rows added, then its columns, a whole slice at a time: for the thousands of
    # bitmaps of the augmentation, 15x faster than .sum over these short axes. A count fits a byte.
    rows = sum(ink[:, :, k] for k in range(BLOCK))
    counts = sum(rows[..., k] for k in range(BLOCK))
    return counts.reshape(*stack, -1).astype(np.float64)


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


GREY_BOX = 20
"""MNIST's digits fit a 20x20 box inside their 28x28 frame."""


def drawing_to_grey(pixels, width, height, image_shape=(28, 28), box=GREY_BOX, top=255.0):
    """A canvas drawing as an MNIST-style image: whole grey levels 0..``top``, row by row.

    The ink's bounding box is scaled (area-averaged, which anti-aliases) so its
    longer side is ``box`` pixels, keeping the aspect ratio; the result is
    placed in the ``image_shape`` frame with its centre of mass, rounded to a
    whole pixel, at the frame's centre, as MNIST's digits were. The centre is
    pixel index ``rows / 2`` (14 of 0..27), not ``(rows - 1) / 2``: that is
    where MNIST's own centres of mass lie (their mean is 14.00 in rows and in
    columns), and half a pixel off it the pad read 0.945 of the tuning
    templates' drawings instead of 0.970 (``tests/pad_drawings.py``).

    Parameters
    ----------
    pixels : bytes, buffer or sequence
        ``width * height`` ink values 0..255, row by row.
    width, height : int
    image_shape : (int, int), default=(28, 28)
    box : int, default=20
    top : float, default=255.0
        The grey level of full ink.

    Returns
    -------
    ndarray of shape (rows * columns,)

    Raises
    ------
    EmptyDrawing
        If the canvas holds no ink.
    """
    ink = as_canvas(pixels, width, height) / 255.0
    on = ink > 0
    if not on.any():
        raise EmptyDrawing("the drawing is empty: draw a digit first")
    rows, cols = np.flatnonzero(on.any(axis=1)), np.flatnonzero(on.any(axis=0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = crop.shape
    short = max(1, round(box * min(h, w) / max(h, w)))
    grey = _area_resize(crop, *((box, short) if h >= w else (short, box)))
    frame_h, frame_w = image_shape
    mass = grey.sum()
    centre_row = (np.arange(grey.shape[0]) @ grey.sum(axis=1)) / mass
    centre_col = (np.arange(grey.shape[1]) @ grey.sum(axis=0)) / mass
    top_row = int(np.clip(round(frame_h / 2 - centre_row), 0, frame_h - grey.shape[0]))
    left_col = int(np.clip(round(frame_w / 2 - centre_col), 0, frame_w - grey.shape[1]))
    image = np.zeros(image_shape)
    image[top_row : top_row + grey.shape[0], left_col : left_col + grey.shape[1]] = grey
    return np.rint(np.clip(image, 0.0, 1.0) * top).reshape(-1)


def _block_centres_interpolation():
    """The (BITMAP, BITMAP // BLOCK) matrix that interpolates values at the blocks' centres linearly to every pixel."""
    blocks = BITMAP // BLOCK
    t = np.clip((np.arange(BITMAP) - (BLOCK - 1) / 2) / BLOCK, 0, blocks - 1)
    low = np.floor(t).astype(int)
    high = np.minimum(low + 1, blocks - 1)
    weights = np.zeros((BITMAP, blocks))
    np.add.at(weights, (np.arange(BITMAP), low), 1 - (t - low))
    np.add.at(weights, (np.arange(BITMAP), high), t - low)
    return weights


def digit_to_bitmap(digit):
    """An 8x8 digit (values 0..16) as a 32x32 binary bitmap with those block counts.

    Each block gets ``v`` on-pixels, where the ink is thickest: the counts,
    interpolated from the blocks' centres to every pixel, rank the block's
    pixels, so a partly filled block fills the side that leans towards its
    inked neighbours and the strokes run on across blocks as a pen's do (ties
    go to the pixels nearest the centre). This inverts :func:`block_counts`
    exactly, and lets tests and the page draw a dataset digit on the canvas.
    """
    blocks = BITMAP // BLOCK
    values = np.clip(np.rint(np.asarray(digit, dtype=np.float64)).astype(int), 0, BLOCK * BLOCK).reshape(blocks, blocks)
    along = _block_centres_interpolation()
    ink = along @ values @ along.T
    centre = (BLOCK - 1) / 2
    rows, cols = np.divmod(np.arange(BLOCK * BLOCK), BLOCK)
    from_centre = np.abs(rows - centre) + np.abs(cols - centre)
    bitmap = np.zeros((BITMAP, BITMAP), dtype=bool)
    for r in range(blocks):
        for c in range(blocks):
            v = values[r, c]
            block_ink = ink[r * BLOCK:(r + 1) * BLOCK, c * BLOCK:(c + 1) * BLOCK].reshape(-1)
            order = np.lexsort((from_centre, -block_ink))  # the most ink first; then the nearest the centre
            block = np.zeros(BLOCK * BLOCK, dtype=bool)
            block[order[:v]] = True
            bitmap[r * BLOCK:(r + 1) * BLOCK, c * BLOCK:(c + 1) * BLOCK] = block.reshape(BLOCK, BLOCK)
    return bitmap
