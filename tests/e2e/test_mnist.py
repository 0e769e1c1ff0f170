"""MNIST in the page: fetched only when picked, trained to CPython's weights, its warped copies CPython's too."""

import numpy as np
import pytest
from playwright.sync_api import expect

from mlp.data import read_dataset
from mlp.session import Session

from .conftest import open_ready
from .test_datasets import export, train

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
    expect(page.get_by_test_id("draw-panel")).to_be_hidden()  # the pad reads 8x8 digits only, for now
    expect(page.get_by_text("25,450 parameters (784 inputs → 32 → 10)")).to_be_visible()
    train(page)
    accuracy = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
    model = export(page, tmp_path / "mnist.json")
    assert model.dataset["name"] == "mnist" and model.dataset["image_shape"] == [28, 28]
    # CPython, from the same file and config: one warped copy of each training digit, made in fixed point.
    reference = Session(read_dataset(site_dir / "data", "mnist"), model.metadata["config"])
    reference.reset()
    while not reference.train(max_ms=None)["finished"]:
        pass
    for p, q in zip(model.parameters(), reference.network.parameters(), strict=True):
        np.testing.assert_allclose(p, q, atol=1e-12, rtol=0)
    x = reference.x_test
    np.testing.assert_array_equal(model.predict_classes(x), reference.network.predict_classes(x))
    assert reference.evaluate()["accuracy"] == accuracy > 0.85
