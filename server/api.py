"""JSON API: the datasets that the build exported, and a health check."""

import json
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify

api = Blueprint("api", __name__)


def _datasets():
    path = Path(current_app.config["SITE_DIR"]) / "data" / "datasets.json"
    try:
        return json.loads(path.read_text())["datasets"]
    except (OSError, ValueError, KeyError):
        return []


@api.get("/api/datasets")
def list_datasets():
    """All exported datasets with their metadata."""
    return jsonify(_datasets())


@api.get("/api/datasets/<name>")
def get_dataset(name):
    """One dataset's metadata, or a 404 JSON error."""
    for entry in _datasets():
        if entry["name"] == name:
            return jsonify(entry)
    abort(404)


@api.get("/healthz")
def healthz():
    """Liveness check."""
    return jsonify(status="ok")
