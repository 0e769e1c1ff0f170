"""The road: the page brings up Python in a worker and classifies a held-out digit."""

import re
import time

import numpy as np
import pytest
from playwright.sync_api import expect

from mlp import load
from mlp.data import read_dataset
from mlp.session import Session

from .conftest import wait_until_ready

pytestmark = pytest.mark.e2e


def _cpython_predictions(site_dir, indexes):
    session = Session(read_dataset(site_dir / "data", "digits"))
    session.network = load(site_dir / "models" / "pretrained.json")
    out = {}
    for i in indexes:
        proba = session.network.predict(session.x_test[i : i + 1])[0]
        out[i] = (int(session.y_test[i]), int(np.argmax(proba)), float(proba.max()))
    return out


def _check_sample_predictions(page, site_dir, count=4):
    seen = {}
    for _ in range(count):
        card = page.get_by_test_id("sample-card")
        expect(page.get_by_test_id("sample-predicted")).to_have_attribute("data-value", re.compile(r"^\d$"))
        index = int(card.get_attribute("data-index"))
        seen[index] = (
            int(page.get_by_test_id("sample-true").inner_text()),
            int(page.get_by_test_id("sample-predicted").get_attribute("data-value")),
            page.get_by_test_id("sample-confidence").inner_text(),
        )
        page.get_by_role("button", name="Another digit").click()
        expect(card).not_to_have_attribute("data-index", str(index))
    expected = _cpython_predictions(site_dir, seen)
    for i, (true, predicted, confidence) in seen.items():
        assert (true, predicted) == expected[i][:2], i
        assert confidence == f"{100 * expected[i][2]:.1f} %"


def test_page_reaches_ready_without_errors(page, live_server, site_dir, console_errors):
    start = time.perf_counter()
    page.goto(live_server)
    status = page.get_by_test_id("runtime-status")
    expect(status).to_have_attribute("data-state", "loading")
    wait_until_ready(page)
    cold = time.perf_counter() - start
    print(f"\n[cold load] page open to data-state=ready: {cold:.2f} s (vendored build, Flask server)")
    for stage in ("runtime", "numpy", "mlp", "data", "model"):
        expect(page.locator(f'.stages li[data-stage="{stage}"]')).to_have_attribute("data-state", "done")
    assert page.evaluate("crossOriginIsolated") is True
    _check_sample_predictions(page, site_dir)
    assert console_errors == []


def test_same_site_under_a_subpath_without_special_headers(page, pages_server, site_dir, console_errors):
    page.goto(pages_server)
    wait_until_ready(page)
    assert page.evaluate("crossOriginIsolated") is False
    _check_sample_predictions(page, site_dir, count=2)
    assert console_errors == []


def test_no_request_leaves_the_origin(page, live_server):
    urls = []
    page.on("request", lambda req: urls.append(req.url))
    page.goto(live_server)
    wait_until_ready(page)
    assert urls and all(u.startswith(live_server) for u in urls), [u for u in urls if not u.startswith(live_server)]


def test_startup_failure_names_the_file_and_retry_recovers(page, live_server):
    broken = {"on": True}

    def maybe_fail(route):
        if broken["on"]:
            route.fulfill(status=404, body="gone")
        else:
            route.continue_()

    page.route("**/models/pretrained.json", maybe_fail)
    page.goto(live_server)
    status = page.get_by_test_id("runtime-status")
    expect(status).to_have_attribute("data-state", "error", timeout=120_000)
    expect(page.get_by_role("alert")).to_contain_text("models/pretrained.json")
    broken["on"] = False
    page.get_by_role("button", name="Retry").click()
    wait_until_ready(page)
