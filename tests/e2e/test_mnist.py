"""MNIST in the page: fetched only when picked, trained to CPython's weights, its warped copies CPython's too."""

import numpy as np
import pytest
from playwright.sync_api import expect

from mlp.config import DATASET_PRESETS
from mlp.drawing import drawing_to_grey

from ..strokes import DIGIT_STROKES, PAD, rasterise
from .conftest import open_ready
from .test_datasets import export, train, trained_in_cpython
from .test_drawing_pad import draw_and_read

pytestmark = pytest.mark.e2e

SHORT = "#dataset=mnist&hidden_layers=32&epochs=1&precision=float64"


def test_mnist_is_fetched_only_when_picked_and_trains_to_cpythons_weights(page, live_server, site_dir, tmp_path):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    open_ready(page, live_server)
    assert not [url for url in fetched if "mnist" in url]  # not on a start, nor by the service worker
    page.goto(live_server + SHORT + "&warps=1")
    page.reload()  # a new link is applied on load (not yet on a hash change)
    status = page.get_by_test_id("dataset-status")
    expect(status).to_have_attribute("data-name", "mnist", timeout=120_000)
    expect(status).to_contain_text("10000 digits: 28x28 images, 10 classes")
    expect(page.get_by_text("25,450 parameters (784 inputs → 32 → 10)")).to_be_visible()
    train(page)
    accuracy = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
    model = export(page, tmp_path / "mnist.json")
    assert model.dataset["name"] == "mnist" and model.dataset["image_shape"] == [28, 28]
    # CPython, from the same file and config: one warped copy of each training digit, made in fixed point.
    reference = trained_in_cpython(site_dir, "mnist", model.metadata["config"])
    for p, q in zip(model.parameters(), reference.network.parameters(), strict=True):
        np.testing.assert_allclose(p, q, atol=1e-12, rtol=0)
    x = reference.x_test
    np.testing.assert_array_equal(model.predict_classes(x), reference.network.predict_classes(x))
    assert reference.evaluate()["accuracy"] == accuracy > 0.85


def test_the_pad_reads_mnist_at_28x28_as_cpython_does(page, live_server, site_dir, tmp_path):
    """Each digit drawn with the mouse is read as MNIST's digits were made, by a model trained in CPython."""
    session = trained_in_cpython(site_dir, "mnist",
                                 {**DATASET_PRESETS["mnist"], "hidden_layers": [128], "epochs": 4, "warps": 1})
    (tmp_path / "mnist-128.json").write_text(session.export_model())
    page.goto(live_server + "#dataset=mnist")
    page.locator('[data-testid="dataset-status"][data-name="mnist"]').wait_for(timeout=120_000)
    page.get_by_test_id("import-model").set_input_files(tmp_path / "mnist-128.json")
    # The worker may still be making the preset's warped copies (App.warmUp): the import waits its turn.
    expect(page.get_by_test_id("model-message")).to_contain_text("Imported mnist-128.json", timeout=60_000)
    expect(page.get_by_test_id("draw-panel")).to_be_visible()
    expect(page.get_by_test_id("network-input-caption")).to_have_text("What the network sees: 28x28 grey levels, 0..255")
    expect(page.get_by_test_id("pad-note")).to_contain_text("fitted into 20x20 pixels")
    read = {digit: draw_and_read(page, strokes) for digit, strokes in DIGIT_STROKES.items()}
    # The same strokes rasterised in CPython and read through the same preprocessing.
    expected = {d: int(session.network.predict_classes(drawing_to_grey(rasterise(s).tobytes(), PAD, PAD)[None])[0])
                for d, s in DIGIT_STROKES.items()}
    assert expected == {d: d for d in DIGIT_STROKES}
    assert sum(read[d] == d for d in read) >= 9, read
    # A held-out MNIST digit painted on the pad in grey is read as the model reads the original.
    prediction = page.get_by_test_id("prediction")
    page.get_by_test_id("test-digit-index").fill("3")
    page.get_by_role("button", name="Draw it on the pad").click()
    expect(prediction).to_have_attribute("data-sample", "3")
    assert int(prediction.get_attribute("data-value")) == session.network.predict_classes(session.x_test[3:4])[0]
