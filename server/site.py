"""The static site: files from the built dist/ folder, with MIME types and caching set explicitly."""

from pathlib import Path

from flask import Blueprint, abort, current_app, request, send_from_directory

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

# Every file is revalidated (ETag, 304), none is immutable: build.py rewrites
# files under the same URL when the project changes (Pyodide's lock, the stdlib
# archives, NumPy's repacked wheel), and a browser without the service worker
# must never mix an old lock with a new wheel.
CACHE_CONTROL = "no-cache"


# build.py writes these beside compressible files; preferred in this order.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def _is_file(path):
    """Whether ``path`` is a file: a name no file system holds (a segment over 255 bytes, a NUL) is none."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _precompressed(folder, path):
    """The best precompressed variant the client accepts, as (encoding, path), or (None, path)."""
    accepted = {part.split(";")[0].strip() for part in request.headers.get("Accept-Encoding", "").split(",")}
    for encoding, ext in ENCODINGS:
        if encoding in accepted and _is_file(folder / f"{path}{ext}") and _is_file(folder / path):
            return encoding, f"{path}{ext}"
    return None, path


def _send(path):
    folder = Path(current_app.config["SITE_DIR"])
    encoding, stored = _precompressed(folder, path)
    # send_from_directory rejects "..", but follows symlinks: a link placed
    # in the site that points elsewhere must not serve what it points to.
    try:
        real = (folder / stored).resolve(strict=True)
    except (OSError, ValueError):
        abort(404)
    if not real.is_relative_to(folder.resolve()) or not real.is_file():
        abort(404)
    response = send_from_directory(folder, stored)
    suffix = Path(path).suffix.lower()
    response.headers["Content-Type"] = MIME_TYPES.get(suffix, "application/octet-stream")
    if any(_is_file(folder / f"{path}{ext}") for _, ext in ENCODINGS):
        response.headers["Vary"] = "Accept-Encoding"
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


@site.get("/")
def index():
    """The page."""
    return _send("index.html")


@site.get("/<path:path>")
def static_file(path):
    """Any file of the built site; 404 for anything outside it."""
    return _send(path)
