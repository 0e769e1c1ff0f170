"""Augmentation: more training images from the ones we have, each written a little differently.

Two kinds, both for image data, both pure NumPy (the page runs them too) and
both deterministic for a given generator, so the page equals CPython:

- :func:`shift_augment`: four copies of every image, moved by one pixel.
- :func:`warp_augment`: copies under small random affine warps (rotation,
  scale, shear and a move), the ways one person's 3 differs from another's.
  A warped digit has the same kind of values as a real one, as its data's
  ``pixels`` say (:class:`mlp.data.Dataset`):

  - ``"counts"`` (the 8x8 digits): the warp is rendered where the digits were
    made. Each 8x8 image of block counts is drawn as a 32x32 ink bitmap (the
    drawing module's ``BITMAP``; bilinear, inked where at least half dark),
    warped there, and counted back into 4x4 blocks with
    :func:`mlp.drawing.block_counts`, as optdigits and the drawing pad count
    them: integer counts 0..16, not a blur (:func:`warp_images`).
  - ``"grey"`` (MNIST): grey levels sampled bilinearly, in fixed-point
    integers, so the page makes CPython's bytes (:func:`warp_grey`).
"""

import numpy as np

from .drawing import BLOCK, block_counts

WARP = {"rotation": 14.0, "scale": 0.10, "shear": 0.45, "shift": 0.5}
"""How far a random warp goes: rotation up to +-14 degrees, scale +-10 %, a
horizontal shear of up to +-0.45 (a slant of about 24 degrees) and a move of up
to half a pixel of the 8x8 image each way (the same share of a larger image: :func:`random_warps`). Chosen on split seeds 0-9 and on the
tuning templates of the pad drawings (``tests/benchmarks/accuracy.py``): the
held-out digits score the same with a shear of 0.15, 0.3 or 0.45, and the pad's
slanted drawings are read best with 0.45."""


def shift_augment(x, y, image_shape):
    """Add four copies of every image, shifted by one pixel up, down, left, right.

    Handwritten digits are not perfectly centred; showing the network shifted
    copies teaches it that a shift does not change the label. Pixels shifted
    in from the edge are 0 (background).

    Parameters
    ----------
    x : ndarray of shape (n_samples, rows * columns)
    y : ndarray of shape (n_samples,)
    image_shape : (int, int)
        Rows and columns of each image.

    Returns
    -------
    x_aug : ndarray of shape (5 * n_samples, n_features)
    y_aug : ndarray of shape (5 * n_samples,)
    """
    h, w = image_shape
    images = np.asarray(x).reshape(-1, h, w)
    copies = [images]
    for axis, step in ((1, -1), (1, 1), (2, -1), (2, 1)):
        shifted = np.roll(images, step, axis=axis)
        edge = 0 if step == 1 else -1
        if axis == 1:
            shifted[:, edge, :] = 0
        else:
            shifted[:, :, edge] = 0
        copies.append(shifted)
    return np.concatenate(copies).reshape(-1, h * w), np.tile(np.asarray(y), 5)


WARP_BATCH = 256
"""How many bitmaps :func:`warp_bitmaps` warps at a time."""


def random_affines(n, rng, rotation=WARP["rotation"], scale=WARP["scale"], shear=WARP["shear"],
                   shift=WARP["shift"]):
    """``n`` random affine maps, each drawn uniformly within the given limits.

    Returns
    -------
    matrices : ndarray of shape (n, 2, 2)
        Each maps a point (row, column), taken about the image's centre, to
        where it goes: a rotation times a horizontal shear times a scale.
    moves : ndarray of shape (n, 2)
        Then added, in pixels of the original image.
    """
    angle = np.deg2rad(rng.uniform(-rotation, rotation, n))
    factor = 1.0 + rng.uniform(-scale, scale, n)
    slant = rng.uniform(-shear, shear, n)
    moves = rng.uniform(-shift, shift, (n, 2))
    cos, sin = np.cos(angle), np.sin(angle)
    # (row, col) coordinates: rotating by `angle` is [[cos, sin], [-sin, cos]];
    # the shear moves a point's column by `slant` times its row.
    matrices = np.empty((n, 2, 2))
    matrices[:, 0, 0] = cos
    matrices[:, 0, 1] = sin
    matrices[:, 1, 0] = -sin
    matrices[:, 1, 1] = cos
    matrices = matrices @ np.stack([np.stack([np.ones(n), np.zeros(n)], -1), np.stack([slant, np.ones(n)], -1)], 1)
    return matrices * factor[:, None, None], moves


