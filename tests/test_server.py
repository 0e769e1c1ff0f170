"""The Flask server, through its test client, on a small fake build."""

import json

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
    assert "immutable" in client.get("/pyodide/pyodide.asm.wasm").headers["Cache-Control"]
    assert client.get("/").headers["Cache-Control"] == "no-cache"
    assert client.get("/build-manifest.json").headers["Cache-Control"] == "no-cache"


def test_conditional_get_returns_304(client):
    first = client.get("/js/main.js")
    etag = first.headers["ETag"]
    again = client.get("/js/main.js", headers={"If-None-Match": etag})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "/..%2fsecret.txt",
        "/js/../../secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/%2fetc%2fpasswd",
        "/pyodide/%2e%2e/%2e%2e/secret.txt",
    ],
)
def test_path_traversal_is_404(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert b"outside the site" not in response.data and b"root:" not in response.data


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


def test_head_works(client):
    response = client.head("/js/main.js")
    assert response.status_code == 200 and response.data == b""


def test_refuses_a_folder_that_is_not_a_build(tmp_path, site):
    assert "run `python build.py`" in check_site(tmp_path)
    assert check_site(site) is None
