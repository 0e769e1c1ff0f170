"""End-to-end fixtures: a live Flask server, a GitHub-Pages-like static server, and one shared Chromium.

The browser is pytest-playwright's, shared by the whole run; these fixtures
only tell it which executable to use. The site is built once per run
(``site_dir`` in tests/conftest.py).
"""

import functools
import http.server
import logging
import threading

import pytest
from werkzeug.serving import make_server

from server import create_app

from ..browser import launch_args


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    try:
        return {**browser_type_launch_args, **launch_args(playwright)}
    except FileNotFoundError as exc:
        pytest.fail(f"end-to-end tests: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def base_url():
    """No base URL: each test opens the server it is about (``live_server``, ``pages_server``).

    Defined here so that pytest-playwright's fallback ``base_url``, a
    session-scoped fixture written as an instance method (which pytest 9
    deprecates and pytest 10 removes), is never used.
    """
    return None


class _ServerThread:
    def __init__(self, server):
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture(scope="session")
def live_server(site_dir):
    """The Flask app on a free loopback port; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app({"SITE_DIR": str(site_dir)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = _ServerThread(server)
    yield f"http://127.0.0.1:{server.server_port}/"
    thread.stop()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
    }

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def pages_server(site_dir, tmp_path_factory):
    """A plain static server with dist/ under a subpath and no special headers, like GitHub Pages."""
    root = tmp_path_factory.mktemp("pages")
    (root / "mlp-from-scratch").symlink_to(site_dir, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = _ServerThread(server)
    yield f"http://127.0.0.1:{server.server_port}/mlp-from-scratch/"
    thread.stop()


@pytest.fixture
def console_errors(page):
    """Console errors and uncaught page errors seen during the test."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def wait_until_ready(page, timeout=120_000):
    """Wait for Python to be up and the current model shown."""
    page.locator('[data-testid="runtime-status"][data-state="ready"]').wait_for(timeout=timeout)
    page.locator('[data-testid="model-summary"][data-origin]').wait_for(timeout=30_000)


def open_ready(page, url):
    page.goto(url)
    wait_until_ready(page)
    return page


@pytest.fixture(scope="session")
def axe_source():
    """axe-core, vendored from npm into the build cache."""
    import build

    return build.npm_file(*build.AXE_CORE, "axe.min.js").decode()
