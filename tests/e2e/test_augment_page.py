"""The augmented examples in the page: the warped copies training adds, equal to CPython's, for the form's config."""

import json

import pytest
from playwright.sync_api import expect

from mlp.data import read_dataset
from mlp.session import Session

from .conftest import wait_until_ready

pytestmark = pytest.mark.e2e


def _shown(page):
    rows = page.locator(".augment-row")
    return [[json.loads(c.get_attribute("data-values")) for c in rows.nth(i).locator("canvas").all()]
            for i in range(rows.count())]


def test_augmented_examples_are_the_copies_cpython_trains_on(page, live_server, site_dir):
    page.goto(f"{live_server}#dataset=digits")
    wait_until_ready(page)
    box = page.get_by_test_id("augmented-examples")
    box.get_by_text("Augmented examples").click()
    expect(box.locator(".augment-grid")).to_have_attribute("data-copies", "4")
    session = Session(read_dataset(site_dir / "data", "digits"))
    expected = session.augmented_examples(count=6)
    assert _shown(page) == [[o, *w] for o, w in zip(expected["originals"], expected["warped"], strict=True)]

    # The form's config, before any training: two copies at another seed.
    page.get_by_label("Warped copies of each training image", exact=False).fill("2")
    page.get_by_label("Seed", exact=True).fill("3")
    page.get_by_label("Seed", exact=True).press("Tab")
    expect(box.locator(".augment-grid")).to_have_attribute("data-copies", "2")
    expect(box.locator(".augment-row").first.locator("canvas")).to_have_count(3)
    expected = session.augmented_examples(count=6, config={**session.config, "warps": 2, "seed": 3})
    expect(box.locator(".augment-row").first.locator("canvas").first).to_have_attribute(
        "data-values", json.dumps([int(v) for v in expected["originals"][0]], separators=(",", ":")))  # counts
    assert _shown(page) == [[o, *w] for o, w in zip(expected["originals"], expected["warped"], strict=True)]


def test_augmented_examples_are_for_images_only(page, live_server):
    page.goto(f"{live_server}#dataset=iris")
    wait_until_ready(page)
    expect(page.get_by_test_id("augmented-examples")).to_be_hidden()
