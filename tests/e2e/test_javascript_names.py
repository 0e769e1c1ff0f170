"""Names a user gives (a CSV's name, its columns and classes, a link's values) are data: JavaScript's
own names ("__proto__", "constructor", "toString") open, train and link like any other name."""

import pytest
from playwright.sync_api import expect

from .conftest import wait_until_ready
from .test_datasets import train

pytestmark = pytest.mark.e2e

NAMES = ("__proto__", "constructor", "toString")


@pytest.mark.parametrize("name", NAMES)
def test_a_csv_named_like_javascripts_own_names_opens_and_trains(page, live_server, tmp_path, name):
    path = tmp_path / f"{name}.csv"
    rows = ["constructor,valueOf,__proto__"] + [f"{i % 7},{(3 * i) % 5},{('toString', 'hasOwnProperty')[i % 2]}"
                                                for i in range(60)]
    path.write_text("\n".join(rows) + "\n")
    page.goto(f"{live_server}#epochs=1")
    wait_until_ready(page)
    page.get_by_test_id("csv-upload").set_input_files(path)
    page.get_by_role("button", name="Use this file").click()
    status = page.get_by_test_id("dataset-status")
    expect(status).to_have_attribute("data-name", name, timeout=30_000)
    expect(status).to_contain_text("60 rows: 2 features, 2 classes (hasOwnProperty, toString)")
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()
    expect(page.get_by_test_id("dataset-select")).to_be_enabled()
    train(page)
    expect(page.get_by_test_id("class-report")).to_contain_text("hasOwnProperty")


def test_javascripts_own_names_in_a_link_are_refused_with_a_notice(page, live_server):
    page.goto(f"{live_server}?kernel=constructor#dataset=constructor&output=toString&__proto__=1&hidden_layers=8")
    wait_until_ready(page)
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text('dataset: "constructor" is not one of the datasets')
    expect(notice).to_contain_text('output: "toString" is not one of the choices')
    expect(notice).to_contain_text("__proto__: not a setting")
    expect(page.get_by_test_id("model-summary")).to_be_visible()
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()
