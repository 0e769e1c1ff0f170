"""The Flask server, through its test client, on a small fake build."""

import json
import re

import pytest

from server import create_app
from server.__main__ import check_site


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "pyodide").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "js").mkdir()
    (root / "index.html").write_text("<!doctype html><title>t</title>")
    (root / "build-manifest.json").write_text("{}")
    (root / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm\1\0\0\0")
    (root / "pyodide" / "pyodide.mjs").write_text("export {}")
    (root / "js" / "main.js").write_text("export {}")
    (root / "js" / "big.js").write_text("export const x = 1;" * 100)
    (root / "js" / "big.js.gz").write_bytes(b"gzip bytes")
    (root / "js" / "big.js.br").write_bytes(b"brotli bytes")
    (root / "data" / "datasets.json").write_text(json.dumps({"datasets": [{"name": "digits", "n_samples": 3}]}))
    (tmp_path / "secret.txt").write_text("outside the site")
    return root


@pytest.fixture
def app(site):
    return create_app({"SITE_DIR": str(site), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.mark.parametrize(
    "path, mime",
    [
        ("/", "text/html"),
        ("/index.html", "text/html"),
        ("/pyodide/pyodide.asm.wasm", "application/wasm"),
        ("/pyodide/pyodide.mjs", "text/javascript"),
        ("/js/main.js", "text/javascript"),
        ("/build-manifest.json", "application/json"),
    ],
)
def test_mime_types(client, path, mime):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == mime


def test_security_headers_everywhere(client):
    for path in ["/", "/js/main.js", "/missing", "/api/datasets", "/api/nope"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "worker-src 'self'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"


def test_isolation_headers_can_be_turned_off(site):
    client = create_app({"SITE_DIR": str(site), "CROSS_ORIGIN_ISOLATION": False}).test_client()
    headers = client.get("/").headers
    assert "Cross-Origin-Embedder-Policy" not in headers and "X-Content-Type-Options" in headers


def test_caching(client):
    """Nothing is immutable: build.py rewrites some files under the same URL (tests/e2e/test_rebuild.py)."""
    assert client.get("/pyodide/pyodide.asm.wasm").headers["Cache-Control"] == "no-cache"
    assert client.get("/").headers["Cache-Control"] == "no-cache"
    assert client.get("/build-manifest.json").headers["Cache-Control"] == "no-cache"


def test_conditional_get_returns_304(client):
    first = client.get("/js/main.js")
    etag = first.headers["ETag"]
    again = client.get("/js/main.js", headers={"If-None-Match": etag})
    assert again.status_code == 304


ATTACKS = [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/%252e%252e/secret.txt",
    "/..%2fsecret.txt", "/..%2Fsecret.txt", "/%2e%2e%2fsecret.txt", "/js/../../secret.txt",
    "/js/%2e%2e/%2e%2e/secret.txt", "/js/..%2f..%2fsecret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt",
    "/..%5csecret.txt", "/js\\..\\..\\secret.txt", "//etc/passwd", "/etc/passwd", "/%2fetc%2fpasswd",
    "/%2Fetc%2Fpasswd", "/pyodide/%2e%2e/%2e%2e/secret.txt", "/./../secret.txt", "/.%2e/secret.txt",
    "/%2e./secret.txt", "/....//secret.txt", "/..;/secret.txt", "/%c0%ae%c0%ae/secret.txt",
    "/%c0%ae%c0%ae%c0%afsecret.txt", "/%e0%80%ae%e0%80%ae/secret.txt", "/..%00/secret.txt",
    "/index.html%00", "/%00", "/secret.txt%00.html", "/" + "a" * 5000, "/" + "../" * 50 + "etc/passwd",
    "/js/" + "%2e%2e/" * 20 + "secret.txt", "/C:/Windows/win.ini", "/C:%5cWindows%5cwin.ini",
    "/\\\\server\\share", "/file:///etc/passwd", "/~/secret.txt", "/%7e/secret.txt",
    "/link-out/secret.txt", "/link-file", "/js/link-up/secret.txt", "/link-out", "/proc/self/environ",
]


def test_the_attack_table_is_long_enough():
    assert len(ATTACKS) >= 40


@pytest.mark.parametrize("path", ATTACKS)
def test_path_traversal_is_404(client, site, path):
    (site / "link-out").symlink_to(site.parent, target_is_directory=True)
    (site / "link-file").symlink_to(site.parent / "secret.txt")
    (site / "js" / "link-up").symlink_to(site.parent, target_is_directory=True)
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert b"outside the site" not in response.data and b"root:" not in response.data
    assert b"Traceback" not in response.data
    assert "Content-Security-Policy" in response.headers


def test_errors_are_json_under_api_and_html_elsewhere(client):
    api = client.get("/api/nothing-here")
    assert api.status_code == 404 and api.is_json
    page = client.get("/nothing-here")
    assert page.status_code == 404 and page.mimetype == "text/html" and b"404" in page.data


def test_an_unexpected_error_is_a_plain_500(site):
    app = create_app({"SITE_DIR": str(site)})

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/api/boom")
    assert response.status_code == 500 and response.get_json()["status"] == 500
    assert b"secret detail" not in response.data and b"Traceback" not in response.data
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "accept, encoding, body",
    [
        ("br, gzip", "br", b"brotli bytes"),
        ("gzip, deflate", "gzip", b"gzip bytes"),
        ("gzip;q=1.0, br;q=0.5", "br", b"brotli bytes"),
        ("", None, b"export const x = 1;" * 100),
        ("identity", None, b"export const x = 1;" * 100),
    ],
)
def test_precompressed_files_are_sent_when_accepted(client, accept, encoding, body):
    response = client.get("/js/big.js", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.mimetype == "text/javascript"
    assert response.data == body


def test_files_without_variants_are_sent_as_they_are(client):
    response = client.get("/js/main.js", headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in response.headers and "Vary" not in response.headers


def test_api_lists_datasets(client):
    assert client.get("/api/datasets").get_json() == [{"name": "digits", "n_samples": 3}]
    assert client.get("/api/datasets/digits").get_json()["n_samples"] == 3


def test_api_unknown_dataset_is_json_404(client):
    response = client.get("/api/datasets/mnist")
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("path", ["/", "/index.html", "/api/datasets", "/healthz"])
def test_other_methods_are_405(client, method, path):
    assert getattr(client, method)(path).status_code == 405


def test_oversized_requests_in_the_app(client):
    assert client.get("/" + "a" * 9000).status_code == 414
    assert client.get("/", headers={"X-Big": "b" * 20_000}).status_code == 431


def test_head_works(client):
    response = client.head("/js/main.js")
    assert response.status_code == 200 and response.data == b""


def test_refuses_a_folder_that_is_not_a_build(tmp_path, site):
    assert "run `python build.py`" in check_site(tmp_path)
    assert check_site(site) is None


def test_load_smoke_run_has_no_errors(site_dir):
    """The load test in a tiny mode, against gunicorn and the dev server (loopback only)."""
    from tests.benchmarks.load import main as load

    for row in load(["--clients", "4", "--seconds", "3", "--dev-seconds", "2"]):
        assert row["errors"] == 0 and row["requests"] > 0, row


@pytest.mark.parametrize("kind", ["gunicorn", "dev"])
def test_oversized_urls_and_headers_are_refused_cleanly(site_dir, kind):
    import http.client

    from tests.benchmarks.load import free_port, start

    port = free_port()
    proc = start(kind, site_dir, port)
    try:
        statuses = []
        for path, headers in [("/" + "a" * 20_000, {}), ("/", {"X-Big": "b" * 20_000})]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", path, headers=headers)
                statuses.append(conn.getresponse().status)
            except (ConnectionError, http.client.HTTPException):
                statuses.append("closed")
            finally:
                conn.close()
    finally:
        proc.terminate()
        proc.wait(10)
    assert all(s in (400, 404, 414, 431, "closed") for s in statuses), statuses


@pytest.mark.parametrize("kind", ["gunicorn", "dev"])
def test_a_real_server_answers_a_long_name_with_404_and_names_no_versions(site_dir, kind):
    """A path segment over 255 bytes, with the Accept-Encoding every browser sends, is a 404 (the
    precompressed lookup raised "file name too long": a 500); no response names a version."""
    import http.client

    from tests.benchmarks.load import free_port, start

    port = free_port()
    proc = start(kind, site_dir, port)
    try:
        answers = []
        for path in ("/" + "a" * 300, "/js/" + "b" * 300 + ".js", "/"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "gzip, deflate, br"})
                response = conn.getresponse()
                answers.append((response.status, response.getheader("Server") or ""))
            finally:
                conn.close()
    finally:
        proc.terminate()
        proc.wait(10)
    assert [status for status, _ in answers] == [404, 404, 200]
    for _, server in answers:
        assert not re.search(r"\d|python|werkzeug", server, re.I), server
