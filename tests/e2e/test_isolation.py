"""Stop reaches Python on any host: on a plain static server that sends no headers (as GitHub
Pages), the service worker adds cross-origin isolation from the second visit on, and Stop ends an
endless loop in the learner's code while it trains. Before that (the first visit), the page says
why Stop may be slow, and Stop still ends the loop, by restarting Python."""

import json
import re

import pytest
from playwright.sync_api import expect

from mlp import usercode

from .conftest import open_ready, wait_until_ready
from .test_code_page import run, show_code, type_code

pytestmark = pytest.mark.e2e

SHIPPED = "        return np.maximum(z, 0.0, out=out)\n"
LOOP = "        while len(z) > 12:  # a training batch, not the gradient check's 5 samples\n            pass\n"
LOOPS_IN_TRAINING = usercode.source("activation").replace(SHIPPED, LOOP + SHIPPED)
WHILE_LINE = 1 + LOOPS_IN_TRAINING.split(LOOP)[0].count("\n")


def _train_into_the_loop(page, replacing=False):
    """Run the looping ReLU (it passes the gradient check), then Train: the first batch never returns.

    ``replacing``: the model on screen was kept by an earlier visit, so Train first asks to replace it.
    """
    card = show_code(page)
    type_code(card, LOOPS_IN_TRAINING)
    assert float(run(card)) < 1e-6
    page.get_by_label("Epochs", exact=True).fill("2")
    page.get_by_role("button", name="Train", exact=True).click()
    if replacing:
        message = page.get_by_test_id("training-message")
        expect(message).to_contain_text("Train would replace your last trained model")
        message.get_by_role("button", name="Replace it").click()
    panel = page.get_by_test_id("training-panel")
    # The worker may first finish making the form's training set (App.warmUp): on a loaded machine, seconds.
    expect(panel).to_have_attribute("data-state", "running", timeout=30_000)
    page.wait_for_timeout(1000)  # inside the loop by now: no chunk has come back
    assert panel.get_attribute("data-state") == "running" and panel.get_attribute("data-epoch") == "0"
    return panel


def test_a_plain_static_host_is_isolated_by_the_service_worker_and_stop_ends_your_code(browser, pages_server, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    console, uncaught = [], []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: uncaught.append(str(exc)))
    try:
        # The first visit: the host sends no headers, and the service worker serves nothing yet.
        open_ready(page, pages_server)
        assert page.evaluate("crossOriginIsolated") is False
        note = page.get_by_test_id("stop-note")
        expect(note).to_be_visible()
        expect(note).to_contain_text("Stop is slower here, as this is your first visit")
        expect(note).to_contain_text("From your next visit (or a reload), Stop is instant.")
        # Stop cannot interrupt the loop here: the page gives the run up and restarts Python.
        panel = _train_into_the_loop(page)
        page.get_by_role("button", name="Stop", exact=True).click()
        message = page.get_by_test_id("training-message")
        expect(message).to_contain_text("The run did not stop within 3 s of Stop", timeout=10_000)
        wait_until_ready(page)
        expect(message).to_contain_text("So Python restarted")
        expect(panel).to_have_attribute("data-state", "idle")
        page.get_by_role("button", name="Check the gradients").click()  # Python answers, with the shipped ReLU
        expect(page.get_by_test_id("gradcheck-result")).to_contain_text("Backprop is correct")

        # The next visit, served by the service worker, which adds COOP and COEP.
        page.wait_for_function("Boolean(navigator.serviceWorker.controller)")
        response = page.reload()
        wait_until_ready(page)
        assert response.headers.get("cross-origin-embedder-policy") == "require-corp"
        assert page.evaluate("crossOriginIsolated") is True
        expect(note).to_be_hidden()
        panel = _train_into_the_loop(page, replacing=True)  # the first visit kept the model its code ran on
        page.get_by_role("button", name="Stop", exact=True).click()
        expect(panel).to_have_attribute("data-state", "paused", timeout=10_000)
        assert float(panel.get_attribute("data-stop-ms")) < 2000  # measured in the page, from the click
        expect(page.get_by_test_id("training-message")).to_contain_text("Stop ended your code here (an endless loop?)")
        where = re.compile(f"^({WHILE_LINE}|{WHILE_LINE + 1})$")  # the loop's test or its body
        expect(page.get_by_test_id("code-view")).to_have_attribute("data-error-line", where)
        page.get_by_role("button", name="Train", exact=True).click()  # the shipped ReLU trains again
        expect(panel).to_have_attribute("data-state", "finished", timeout=120_000)

        # Nothing the page loads breaks under the stricter policy: a download, the CSV picker, the editor (above).
        with page.expect_download() as info:
            page.get_by_role("button", name="Export model (JSON)").click()
        info.value.save_as(tmp_path / "model.json")
        assert json.loads((tmp_path / "model.json").read_text())["format"] == "mlp-from-scratch/model"
        rows = ["size,colour,label"] + [f"{i % 7},{(i * 3) % 5},{'ab'[i % 2]}" for i in range(60)]
        (tmp_path / "shapes.csv").write_text("\n".join(rows) + "\n")
        page.get_by_test_id("csv-upload").set_input_files(tmp_path / "shapes.csv")
        page.get_by_role("button", name="Use this file").click()
        expect(page.get_by_test_id("dataset-status")).to_have_attribute("data-name", "shapes", timeout=30_000)
        assert page.evaluate("document.fonts.status") == "loaded"
        assert uncaught == []
        # (Typing into the editor logs a CSP report: Chromium's own editing tries an inline style, which CodeMirror redraws.)
        assert not [e for e in console if "Cross-Origin" in e or "BLOCKED_BY_RESPONSE" in e], console
    finally:
        context.close()
