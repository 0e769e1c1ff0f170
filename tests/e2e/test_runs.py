"""The runs table: every run recorded, compared on the charts, its settings restored, kept across reloads."""

import csv
import io
import math
import re

import pytest
from playwright.sync_api import expect

from .conftest import wait_until_ready
from .test_datasets import open_dataset, train

pytestmark = pytest.mark.e2e

ROWS = '[data-testid="run-row"]'


def rows(page):
    return page.locator(ROWS)


def set_learning_rate(page, value):
    page.get_by_label("Learning rate").fill(value)
    page.get_by_label("Learning rate").dispatch_event("change")


def live_curves(page):
    """The live run's points on both charts, as drawn: {series key: values}, with the epochs."""
    return page.evaluate("""() => {
      const curves = {};
      for (const id of ["loss-chart", "accuracy-chart"]) {
        const chart = document.querySelector(`[data-testid="${id}"]`).lineChart;
        curves.epoch = chart.data[0];
        chart.series.forEach((s, i) => { curves[s.key] = chart.data[i + 1]; });
      }
      return curves;
    }""")


def overlays(page, chart):
    return page.evaluate("""(id) => document.querySelector(`[data-testid="${id}"]`).lineChart.overlays
      .map((o) => ({label: o.label, stroke: o.stroke, epochs: o.epochs, values: o.values}))""", chart)


def close(a, b):
    return a is None and b is None or math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-9)


def test_three_runs_are_compared_restored_exported_and_kept(page, live_server, tmp_path):
    open_dataset(page, live_server, "xor")
    page.get_by_label("Epochs").fill("12")
    page.get_by_label("Epochs").dispatch_event("change")
    drawn = {}
    for number, rate in enumerate(["0.1", "0.03", "0.01"], start=1):
        set_learning_rate(page, rate)
        train(page)
        expect(rows(page)).to_have_count(number)
        drawn[number] = live_curves(page)

    # Newest first; the learning rate varies, so it is a column, highlighted where it changed.
    table = page.get_by_test_id("runs-table")
    expect(table.locator("th[scope=row]").first).to_contain_text("#3")
    rates = table.locator('td[data-setting="learning_rate"]')
    expect(rates).to_have_text(["0.01 (changed)", "0.03 (changed)", "0.1"])
    assert table.locator("td[data-changed]").count() == 2
    assert table.locator('td[data-changed][data-setting="learning_rate"]').count() == 2
    accuracy = float(page.get_by_test_id("test-accuracy").get_attribute("data-value"))
    expect(rows(page).first.locator('[data-metric="accuracy"]')).to_have_text(f"{100 * accuracy:.2f} %")

    # Runs #1 and #3 over the charts: their values are the ones drawn live during each run.
    ids = {n: rows(page).nth(3 - n).get_attribute("data-run-id") for n in (1, 2, 3)}
    for n in (1, 3):
        page.get_by_role("checkbox", name=f"Compare run #{n} on the charts").check()
    for chart, keys in (("loss-chart", ("loss", "val_loss", "test_loss")), ("accuracy-chart", ("accuracy", "val_accuracy", "test_accuracy"))):
        shown = overlays(page, chart)
        assert [o["label"] for o in shown] == ["#1", "#3"]
        assert shown[0]["stroke"] != shown[1]["stroke"]
        for overlay, n in zip(shown, (1, 3), strict=True):
            assert overlay["epochs"] == drawn[n]["epoch"] == list(range(1, 13))
            for values, key in zip(overlay["values"], keys, strict=True):
                assert all(close(a, b) for a, b in zip(values, drawn[n][key], strict=True)), (n, key)
    legend = page.get_by_test_id("runs-legend")
    expect(legend).to_contain_text("#1: learning rate 0.1")
    expect(legend).to_contain_text("#3: learning rate 0.01")

    # "Use these settings" puts run #1's in the form and the link.
    page.get_by_role("button", name="Use these settings: run #1's").click()
    expect(page.get_by_label("Learning rate")).to_have_value("0.1")
    assert "learning_rate=0.1&" in page.evaluate("location.hash")
    expect(page.get_by_test_id("runs-message")).to_contain_text("run #1's settings")

    # The table as CSV: one row per run, oldest first, every setting.
    with page.expect_download() as info:
        page.get_by_role("button", name="Export runs as CSV").click()
    assert info.value.suggested_filename == "runs-xor.csv"
    path = tmp_path / "runs.csv"
    info.value.save_as(path)
    table_rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert [r["run"] for r in table_rows] == ["1", "2", "3"]
    assert [r["learning_rate"] for r in table_rows] == ["0.1", "0.03", "0.01"]
    assert {r["outcome"] for r in table_rows} == {"finished"}
    assert float(table_rows[-1]["accuracy"]) == pytest.approx(accuracy)
    assert table_rows[0]["plane.noise"] == "0" and table_rows[0]["epochs"] == "12"

    # Delete, then Undo; and the table survives a reload.
    page.get_by_role("button", name="Delete run #2").click()
    expect(rows(page)).to_have_count(2)
    page.get_by_test_id("runs-message").get_by_role("button", name="Undo").click()
    expect(rows(page)).to_have_count(3)
    page.reload()
    wait_until_ready(page)
    expect(rows(page)).to_have_count(3)
    assert [rows(page).nth(i).get_attribute("data-run-id") for i in range(3)] == [ids[3], ids[2], ids[1]]


