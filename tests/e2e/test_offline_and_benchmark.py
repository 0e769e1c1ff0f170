"""After one visit the site works offline; and the benchmark script still runs (tiny mode)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from server import create_app

from .conftest import _ServerThread, open_ready, wait_until_ready

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_after_one_visit_the_site_loads_and_trains_with_the_server_stopped(browser, site_dir):
    server = make_server("127.0.0.1", 0, create_app({"SITE_DIR": str(site_dir)}), threaded=True)
    thread = _ServerThread(server)
    url = f"http://127.0.0.1:{server.server_port}/"
    context = browser.new_context()
    page = context.new_page()
    try:
        open_ready(page, url + "#hidden_layers=16&epochs=2&augment=false")
        assert page.evaluate("navigator.serviceWorker.ready.then(r => Boolean(r.active))")
    finally:
        thread.stop()
        server.server_close()
    page.reload()
    wait_until_ready(page)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_test_id("training-panel")).to_have_attribute("data-state", "finished", timeout=120_000)
    context.close()


def test_benchmark_runs_in_tiny_mode(tmp_path):
    result = subprocess.run(
        [sys.executable, "tests/benchmarks/run.py", "--tiny", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads((tmp_path / "benchmark.json").read_text())
    assert {"training", "start_up", "drawing_ms", "memory"} <= set(figures)
    assert len(figures["training"]["recommended"]["page"]["long_tasks_ms"]) == 1  # one list per run
    assert "main-thread long tasks while training" in result.stdout
    assert (tmp_path / "benchmark.png").stat().st_size > 1000
    assert "post's config, page / mlp CPython" in result.stdout
    assert "recommended / previous preset, page wall time" in result.stdout
    assert (tmp_path / "scaling.png").stat().st_size > 1000 and "epoch cost" in result.stdout
    assert figures["kernel"]["page_backend"] == "wasm-simd" and len(figures["kernel"]["page"]) == 4