def random_warps(n, rng, image_shape):
    """:func:`random_affines` within :data:`WARP`, the move scaled to the image: half a pixel of an 8x8 image, 1.75 of a 28x28."""
    return random_affines(n, rng, shift=WARP["shift"] * image_shape[0] / 8)


def _upsampling(size):
    """(size * BLOCK, size) bilinear weights: each fine pixel's centre on the coarse pixels, 0 outside."""
    fine = (np.arange(size * BLOCK) + 0.5) / BLOCK - 0.5
    return np.maximum(0.0, 1.0 - np.abs(fine[:, None] - np.arange(size)[None, :]))


def render_bitmaps(x, image_shape, top):
    """Each image drawn at ``BLOCK`` times its resolution: ink where the bilinear image is at least half dark.

    Parameters
    ----------
    x : ndarray of shape (n, rows * columns)
        Block counts, 0..``top``.
    image_shape : (int, int)
    top : float
        The largest value a pixel can hold (16 for the digits).

    Returns
    -------
    ndarray of shape (n, rows * BLOCK, columns * BLOCK), bool
    """
    h, w = image_shape
    images = np.asarray(x, dtype=np.float64).reshape(-1, h, w) / top
    return _upsampling(h) @ images @ _upsampling(w).T >= 0.5


def warp_bitmaps(bitmaps, matrices, moves):
    """Each fine bitmap under its affine map: every target pixel takes the source pixel its centre maps back to.

    ``matrices`` and ``moves`` are in coarse pixels (``BLOCK`` fine pixels),
    about the image's centre, as :func:`random_affines` draws them.
    """
    n, height, width = bitmaps.shape
    h, w = height / BLOCK, width / BLOCK
    rows = (np.arange(height) + 0.5) / BLOCK - h / 2
    cols = (np.arange(width) + 0.5) / BLOCK - w / 2
    inverse = np.linalg.inv(matrices)[:, :, :, None, None]
    r = rows[None, :, None] - moves[:, 0, None, None]
    c = cols[None, None, :] - moves[:, 1, None, None]
    warped = np.empty_like(bitmaps)
    # A few hundred bitmaps at a time: the arrays of source pixels stay small (a few MB, not
    # hundreds), which leaves Pyodide's memory, which never shrinks, as it was.
    for part in (slice(start, start + WARP_BATCH) for start in range(0, n, WARP_BATCH)):
        source_row = _fine_pixel(inverse[part, 0, 0], r[part], inverse[part, 0, 1], c[part], h / 2)
        source_col = _fine_pixel(inverse[part, 1, 0], r[part], inverse[part, 1, 1], c[part], w / 2)
        # 0 <= i < size in one test: a negative int32 read as a uint32 is over 2**31.
        inside = (source_row.view(np.uint32) < height) & (source_col.view(np.uint32) < width)
        flat = source_row * width + source_col
        flat *= inside  # 0 outside, as np.where(inside, flat, 0)
        flat += (np.arange(len(flat), dtype=np.int32) * (height * width))[:, None, None]
        np.logical_and(bitmaps[part].reshape(-1)[flat], inside, out=warped[part])
    return warped


