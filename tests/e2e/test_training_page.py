"""The training page, as a learner uses it: design, train, stop, resume, save, share."""

import json
import re
import time

import numpy as np
import pytest
from playwright.sync_api import expect

import mlp
from mlp.session import Session

from .conftest import open_ready, wait_until_ready

pytestmark = pytest.mark.e2e

SMALL = "#hidden_layers=16&activations=relu&epochs=2&augment=false&seed=5"


def panel(page):
    return page.get_by_test_id("training-panel")


def train_and_wait(page, timeout=300_000):
    page.get_by_role("button", name="Train", exact=True).click()
    expect(panel(page)).to_have_attribute("data-state", "finished", timeout=timeout)


def test_url_settings_fill_the_form_without_training(page, live_server):
    open_ready(page, live_server + "#hidden_layers=32,16&activations=tanh,relu&output=sigmoid:mse"
               "&optimizer=sgd&learning_rate=0.05&epochs=7&seed=3&augment=false")
    expect(page.get_by_label("Hidden layer 1 width")).to_have_value("32")
    expect(page.get_by_label("Hidden layer 2 width")).to_have_value("16")
    expect(page.locator("#layer-0-activation")).to_have_value("tanh")
    expect(page.get_by_label("Optimizer")).to_have_value("sgd")
    expect(page.get_by_label("Learning rate")).to_have_value("0.05")
    expect(page.get_by_label("Epochs")).to_have_value("7")
    expect(page.get_by_label("Seed")).to_have_value("3")
    expect(page.get_by_label("Output and loss")).to_have_value("sigmoid:mse")
    expect(page.get_by_label(re.compile("^Augment"))).not_to_be_checked()
    expect(panel(page)).to_have_attribute("data-state", "idle")
    expect(page.get_by_test_id("progress-text")).to_have_text("Not trained yet.")


def test_invalid_values_are_shown_and_block_training(page, live_server):
    open_ready(page, live_server)
    train = page.get_by_role("button", name="Train", exact=True)
    expect(train).to_be_enabled()
    epochs = page.get_by_label("Epochs")
    for bad in ["0", "-3", "abc", "1e309", ""]:
        epochs.fill(bad)
        expect(page.locator('[data-error-for="epochs"]')).to_contain_text("1, 1000" if bad not in ("abc", "1e309", "") else "")
        expect(epochs).to_have_attribute("aria-invalid", "true")
        expect(train).to_be_disabled()
    epochs.fill("5")
    expect(train).to_be_enabled()
    page.get_by_label("Hidden layer 1 width").fill("513")
    expect(page.locator('[data-error-for="hidden_layers.0"]')).to_contain_text("[1, 512]")
    expect(train).to_be_disabled()


def test_post_preset_trains_with_curves_and_progress(page, live_server):
    open_ready(page, live_server)
    page.get_by_role("button", name="The 2017 post").click()
    expect(page.get_by_label("Output and loss")).to_have_value("sigmoid:published_mse")
    page.get_by_label("Epochs").fill("3")
    train_and_wait(page, timeout=120_000)
    expect(page.get_by_test_id("progress-text")).to_contain_text("Epoch 3 of 3")
    expect(page.get_by_test_id("progress-text")).to_contain_text("samples/s")
    accuracy = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
    assert 0.0 < accuracy <= 1.0
    chart = page.get_by_test_id("accuracy-chart")
    box = chart.locator(".u-over").bounding_box()
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    expect(chart.locator(".u-legend .u-value").nth(1)).to_have_text(re.compile(r"^\d\.\d{4}$"))
    page.get_by_role("button", name="Check the gradients").click()
    result = page.get_by_test_id("gradcheck-result")
    expect(result).to_have_attribute("data-worst", re.compile("."), timeout=60_000)
    assert float(result.get_attribute("data-worst")) > 1e-3  # the published gradient is wrong
    expect(result).to_contain_text("disagrees")


def test_stop_is_prompt_and_resume_continues(page, live_server):
    open_ready(page, live_server + "#hidden_layers=256&epochs=200")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(panel(page)).to_have_attribute("data-epoch", re.compile(r"^[1-9]"), timeout=60_000)
    started = time.perf_counter()
    page.get_by_role("button", name="Stop").click()
    expect(panel(page)).to_have_attribute("data-state", "paused", timeout=2_000)
    stop_seconds = time.perf_counter() - started
    print(f"\n[stop] Stop to paused: {stop_seconds * 1000:.0f} ms")
    assert stop_seconds < 0.5
    stopped_epoch = int(panel(page).get_attribute("data-epoch"))
    time.sleep(0.5)
    assert int(panel(page).get_attribute("data-epoch")) == stopped_epoch  # really stopped
    page.get_by_role("button", name="Resume").click()
    expect(panel(page)).to_have_attribute("data-epoch", str(stopped_epoch + 1), timeout=60_000)
    page.get_by_role("button", name="Stop").click()
    expect(panel(page)).to_have_attribute("data-state", "paused")


