"""After one visit the site works offline (training, and the stdlib modules fetched on first import) and a second visit asks the server for nothing; a new
deploy waits until the learner reloads through the page's offer; and the benchmark script still runs (tiny mode)."""

import contextlib
import hashlib
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from mlp import usercode
from server import create_app

from ..pyodide_node import expected_backend
from .conftest import _ServerThread, open_ready, wait_until_ready
from .test_code_page import run, show_code, type_code

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
    # The stdlib the start-up does not import, fetched on first import, comes from the cache too.
    card = show_code(page)
    type_code(card, "import statistics\n\n" + usercode.SWISH.replace("1.0 / (1.0", "statistics.fmean([1.0]) / (1.0", 1))
    assert float(run(card)) < 1e-6
    context.close()


class _Requests:
    """WSGI middleware: the paths (and methods) the server was asked for."""

    def __init__(self, app):
        self.app, self.seen, self.lock = app, [], threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.seen.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}")
        return self.app(environ, start_response)


@contextlib.contextmanager
def _after_one_visit(browser, site):
    """Serve ``site``, visit it once in a fresh profile, and wait until this build's service worker is
    active, its cache filled and in charge of the page; yield the page and the server's request log."""
    app = create_app({"SITE_DIR": str(site)})
    app.wsgi_app = requests = _Requests(app.wsgi_app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = _ServerThread(server)
    context = browser.new_context()
    page = context.new_page()
    try:
        open_ready(page, f"http://127.0.0.1:{server.server_port}/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("Boolean(navigator.serviceWorker.controller)")
        yield page, requests
    finally:
        context.close()
        thread.stop()


def test_a_second_visit_asks_the_server_for_nothing(browser, site_dir):
    with _after_one_visit(browser, site_dir) as (page, requests):
        requests.seen.clear()
        page.reload()
        wait_until_ready(page)
        page.wait_for_timeout(500)
        # Only the browser's own check for a newer sw.js may reach the server: the page, its scripts,
        # Pyodide, NumPy, mlp, the data and the model all come from the service worker's cache.
        assert [r for r in requests.seen if r != "GET /sw.js"] == []


def test_a_new_deploy_is_offered_and_loaded_when_the_learner_says_so(browser, site_dir, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    with _after_one_visit(browser, site) as (page, _):
        # A new deploy: a changed page, and its sha256 and another build id in sw.js.
        index = site / "index.html"
        before = hashlib.sha256(index.read_bytes()).hexdigest()
        index.write_text(index.read_text().replace("<title>", "<title>Next build: "))
        sw = site / "sw.js"
        sw.write_text(sw.read_text().replace('"id": "', '"id": "next-').replace(
            before, hashlib.sha256(index.read_bytes()).hexdigest()))
        for stale in (site / "index.html.br", site / "index.html.gz", site / "sw.js.br", site / "sw.js.gz"):
            stale.unlink(missing_ok=True)
        page.reload()  # still this build (one build at a time), while the browser installs the next one
        wait_until_ready(page)
        assert not page.title().startswith("Next build")
        offer = page.get_by_test_id("update-notice")
        expect(offer).to_contain_text("A newer version of this site has been downloaded", timeout=60_000)
        page.reload()  # the new build waits for the learner: a plain reload keeps this one
        wait_until_ready(page)
        assert not page.title().startswith("Next build")
        with page.expect_navigation(timeout=60_000):
            offer.get_by_role("button", name="Reload to use it").click(timeout=60_000)
        wait_until_ready(page)
        assert page.title().startswith("Next build: ")


def test_benchmark_runs_in_tiny_mode(tmp_path):
    result = subprocess.run(
        [sys.executable, "tests/benchmarks/run.py", "--tiny", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads((tmp_path / "benchmark.json").read_text())
    assert {"training", "start_up", "drawing_ms", "memory"} <= set(figures)
    assert figures["start_up"]["warm_floor_s"]["n"] == 1  # it started, every file from the cache (warm_floor_visit)
    assert len(figures["training"]["recommended"]["page"]["long_tasks_ms"]) == 1  # one list per run
    assert "main-thread long tasks while training" in result.stdout
    assert (tmp_path / "benchmark.png").stat().st_size > 1000
    assert "post's config, page / mlp CPython" in result.stdout
    assert "recommended / previous preset, page wall time" in result.stdout
    assert (tmp_path / "scaling.png").stat().st_size > 1000 and "epoch cost" in result.stdout
    backend, expected = figures["kernel"]["page_backend"], expected_backend("fused")
    assert backend == expected if expected else backend in ("wasm-simd", "wasm-simd-fma")
    assert len(figures["kernel"]["page"]) == len(figures["kernel"]["page_plain"]) == 4
