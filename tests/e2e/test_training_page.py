"""The training page, as a learner uses it: design, train, stop, resume, save, share."""

import json
import re
import time

import numpy as np
import pytest
from playwright.sync_api import expect

import mlp
from mlp.config import CONFIG_SCHEMA
from mlp.data import read_dataset
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
    over = chart.locator(".u-over")
    box = over.bounding_box()
    over.hover(position={"x": box["width"] - 2, "y": box["height"] / 2})  # scrolls it into view first
    expect(chart.locator(".u-legend .u-value").nth(1)).to_have_text(re.compile(r"^\d\.\d{4}$"))
    page.get_by_role("button", name="Check the gradients").click()
    result = page.get_by_test_id("gradcheck-result")
    expect(result).to_have_attribute("data-worst", re.compile("."), timeout=60_000)
    assert float(result.get_attribute("data-worst")) > 1e-3  # the published gradient is wrong
    expect(result).to_contain_text("disagrees")


@pytest.mark.parametrize("server", ["live_server", "pages_server"])
def test_stop_is_prompt_and_resume_continues(page, request, server):
    # The Flask server is crossOriginIsolated (Stop interrupts Python); the
    # Pages-like one is not (Stop waits for the ~100 ms chunk to end).
    open_ready(page, request.getfixturevalue(server) + "#hidden_layers=256&epochs=200")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(panel(page)).to_have_attribute("data-epoch", re.compile(r"^[1-9]"), timeout=60_000)
    page.get_by_role("button", name="Stop").click()
    expect(panel(page)).to_have_attribute("data-state", "paused", timeout=2_000)
    stop_ms = float(panel(page).get_attribute("data-stop-ms"))  # measured in the page, from the click
    print(f"\n[stop] {server}: Stop to paused {stop_ms:.0f} ms, "
          f"chunk ended by {panel(page).get_attribute('data-stopped-by')}")
    assert stop_ms < 500
    stopped_at = (panel(page).get_attribute("data-epoch"), panel(page).get_attribute("data-batch"))
    expect(page.get_by_test_id("training-message")).to_contain_text(re.compile(r"Stopped (in|after) epoch"))
    time.sleep(0.5)
    assert (panel(page).get_attribute("data-epoch"), panel(page).get_attribute("data-batch")) == stopped_at
    page.get_by_role("button", name="Resume").click()
    # The first change of epoch after Resume is forward (a restart would show 0);
    # epochs now take well under a second, so it may be seen one or two on.
    expect(panel(page)).not_to_have_attribute("data-epoch", stopped_at[0], timeout=60_000)
    assert int(panel(page).get_attribute("data-epoch")) > int(stopped_at[0])
    page.get_by_role("button", name="Stop").click()
    expect(panel(page)).to_have_attribute("data-state", "paused")


INTERRUPT_PROBE = """async (chunkMs) => {
  const { Runtime } = await import(new URL("js/runtime.js", document.baseURI).href);
  let runtime;
  await new Promise((onReady, onError) => {
    runtime = new Runtime({ onStage() {}, onReady, onError });
    runtime.start();
  });
  await runtime.call("configure", [{ hidden_layers: [256], epochs: 1000 }]);
  await runtime.call("reset");
  setTimeout(() => runtime.interrupt(), 300);
  const t0 = performance.now();
  const first = await runtime.call("train", [], { max_ms: chunkMs });
  const ms = performance.now() - t0;
  runtime.clearInterrupt();
  const second = await runtime.call("train", [], { max_ms: 100 });
  runtime.client.terminate();
  return { interruptible: runtime.interruptible, ms, first: first.stopped, batch: first.batch,
           samples: first.samples_seen, second: second.stopped };
}"""


def test_the_interrupt_buffer_stops_a_chunk_at_its_next_batch(page, live_server):
    # A second worker, driven through the page's own Runtime: a 20 s chunk is
    # interrupted 300 ms in, and a later chunk is not hit by a stale interrupt.
    open_ready(page, live_server)
    probe = page.evaluate(INTERRUPT_PROBE, 20_000)
    print(f"\n[interrupt] 20 s chunk interrupted after {probe['ms']:.0f} ms (batch {probe['batch']})")
    assert probe["interruptible"] and probe["first"] == "interrupted"
    # It trained until the interrupt (an epoch takes about as long, so the stop
    # may land on an epoch boundary, where the batch index is 0 again).
    assert probe["ms"] < 1_500 and probe["samples"] > 0
    assert probe["second"] == "time"


def test_without_isolation_stop_relies_on_the_chunks(page, pages_server):
    open_ready(page, pages_server)
    probe = page.evaluate(INTERRUPT_PROBE, 1_000)
    assert not probe["interruptible"] and probe["first"] == "time" and probe["ms"] >= 1_000


