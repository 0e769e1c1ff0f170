"""A small Flask server for the built site (dist/) and its datasets.

    python -m server                      # http://127.0.0.1:8000/
    gunicorn "server:create_app()"        # behind a production WSGI server

It serves files with explicit MIME types (Pyodide needs ``application/wasm``),
sensible caching, and security headers on every response, and it exposes the
dataset manifest as a small JSON API.
"""

from pathlib import Path

from flask import Flask, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    RequestHeaderFieldsTooLarge,
    RequestURITooLarge,
)

from .api import api
from .site import site

ROOT = Path(__file__).resolve().parent.parent

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

ISOLATION = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}
"""Cross-origin isolation: it gives the page SharedArrayBuffer, which Pyodide's
interrupt buffer needs for Stop to reach Python mid-call. Everything the page
loads is same-origin, so nothing needs to opt in."""

PAGE_HEADERS = {"Content-Security-Policy": CSP, **ISOLATION}
"""What the page and its scripts need from any host. The service worker adds
them itself (build.py stamps them into sw.js), on hosts that send none."""


def create_app(config=None):
    """Build the app. ``config`` overrides the defaults (e.g. ``SITE_DIR`` for tests)."""
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(
        SITE_DIR=str(ROOT / "dist"),
        CROSS_ORIGIN_ISOLATION=True,
        MAX_CONTENT_LENGTH=1024 * 1024,
        MAX_URL_BYTES=8 * 1024,
        MAX_HEADER_BYTES=16 * 1024,
    )
    if config:
        app.config.from_mapping(config)
    app.register_blueprint(api)
    app.register_blueprint(site)

    @app.before_request
    def refuse_oversized_requests():
        """Production servers cut these off themselves; the development server must too."""
        if len(request.environ.get("RAW_URI") or request.full_path) > app.config["MAX_URL_BYTES"]:
            raise RequestURITooLarge()
        if sum(len(k) + len(v) for k, v in request.headers.items()) > app.config["MAX_HEADER_BYTES"]:
            raise RequestHeaderFieldsTooLarge()

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        if app.config["CROSS_ORIGIN_ISOLATION"]:
            headers.update(ISOLATION)
            headers["Cross-Origin-Resource-Policy"] = "same-origin"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error):
        """Errors as JSON under /api/, as a short HTML page elsewhere; never a traceback."""
        if request.path.startswith("/api/"):
            return jsonify(error=error.name, status=error.code), error.code
        page = f"<!doctype html><title>{error.code}</title><h1>{error.code} {escape(error.name)}</h1>"
        return page, error.code, {"Content-Type": "text/html; charset=utf-8"}

    @app.errorhandler(Exception)
    def unexpected_error(error):
        """Anything else is logged and answered with a plain 500."""
        app.logger.exception("unhandled error")
        return http_error(InternalServerError())

    return app