def test_a_stopped_run_is_recorded_and_resume_carries_it_on(page, live_server):
    open_dataset(page, live_server, "spiral")
    page.get_by_label("Epochs").fill("400")
    page.get_by_label("Epochs").dispatch_event("change")
    panel = page.get_by_test_id("training-panel")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(panel).to_have_attribute("data-state", "running")
    expect(panel).to_have_attribute("data-epoch", re.compile(r"^([2-9]|\d\d+)$"), timeout=60_000)
    page.get_by_role("button", name="Stop").click()
    expect(panel).to_have_attribute("data-state", "paused", timeout=30_000)
    row = rows(page).first
    expect(row).to_have_attribute("data-outcome", "stopped")
    expect(row.locator(".run-outcome")).to_have_text(re.compile(r"^stopped (in epoch \d+, after batch \d+ of \d+|after epoch \d+)$"))
    run_id = row.get_attribute("data-run-id")
    page.get_by_role("button", name="Resume").click()
    expect(panel).to_have_attribute("data-state", "finished", timeout=300_000)
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_have_attribute("data-run-id", run_id)
    expect(rows(page).first).to_have_attribute("data-outcome", "finished")
    expect(rows(page).first.locator(".run-epochs")).to_have_text("400")


def test_the_51st_run_drops_the_oldest_and_says_so(page, live_server):
    open_dataset(page, live_server, "gaussians")
    page.get_by_label("Epochs").fill("1")
    page.get_by_label("Epochs").dispatch_event("change")
    train(page)
    first = rows(page).first.get_attribute("data-run-id")
    for n in range(2, 52):
        train(page)
        expect(rows(page)).to_have_count(min(n, 50))
    assert first not in [rows(page).nth(i).get_attribute("data-run-id") for i in range(50)]
    expect(rows(page).last.locator("th[scope=row]")).to_contain_text("#2")
    expect(rows(page).first.locator("th[scope=row]")).to_contain_text("#51")
    expect(page.get_by_test_id("runs-message")).to_contain_text("the last 50 runs of each dataset: run #1, the oldest, was dropped")


def test_use_these_settings_brings_a_2d_runs_points_back(page, live_server):
    open_dataset(page, live_server, "gaussians")
    page.get_by_label("Epochs").fill("2")
    page.get_by_label("Epochs").dispatch_event("change")
    train(page)
    page.get_by_test_id("plane-noise").fill("0.5")
    train(page)  # Train generates the typed points first
    expect(rows(page)).to_have_count(2)
    noise = page.get_by_test_id("runs-table").locator('td[data-setting="plane.noise"]')
    expect(noise).to_have_text(["0.5 (changed)", "0"])
    page.get_by_role("button", name="Use these settings: run #1's").click()
    expect(page.get_by_test_id("runs-message")).to_contain_text("run #1's settings, and its points are back")
    expect(page.get_by_test_id("plane-noise")).to_have_value("0")
    expect(page.get_by_role("button", name=re.compile("^Regenerate"))).to_have_text("Regenerate")  # applied, not pending
    assert "noise=0&" in page.evaluate("location.hash")
    expect(rows(page)).to_have_count(2)  # the table stays as it was
