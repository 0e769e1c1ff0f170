"""mlp.augment: shifted and warped copies of training images, and the learning-rate schedule they train with."""

import itertools

import numpy as np
import pytest

from mlp.augment import (
    WARP_BATCH,
    augment,
    random_affines,
    random_warps,
    render_bitmaps,
    shift_augment,
    warp_augment,
    warp_bitmaps,
    warp_grey,
    warp_images,
)
from mlp.config import ConfigError, validate_config
from mlp.data import Dataset
from mlp.drawing import BLOCK, block_counts
from mlp.optimizers import schedule_factor
from mlp.session import Session
from mlp.training import Trainer


def test_the_identity_warp_keeps_each_digit_close(digits):
    """Rendered at 32x32 and counted back, a digit is not bit-exact (bilinear ink), but stays within a count or so."""
    x = digits[0][:300]
    eye, still = np.tile(np.eye(2), (len(x), 1, 1)), np.zeros((len(x), 2))
    back = warp_images(x, (8, 8), eye, still, 16.0)
    assert np.abs(back - x).mean() < 1.0
    np.testing.assert_array_equal(back, np.rint(back))  # counts, as optdigits has
    assert back.min() >= 0 and back.max() <= 16


def test_a_quarter_turn_turns_the_image():
    image = np.zeros((8, 8))
    image[1:7, 2] = 16  # a vertical bar
    turned = warp_images(image.reshape(1, -1), (8, 8), np.array([[[0.0, 1.0], [-1.0, 0.0]]]), np.zeros((1, 2)), 16.0)
    ink = turned.reshape(8, 8) > 0
    assert ink.any(axis=1).sum() <= 2 and ink.any(axis=0).sum() >= 5  # now a horizontal bar


def _warp_in_one_pass(bitmaps, matrices, moves):
    """warp_bitmaps as its docstring says it, all at once: the reference its batches and in-place steps must equal."""
    n, height, width = bitmaps.shape
    h, w = height / BLOCK, width / BLOCK
    inverse = np.linalg.inv(matrices)[:, :, :, None, None]
    r = ((np.arange(height) + 0.5) / BLOCK - h / 2)[None, :, None] - moves[:, 0, None, None]
    c = ((np.arange(width) + 0.5) / BLOCK - w / 2)[None, None, :] - moves[:, 1, None, None]
    row = np.floor((inverse[:, 0, 0] * r + inverse[:, 0, 1] * c + h / 2) * BLOCK).astype(np.int32)
    col = np.floor((inverse[:, 1, 0] * r + inverse[:, 1, 1] * c + w / 2) * BLOCK).astype(np.int32)
    inside = (row >= 0) & (row < height) & (col >= 0) & (col < width)
    flat = np.where(inside, row * width + col, 0) + (np.arange(n) * height * width)[:, None, None]
    return bitmaps.reshape(-1)[flat] & inside


def test_the_warp_in_batches_has_the_bits_of_the_warp_in_one_pass(digits):
    bitmaps = np.tile(render_bitmaps(digits[0][:300], (8, 8), 16.0), (2, 1, 1))  # 600: more than one batch
    assert len(bitmaps) > WARP_BATCH
    still = np.zeros((len(bitmaps), 2))
    cases = [random_affines(len(bitmaps), np.random.default_rng(seed)) for seed in range(3)]
    cases.append(random_affines(len(bitmaps), np.random.default_rng(3), rotation=180, scale=0.9, shear=3, shift=8))
    cases.append((np.tile(np.eye(2), (len(bitmaps), 1, 1)), still))  # centres on pixel edges: floor's ties
    cases.append((np.tile([[0.0, 1.0], [-1.0, 0.0]], (len(bitmaps), 1, 1)), still + 0.25))
    for matrices, moves in cases:
        np.testing.assert_array_equal(warp_bitmaps(bitmaps, matrices, moves), _warp_in_one_pass(bitmaps, matrices, moves))


def test_block_counts_are_the_sums_of_the_blocks(rng):
    for shape in [(32, 32), (7, 32, 32), (2, 3, 32, 32)]:
        bitmap = rng.random(shape) < 0.4
        sums = bitmap.reshape(*shape[:-2], 8, BLOCK, 8, BLOCK).sum(axis=(-3, -1)).reshape(*shape[:-2], 64)
        np.testing.assert_array_equal(block_counts(bitmap), sums)
        assert block_counts(bitmap).dtype == np.float64


def test_warps_are_seeded_and_keep_labels(digits):
    x, y = digits[0][:50], digits[1][:50]
    a = warp_augment(x, y, (8, 8), 3, np.random.default_rng(7))
    b = warp_augment(x, y, (8, 8), 3, np.random.default_rng(7))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], np.tile(y, 3))
    assert not np.array_equal(a[0][:50], x)  # warped, not copied
    matrices, moves = random_affines(1000, np.random.default_rng(0))
    assert np.all(np.abs(moves) <= 0.5) and np.all(np.abs(np.linalg.det(matrices) - 1) < 0.25)


def _grey_images(n, seed=3):
    """Blurry strokes at 28x28: whole grey levels 0..255, mostly 0, as MNIST's are."""
    rng = np.random.default_rng(seed)
    images = np.zeros((n, 28, 28))
    for image in images:
        r, c = rng.integers(6, 22, 2)
        image[r - 4:r + 4, c - 1:c + 2] = rng.integers(100, 256)
    return images.reshape(n, -1)


