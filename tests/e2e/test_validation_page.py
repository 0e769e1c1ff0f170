"""A validation split in the page: it chooses the epoch whose weights are kept, and the held-out set only scores."""

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from mlp.planes import make_plane
from mlp.session import Session

from .conftest import wait_until_ready
from .test_datasets import export, open_dataset, train

pytestmark = pytest.mark.e2e


def test_spiral_keeps_its_best_epoch_on_validation_like_cpython_and_the_link_carries_it(page, browser, live_server,
                                                                                       tmp_path):
    """The learner's path: spiral, a validation fifth, keep the best epoch, Train; the results name the
    epoch, CPython chooses the same one and makes the same weights, and a fresh tab opened from the link
    shows the same settings."""
    open_dataset(page, live_server, "spiral")
    page.get_by_label("Validation fraction (0: none)").fill("0.2")
    page.get_by_label("Keep the best epoch (on validation)").check()
    train(page)
    said = page.get_by_test_id("weights-epoch")
    expect(said).to_contain_text(re.compile(r"Weights from epoch \d+ of 200, the best on validation \(loss "))
    shown_epoch = int(re.search(r"epoch (\d+) of", said.text_content()).group(1))
    assert "validation_fraction=0.2" in page.url and "keep_best=true" in page.url

    model = export(page, tmp_path / "spiral.json")
    config = model.metadata["config"]
    assert (config["validation_fraction"], config["keep_best"]) == (0.2, True)
    assert model.metadata["best_epoch"]["epoch"] == shown_epoch and model.metadata["best_epoch"]["kept"]
    reference = Session(make_plane("spiral"), config)
    reference.reset()
    while not reference.train(max_ms=None)["finished"]:
        pass
    val_loss = reference.trainer.history["val_loss"]
    assert shown_epoch == int(np.argmin(val_loss)) + 1  # the validation split chose it, in CPython too
    assert shown_epoch < 200 and min(val_loss) < val_loss[-1]  # and it is not simply the last
    for p, q in zip(model.parameters(), reference.network.parameters(), strict=True):
        np.testing.assert_allclose(p, q, atol=1e-6, rtol=0)
    accuracy = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
    assert accuracy == reference.evaluate()["accuracy"]  # scored on the held-out split, which chose nothing

    context = browser.new_context()  # a fresh profile: only the link carries the settings
    fresh = context.new_page()
    fresh.goto(page.url)
    wait_until_ready(fresh)
    expect(fresh.get_by_test_id("dataset-status")).to_have_attribute("data-name", "spiral")
    expect(fresh.get_by_label("Validation fraction (0: none)")).to_have_value("0.2")
    expect(fresh.get_by_label("Keep the best epoch (on validation)")).to_be_checked()
    context.close()


def test_keeping_the_best_epoch_without_a_validation_split_is_refused_by_name(page, live_server):
    open_dataset(page, live_server, "spiral")
    page.get_by_label("Keep the best epoch (on validation)").check()
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("training-panel")).to_contain_text(
        "keep_best: needs a validation split to choose the epoch", timeout=30_000)
    page.get_by_label("Keep the best epoch (on validation)").uncheck()
    page.get_by_label("Epochs").fill("3")
    train(page)  # without a split: no validation line, and no epoch chosen
    legend = page.get_by_test_id("loss-chart").locator(".u-legend .u-series")
    expect(legend.filter(has_text="validation")).to_have_class(re.compile("u-off"))
    expect(legend.filter(has_text="held-out")).not_to_have_class(re.compile("u-off"))
    expect(page.get_by_test_id("weights-epoch")).to_be_hidden()


def test_early_stopping_ends_the_run_where_cpython_does_and_says_so(page, live_server):
    open_dataset(page, live_server, "spiral")
    page.get_by_label("Validation fraction (0: none)").fill("0.2")
    page.get_by_label("Early stopping patience (0: off)").fill("10")
    train(page)
    reference = Session(make_plane("spiral"), {**Session(make_plane("spiral")).config, "validation_fraction": 0.2,
                                               "patience": 10})
    reference.reset()
    while not reference.train(max_ms=None)["finished"]:
        pass
    stopped, best = reference.trainer.epoch, reference.trainer.best_epoch[0]
    assert stopped == best + 10 < 200
    expect(page.get_by_test_id("training-message")).to_contain_text(
        f"It stopped early after epoch {stopped}: no better validation loss in 10 epochs.")
    expect(page.get_by_test_id("weights-epoch")).to_contain_text(
        f"Weights from epoch {best}, the best on validation")
    expect(page.get_by_test_id("progress-text")).to_contain_text(f"Epoch {stopped} of 200")
    legend = page.get_by_test_id("loss-chart").locator(".u-legend .u-series")
    expect(legend.filter(has_text="validation")).not_to_have_class(re.compile("u-off"))