def _fine_pixel(a, r, b, c, centre):
    """The fine pixel (a row or a column) in which ``a * r + b * c``, a coarse coordinate about the centre,
    falls: ``floor((a * r + b * c + centre) * BLOCK)`` as int32.

    Computed as ``floor((BLOCK * a) * r + (BLOCK * b) * c + BLOCK * centre)``, which has the same bits
    (multiplying by a power of two is exact, and commutes with rounding) with one pass fewer over
    the large array (a number per fine pixel).
    """
    fine = (BLOCK * a) * r + (BLOCK * b) * c
    fine += BLOCK * centre
    np.floor(fine, out=fine)
    return fine.astype(np.int32)


FIXED = 1 << 16
"""The grey warp's fixed point: coordinates and bilinear weights in 1/65536 of a pixel."""


def _fixed(values):
    return np.rint(np.asarray(values, dtype=np.float64) * FIXED).astype(np.int64)


def warp_grey(x, image_shape, matrices, moves, top, chunk=512):
    """Grey images under their affine maps, sampled bilinearly in fixed-point integers.

    Each target pixel's centre is mapped back through the inverse map and
    takes the bilinear mix of the four source pixels around where it lands
    (zero outside the image), rounded to a whole grey level. The inverse is
    the 2x2 formula (no LAPACK), rounded to 1/65536 before use; from there on
    everything is integer arithmetic. So the page and CPython make the same
    bytes even where their ``sin`` or ``cos`` differ in the last bit: that
    changes a copy only if it moves an entry across a rounding boundary of
    1/65536, about one chance in 10^11 per entry.

    Parameters
    ----------
    x : ndarray of shape (n, rows * columns)
        Whole grey levels, 0..``top``.
    image_shape : (int, int)
    matrices, moves : as from :func:`random_affines`, in pixels about the image's centre
    top : float
        The largest grey level (255 for MNIST).
    chunk : int, default=512
        Images warped at a time: the integer work arrays stay a few MB.

    Returns
    -------
    ndarray of shape (n, rows * columns)
        Whole grey levels, 0..``top``, as float64.
    """
    h, w = image_shape
    images = np.rint(np.asarray(x, dtype=np.float64)).astype(np.int64).reshape(-1, h, w)
    a, b, c, d = (matrices[:, i, j] for i in (0, 1) for j in (0, 1))
    det = a * d - b * c
    inverse = _fixed(np.stack([d, -b, -c, a], -1) / det[:, None]).reshape(-1, 2, 2, 1, 1)
    move = _fixed(moves)
    # Target pixel centres about the image's centre, (i + 1/2 - h/2) pixels, exactly in fixed point.
    rows = (2 * np.arange(h, dtype=np.int64) + 1 - h) * (FIXED // 2)
    cols = (2 * np.arange(w, dtype=np.int64) + 1 - w) * (FIXED // 2)
    out = np.empty((len(images), h, w))
    for start in range(0, len(images), chunk):
        part = slice(start, start + chunk)
        inv = inverse[part]
        r = rows[None, :, None] - move[part, 0, None, None]
        c = cols[None, None, :] - move[part, 1, None, None]
        # Where each centre lands, in fixed point, measured from the first pixel's centre.
        source_row = (inv[:, 0, 0] * r + inv[:, 0, 1] * c) // FIXED + (h - 1) * (FIXED // 2)
        source_col = (inv[:, 1, 0] * r + inv[:, 1, 1] * c) // FIXED + (w - 1) * (FIXED // 2)
        out[part] = _bilinear(images[part], source_row, source_col)
    return np.minimum(out, top).reshape(len(images), -1)


def _bilinear(images, source_row, source_col):
    """Whole grey levels at fixed-point positions: the four neighbours' mix, zero outside, rounded half up."""
    n, h, w = images.shape
    row, col = source_row // FIXED, source_col // FIXED
    down, right = source_row - row * FIXED, source_col - col * FIXED
    base = (np.arange(n, dtype=np.int64) * (h * w))[:, None, None]
    flat = images.reshape(-1)
    total = np.zeros(source_row.shape, dtype=np.int64)
    for dr, weight_r in ((0, FIXED - down), (1, down)):
        for dc, weight_c in ((0, FIXED - right), (1, right)):
            r, c = row + dr, col + dc
            inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
            values = np.where(inside, flat[np.where(inside, base + r * w + c, 0)], 0)
            total += values * weight_r * weight_c
    return (total + FIXED * FIXED // 2) // (FIXED * FIXED)


def warp_images(x, image_shape, matrices, moves, top, pixels="counts"):
    """Each image under its affine map, made as its ``pixels`` are: :func:`warp_grey` for grey levels."""
    if pixels == "grey":
        return warp_grey(x, image_shape, matrices, moves, top)
    return warp_counts(x, image_shape, matrices, moves, top)


def warp_counts(x, image_shape, matrices, moves, top):
    """Each image under its affine map, rendered at ``BLOCK`` times the resolution and counted back.

    Parameters
    ----------
    x : ndarray of shape (n, rows * columns)
        Block counts, 0..``top``.
    image_shape : (int, int)
    matrices, moves : as from :func:`random_affines`
    top : float
        The largest value a pixel can hold (16 for the digits).

    Returns
    -------
    ndarray of shape (n, rows * columns)
        Counts again, 0..``top``.
    """
    return _counts(warp_bitmaps(render_bitmaps(x, image_shape, top), matrices, moves), top)


def _counts(bitmaps, top):
    """Fine bitmaps back to block counts, scaled to 0..``top``."""
    return block_counts(bitmaps).reshape(len(bitmaps), -1) * (top / BLOCK**2)


def warp_augment(x, y, image_shape, copies, rng, top=16.0, pixels="counts"):
    """``copies`` warped copies of every image, each under its own random affine map.

    Parameters
    ----------
    x : ndarray of shape (n_samples, rows * columns)
    y : ndarray of shape (n_samples,)
    image_shape : (int, int)
    copies : int
    rng : numpy.random.Generator
        The maps are drawn from it, so the same generator gives the same copies.
    top : float, default=16.0
    pixels : {"counts", "grey"}, default="counts"
        What the pixels are (:class:`mlp.data.Dataset`), hence how a copy is made.

    Returns
    -------
    x_warped : ndarray of shape (copies * n_samples, n_features)
        Copy ``k`` of every image, then copy ``k + 1``.
    y_warped : ndarray of shape (copies * n_samples,)
    """
    labels = np.tile(np.asarray(y), copies)
    matrices, moves = random_warps(copies * len(x), rng, image_shape)
    if pixels == "grey":
        return warp_grey(np.tile(x, (copies, 1)), image_shape, matrices, moves, top), labels
    bitmaps = np.tile(render_bitmaps(x, image_shape, top), (copies, 1, 1))  # drawn once, warped per copy
    return _counts(warp_bitmaps(bitmaps, matrices, moves), top), labels


def augment(x, y, image_shape, *, shifts=False, warps=0, rng=None, top=16.0, pixels="counts"):
    """The training set a config trains on: the images, then their shifted copies, then their warped copies.

    Parameters
    ----------
    x, y, image_shape : as for :func:`shift_augment`
    shifts : bool, default=False
        Add :func:`shift_augment`'s four copies.
    warps : int, default=0
        Add this many :func:`warp_augment` copies, of the original images only.
    rng : numpy.random.Generator, optional
        Needed for warps.
    top : float, default=16.0
    pixels : {"counts", "grey"}, default="counts"
    """
    x_all, y_all = shift_augment(x, y, image_shape) if shifts else (np.asarray(x), np.asarray(y))
    if warps:
        x_warped, y_warped = warp_augment(x, y, image_shape, warps, rng, top, pixels)
        x_all, y_all = np.concatenate([x_all, x_warped]), np.concatenate([y_all, y_warped])
    return x_all, y_all