def test_divergence_stops_with_advice_and_keeps_finite_weights(page, live_server):
    # Leaky ReLU does not die, so on raw 0..16 inputs SGD with lr 1 explodes in epoch 1.
    open_ready(page, live_server + "#hidden_layers=64,64&activations=leaky_relu,leaky_relu&optimizer=sgd"
               "&learning_rate=1&scale_inputs=false&augment=false&epochs=5")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(panel(page)).to_have_attribute("data-state", "paused", timeout=60_000)
    message = page.get_by_test_id("training-message")
    expect(message).to_contain_text("Lower the learning rate (try 0.1)")
    expect(message).to_have_attribute("data-kind", "error")
    expect(page.get_by_test_id("model-summary")).to_contain_text("64-64-64-10")
    accuracy = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
    assert 0.0 <= accuracy <= 1.0  # the kept weights are finite: the model still evaluates
    page.wait_for_timeout(1_000)
    expect(message).to_contain_text("Lower the learning rate")  # not replaced by "Stopped..."
    run = page.get_by_test_id("run-row")  # the runs table records it, as it does every run
    expect(run).to_have_attribute("data-outcome", "diverged")
    expect(run.locator(".run-outcome")).to_have_text("diverged")


def test_step_trains_one_epoch_in_chunks(page, live_server):
    open_ready(page, live_server + SMALL)
    step = page.get_by_role("button", name="Step one epoch")
    step.click()
    expect(panel(page)).to_have_attribute("data-state", "paused", timeout=60_000)
    expect(panel(page)).to_have_attribute("data-epoch", "1")
    expect(panel(page)).to_have_attribute("data-batch", "0")
    step.click()
    expect(panel(page)).to_have_attribute("data-state", "finished", timeout=60_000)
    expect(panel(page)).to_have_attribute("data-epoch", "2")


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

    session = Session(read_dataset(site_dir / "data", "digits"), config)
    session.reset()
    while not session.train(max_ms=10_000)["finished"]:
        pass
    for p, q in zip(browser_net.parameters(), session.network.parameters(), strict=True):
        np.testing.assert_allclose(p, q, atol=1e-6, rtol=0)
    np.testing.assert_array_equal(browser_net.predict_classes(session.dataset.x), session.network.predict_classes(session.dataset.x))
    assert browser_net.metadata["config"] == json.loads(json.dumps(session.config))


@pytest.mark.slow
def test_recommended_preset_in_the_page_equals_cpython(page, live_server, site_dir, tmp_path):
    """The Recommended preset trained in the page reaches 98.5 % held out, exactly as in CPython.

    (tests/test_accuracy.py gives the preset's spread over ten seeds in CPython.)
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
    session = Session(read_dataset(site_dir / "data", "digits"))
    session.reset()
    while not session.train(max_ms=60_000)["finished"]:
        pass
    assert accuracy == session.evaluate()["accuracy"]
    np.testing.assert_array_equal(browser_net.predict_classes(session.dataset.x), session.network.predict_classes(session.dataset.x))
    assert accuracy >= 0.985


def test_garbage_in_the_link_falls_back_to_defaults_with_a_notice(page, live_server):
    open_ready(page, live_server + "#hidden_layers=abc,%3Cb%3E&epochs=-5&learning_rate=NaN&bogus=1&optimizer=rmsprop")
    notice = page.get_by_test_id("notice")
    expect(notice).to_be_visible()
    for field in ("hidden layers", "epochs", "learning_rate", "optimizer", "bogus"):
        expect(notice).to_contain_text(field)
    defaults = {name: spec["default"] for name, spec in CONFIG_SCHEMA.items()}
    expect(page.get_by_label("Hidden layer 1 width")).to_have_value(str(defaults["hidden_layers"][0]))
    expect(page.get_by_label("Epochs")).to_have_value(str(defaults["epochs"]))
    expect(page.get_by_label("Optimizer")).to_have_value(defaults["optimizer"])
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()


def test_a_link_value_that_cannot_apply_gets_the_same_notice(page, live_server):
    """A setting this dataset hides, a number written in hex: noticed and ignored, as any bad value.
    Activations without hidden_layers apply to the current layers."""
    open_ready(page, live_server + "#dataset=iris&augment=true&epochs=0x10&activations=tanh")
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text('augment: only for image data; "iris" is tabular; using the default.')
    expect(notice).to_contain_text('epochs: must be a number written in decimal, got "0x10"')
    expect(notice).not_to_contain_text("hidden layers")
    expect(page.locator("#layer-0-activation")).to_have_value("tanh")
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()