def test_the_grey_warp_keeps_an_image_under_the_identity_and_turns_a_bar():
    x = _grey_images(20)
    eye, still = np.tile(np.eye(2), (20, 1, 1)), np.zeros((20, 2))
    np.testing.assert_array_equal(warp_grey(x, (28, 28), eye, still, 255.0), x)
    bar = np.zeros((28, 28))
    bar[4:24, 13] = 255  # a vertical bar
    quarter = np.array([[[0.0, 1.0], [-1.0, 0.0]]])
    ink = warp_grey(bar.reshape(1, -1), (28, 28), quarter, np.zeros((1, 2)), 255.0).reshape(28, 28) > 0
    assert ink.any(axis=1).sum() <= 2 and ink.any(axis=0).sum() >= 18  # now a horizontal bar
    # Half a pixel to the right: each pixel is the mean of two, rounded half up.
    moved = warp_grey(bar.reshape(1, -1), (28, 28), np.eye(2)[None], np.array([[0.0, 0.5]]), 255.0).reshape(28, 28)
    assert (moved[10, 13], moved[10, 14], moved[10, 12]) == (128.0, 128.0, 0.0)


def test_the_grey_warp_gives_the_same_bytes_when_sin_or_cos_differ_in_the_last_bit():
    """The page's libm and CPython's may round sin and cos differently; the warp rounds the map to 1/65536 first."""
    x = _grey_images(300)
    matrices, moves = random_warps(300, np.random.default_rng(11), (28, 28))
    exact = warp_grey(x, (28, 28), matrices, moves, 255.0)
    for nudged in (np.nextafter(matrices, np.inf), np.nextafter(matrices, -np.inf)):
        np.testing.assert_array_equal(warp_grey(x, (28, 28), nudged, moves, 255.0), exact)


def test_grey_warps_are_seeded_whole_grey_levels_and_keep_labels():
    x, y = _grey_images(40), np.arange(40) % 10
    a = warp_augment(x, y, (28, 28), 3, np.random.default_rng(7), 255.0, "grey")
    b = warp_augment(x, y, (28, 28), 3, np.random.default_rng(7), 255.0, "grey")
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], np.tile(y, 3))
    np.testing.assert_array_equal(a[0], np.rint(a[0]))
    assert a[0].min() >= 0 and a[0].max() <= 255 and not np.array_equal(a[0][:40], x)
    _, moves = random_warps(1000, np.random.default_rng(0), (28, 28))
    assert np.abs(moves).max() <= 1.75  # half a pixel of 8, scaled to 28


def test_augment_lays_out_originals_shifts_then_warps(digits):
    x, y = digits[0][:20], digits[1][:20]
    xa, ya = augment(x, y, (8, 8), shifts=True, warps=2, rng=np.random.default_rng(1))
    assert xa.shape == (20 * 7, 64) and len(ya) == 140
    np.testing.assert_array_equal(xa[:100], shift_augment(x, y, (8, 8))[0])
    np.testing.assert_array_equal(xa[100:], warp_augment(x, y, (8, 8), 2, np.random.default_rng(1))[0])


def test_the_page_shows_the_copies_training_uses(digits_dataset):
    session = Session(digits_dataset, {"warps": 3, "seed": 4})
    shown = session.augmented_examples(count=5)
    x_fit, _ = session.training_set()
    n = len(session.x_train)
    assert shown["copies"] == 3
    for i in range(5):
        np.testing.assert_array_equal(shown["originals"][i], session.x_train[i])
        for k in range(3):
            np.testing.assert_array_equal(shown["warped"][i][k], x_fit[5 * n + k * n + i])
    other = session.augmented_examples(count=2, config={"warps": 1, "seed": 9})  # the form's, before training
    assert other["copies"] == 1 and other["originals"][0] != shown["originals"][0]


def test_warps_are_for_images_and_unused_elsewhere(rng):
    x = rng.uniform(-1, 1, size=(60, 3))
    toy = Dataset(x, (x[:, 0] > 0).astype(int), name="toy", classes=["no", "yes"])
    assert validate_config({"hidden_layers": [4]}, toy)["warps"] == 0  # missing: off for tabular data
    with pytest.raises(ConfigError, match="only for image data"):
        validate_config({"warps": 2}, toy)
    with pytest.raises(ValueError, match="for image data"):
        Session(toy, {"hidden_layers": [4]}).augmented_examples()


def test_cosine_schedule_runs_the_rate_down():
    factors = [schedule_factor("cosine", e, 10) for e in range(10)]
    assert factors[0] == 1.0 and all(a > b for a, b in itertools.pairwise(factors)) and 0 < factors[-1] < 0.03
    assert schedule_factor("constant", 9, 10) == 1.0
    with pytest.raises(ValueError, match="unknown schedule 'step'"):
        schedule_factor("step", 0, 10)


def test_a_scheduled_run_in_chunks_equals_one_run(digits_dataset):
    def trained(chunks):
        session = Session(digits_dataset, {"hidden_layers": [8], "epochs": 4, "warps": 1, "schedule": "cosine"})
        session.reset()
        for _ in range(chunks):
            session.train(max_ms=None, max_batches=25)
        while not session.train(max_ms=None)["finished"]:
            pass
        return session.network.weights

    for a, b in zip(trained(0), trained(7), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_schedule_needs_the_run_length(digits_dataset):
    session = Session(digits_dataset, {"hidden_layers": [4]})
    session.reset()
    with pytest.raises(ValueError, match="needs the run's epochs"):
        Trainer(session.network, session.x_train, session.y_train, schedule="cosine")
