"""Code run in the site's origin cannot change what the site serves: a learner's code cannot reach
Cache Storage or IndexedDB, and what is planted there anyway (by any script of the origin, as
another site on a shared GitHub Pages origin could) is never served; the page and its scripts
carry the page's CSP even from a host that sends none."""

import shutil

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from server import CSP, create_app

from .conftest import _ServerThread, open_ready, wait_until_ready
from .test_code_page import show_code, type_code

pytestmark = pytest.mark.e2e

PLANTED = "<!doctype html><title>Planted</title><script>document.title = 'Planted script ran'</script>"

def _controlled(page, url):
    """Open ``url`` and wait until this build's service worker controls the page."""
    open_ready(page, url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("Boolean(navigator.serviceWorker.controller)")


def test_a_learners_code_cannot_reach_the_caches_or_indexeddb(page, live_server):
    _controlled(page, live_server)
    card = show_code(page)
    for reach in ("js.caches", "js.indexedDB", "js.Worker"):
        type_code(card, f"import js\n\nthing = {reach}\n\ndef activation(z):\n    return z\n")
        card.get_by_role("button", name="Run my code").click()
        expect(card).to_have_attribute("data-state", "idle", timeout=60_000)
        expect(page.get_by_test_id("code-message")).to_contain_text(f"AttributeError: {reach[3:]}")
    assert page.evaluate("caches.keys()") and page.evaluate("typeof indexedDB") == "object"  # the page keeps them


def test_files_planted_in_the_cache_are_never_served(browser, pages_server):
    context = browser.new_context()
    page = context.new_page()
    try:
        _controlled(page, pages_server)
        planted = page.evaluate(
            """async (html) => {
                const [name] = (await caches.keys()).filter((n) => n.startsWith("mlp-from-scratch-"));
                const cache = await caches.open(name);
                const root = new URL("./", location.href).href;
                const plant = (path, body, type) => cache.put(root + path, new Response(body, {headers: {"Content-Type": type}}));
                await plant("", html, "text/html");
                await plant("index.html", html, "text/html");
                await plant("js/main.js", "document.title = 'Planted module ran';", "text/javascript");
                await plant("build-manifest.json", JSON.stringify({files: {}, planted: true}), "application/json");
                await plant("not-in-the-build.html", html, "text/html");
                return (await cache.keys()).length;
            }""",
            PLANTED,
        )
        assert planted > 60
        # The next visit, in a new tab: the real page, its scripts and manifest, with the page's CSP.
        page.close()
        page = context.new_page()
        response = page.goto(pages_server)
        wait_until_ready(page)
        assert "Planted" not in page.title()
        assert response.headers.get("content-security-policy") == CSP
        manifest = page.evaluate("fetch('build-manifest.json').then((r) => r.json())")
        assert "planted" not in manifest and "index.html" in manifest["files"]
        worker_script = page.request.get(pages_server + "js/py-worker.js")  # not through the worker: the host's own
        assert "content-security-policy" not in worker_script.headers
        served = page.evaluate(
            """async () => {
                const r = await fetch("js/py-worker.js");
                return {csp: r.headers.get("Content-Security-Policy"), main: await (await fetch("js/main.js")).text()};
            }"""
        )
        assert served["csp"] == CSP and "Planted" not in served["main"]
        # A URL that is not part of the build goes to the server (which has no such file), never to the cache.
        assert page.evaluate("fetch('not-in-the-build.html').then((r) => r.status)") == 404
        # The page's damaged entry was replaced with the build's own bytes.
        cached = page.evaluate(
            """async () => {
                const [name] = (await caches.keys()).filter((n) => n.startsWith("mlp-from-scratch-"));
                return (await (await caches.open(name)).match("./")).text();
            }"""
        )
        assert "Planted" not in cached and "<title>" in cached
    finally:
        context.close()


def test_a_file_that_is_not_this_builds_fails_loudly(browser, site_dir, tmp_path):
    """A damaged cache entry is fetched again; if the server's copy is not this build's either
    (a newer deploy, a half-copied site), the request fails with a message that names the file."""
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    server = make_server("127.0.0.1", 0, create_app({"SITE_DIR": str(site)}), threaded=True)
    thread = _ServerThread(server)
    context = browser.new_context()
    page = context.new_page()
    damage = """async () => {
        const [name] = (await caches.keys()).filter((n) => n.startsWith("mlp-from-scratch-"));
        await (await caches.open(name)).put("css/style.css", new Response("body { display: none }"));
    }"""
    fetch_style = "fetch('css/style.css').then(async (r) => [r.status, await r.text()])"
    try:
        _controlled(page, f"http://127.0.0.1:{server.server_port}/")
        page.evaluate(damage)
        # The server has the build's file: fetched again, checked, served and cached.
        assert page.evaluate(fetch_style) == [200, (site / "css" / "style.css").read_text()]
        page.evaluate(damage)
        (site / "css" / "style.css").write_text("body { color: red }")
        for stale in (site / "css" / "style.css.br", site / "css" / "style.css.gz"):
            stale.unlink(missing_ok=True)
        status, text = page.evaluate(fetch_style)
        assert status == 503 and text.startswith("css/style.css: the server's copy is not this build's")
    finally:
        context.close()
        thread.stop()