def test_export_import_round_trip_and_corrupt_import(page, live_server, tmp_path):
    open_ready(page, live_server + SMALL)
    train_and_wait(page)
    trained_accuracy = page.get_by_test_id("test-accuracy").get_attribute("data-value")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export model (JSON)").click()
    path = tmp_path / "model.json"
    info.value.save_as(path)
    assert mlp.load(path).dimensions == (64, 16, 10)

    page.get_by_role("button", name="Use the pretrained model").click()
    expect(page.get_by_test_id("model-summary")).to_contain_text("pretrained model: 64-256-10")

    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "mlp-from-scratch/model", "version": 1, "dimensions": [64, 10]}')
    page.get_by_test_id("import-model").set_input_files(bad)
    expect(page.get_by_test_id("model-message")).to_contain_text("Could not import broken.json")
    expect(page.get_by_test_id("model-message")).to_have_attribute("data-kind", "error")
    expect(page.get_by_test_id("model-summary")).to_contain_text("pretrained model: 64-256-10")

    page.get_by_test_id("import-model").set_input_files(path)
    expect(page.get_by_test_id("model-summary")).to_contain_text("imported model.json: 64-16-10")
    expect(page.get_by_test_id("test-accuracy")).to_have_attribute("data-value", trained_accuracy)


def test_reload_keeps_the_trained_model(page, live_server):
    open_ready(page, live_server + SMALL)
    train_and_wait(page)
    expect(page.get_by_test_id("training-message")).to_contain_text("kept in this browser")
    page.reload()
    wait_until_ready(page)
    expect(page.get_by_test_id("model-summary")).to_contain_text("your last trained model: 64-16-10")
    page.get_by_role("button", name="Use the pretrained model").click()
    expect(page.get_by_test_id("model-summary")).to_contain_text("pretrained model: 64-256-10")
    page.reload()
    wait_until_ready(page)
    expect(page.get_by_test_id("model-summary")).to_contain_text("pretrained model: 64-256-10")


def test_browser_training_matches_cpython(page, live_server, site_dir, tmp_path):
    """Same seed, same config: the page's weights equal CPython's within 1e-6, labels exactly."""
    config = {"hidden_layers": [16], "activations": ["relu"], "epochs": 2, "augment": False, "seed": 5}
    open_ready(page, live_server + SMALL)
    train_and_wait(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export model (JSON)").click()
    info.value.save_as(tmp_path / "browser.json")
    browser_net = mlp.load(tmp_path / "browser.json")

    session = Session.from_files(site_dir / "data", config)
    session.reset()
    while not session.train(max_ms=10_000)["finished"]:
        pass
    for p, q in zip(browser_net.parameters(), session.network.parameters()):
        np.testing.assert_allclose(p, q, atol=1e-6, rtol=0)
    np.testing.assert_array_equal(browser_net.predict_classes(session.x), session.network.predict_classes(session.x))
    assert browser_net.metadata["config"] == json.loads(json.dumps(session.config))


@pytest.mark.slow
def test_recommended_preset_in_the_page_equals_cpython(page, live_server, site_dir, tmp_path):
    """The Recommended preset trained in the page: its held-out accuracy is CPython's, bit for bit in labels.

    tests/test_accuracy.py shows the preset's mean over seeds 0-4 is >= 0.985 in
    CPython; seed 0's split is the hardest of the five (0.982), and that is what
    the page must reproduce exactly.
    """
    open_ready(page, live_server)
    page.get_by_role("button", name="Recommended").click()
    started = time.perf_counter()
    train_and_wait(page, timeout=900_000)
    seconds = time.perf_counter() - started
    accuracy = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
    print(f"\n[page] recommended preset, seed 0: held-out {accuracy:.4f} in {seconds:.1f} s")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export model (JSON)").click()
    info.value.save_as(tmp_path / "recommended.json")
    browser_net = mlp.load(tmp_path / "recommended.json")
    session = Session.from_files(site_dir / "data")
    session.reset()
    while not session.train(max_ms=60_000)["finished"]:
        pass
    assert accuracy == session.evaluate()["accuracy"]
    np.testing.assert_array_equal(browser_net.predict_classes(session.x), session.network.predict_classes(session.x))
    assert accuracy >= 0.98


def test_garbage_in_the_link_falls_back_to_defaults_with_a_notice(page, live_server):
    open_ready(page, live_server + "#hidden_layers=abc,%3Cb%3E&epochs=-5&learning_rate=NaN&bogus=1&optimizer=rmsprop")
    notice = page.get_by_test_id("notice")
    expect(notice).to_be_visible()
    for field in ("hidden layers", "epochs", "learning_rate", "optimizer", "bogus"):
        expect(notice).to_contain_text(field)
    expect(page.get_by_label("Hidden layer 1 width")).to_have_value("256")
    expect(page.get_by_label("Epochs")).to_have_value("30")
    expect(page.get_by_label("Optimizer")).to_have_value("adam")
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()
