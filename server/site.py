"""The static site: files from the built dist/ folder, with MIME types and caching set explicitly."""

from pathlib import Path

from flask import Blueprint, current_app, send_from_directory

site = Blueprint("site", __name__)

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    # Pyodide uses WebAssembly.instantiateStreaming, which refuses any other type.
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".bin": "application/octet-stream",
    ".map": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}

# Pyodide's files are named by version in the build, so they never change
# under the same URL; everything else must be revalidated (ETag, 304).
IMMUTABLE_PREFIXES = ("pyodide/",)


def _send(path):
    folder = Path(current_app.config["SITE_DIR"])
    response = send_from_directory(folder, path)
    suffix = Path(path).suffix.lower()
    response.headers["Content-Type"] = MIME_TYPES.get(suffix, "application/octet-stream")
    if path.startswith(IMMUTABLE_PREFIXES):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response


@site.get("/")
def index():
    """The page."""
    return _send("index.html")


@site.get("/<path:path>")
def static_file(path):
    """Any file of the built site; 404 for anything outside it."""
    return _send(path)
