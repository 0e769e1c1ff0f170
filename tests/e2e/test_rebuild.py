"""After a rebuild, a browser without the service worker (blocked, a private window, before it takes
control) loads the new build whole: no file that build.py rewrites is cached as immutable, so Pyodide's
lock never names another NumPy wheel than the one served."""

import hashlib
import json
import shutil

import pytest
from werkzeug.serving import make_server

import build
from server import create_app

from .conftest import _ServerThread, open_ready, wait_until_ready

pytestmark = pytest.mark.e2e

SERVED = """async () => {
    const lock = await (await fetch("pyodide/pyodide-lock.json")).json();
    const entry = lock.packages.numpy;
    const wheel = await (await fetch("pyodide/" + entry.file_name)).arrayBuffer();
    const digest = await crypto.subtle.digest("SHA-256", wheel);
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    return {lock: entry.sha256, wheel: hex};
}"""


def test_a_rebuild_is_loaded_whole_without_the_service_worker(browser, site_dir, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    server = make_server("127.0.0.1", 0, create_app({"SITE_DIR": str(site)}), threaded=True)
    thread = _ServerThread(server)
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        open_ready(page, url)
        before = page.evaluate(SERVED)
        assert before["lock"] == before["wheel"]
        # A rebuild that rewrites the archives under the same URLs: Pyodide's lock, the stdlib zips,
        # NumPy's repacked wheel (here, deflated members instead of stored ones).
        official = build.official_lock()
        (wheel,) = (site_dir / "wheels").glob("*.whl")
        build.precompile_python(site, official, build.fetch_numpy_wheel(official["packages"]["numpy"]["sha256"]),
                                wheel.name, archives="deflated")
        rewritten = ("pyodide-lock.json", "python_stdlib.zip", "python_stdlib_rest.zip", build.NUMPY_WHEEL)
        for name in rewritten:  # their precompressed copies are the old build's (build.py's precompress rewrites them)
            for ext in (".br", ".gz"):
                (site / "pyodide" / f"{name}{ext}").unlink(missing_ok=True)
        _record_in_manifest(site, [f"pyodide/{name}" for name in rewritten])
        on_disk = json.loads((site / "pyodide" / "pyodide-lock.json").read_text())["packages"]["numpy"]["sha256"]
        assert on_disk != before["lock"]
        page.reload()
        wait_until_ready(page)
        after = page.evaluate(SERVED)
        assert after == {"lock": on_disk, "wheel": on_disk}
        assert hashlib.sha256((site / "pyodide" / build.NUMPY_WHEEL).read_bytes()).hexdigest() == on_disk
    finally:
        context.close()
        thread.stop()


def _record_in_manifest(site, paths):
    """Record ``paths``' new sizes and hashes in the build's manifest, as the rebuild's write_manifest does."""
    path = site / "build-manifest.json"
    manifest = json.loads(path.read_text())
    for name in paths:
        manifest["files"][name] = {"bytes": (site / name).stat().st_size, "sha256": build.sha256_file(site / name)}
    path.write_text(json.dumps(manifest))
    for ext in (".br", ".gz"):
        site.joinpath(f"build-manifest.json{ext}").unlink(missing_ok=True)
