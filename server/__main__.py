"""Serve the built site: python -m server [--host 127.0.0.1] [--port 8000] [--site dist]."""

import argparse
import json
import sys
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler

from . import ROOT, create_app

SOURCES = ("web", "mlp", "build.py")


def check_site(site):
    """Return a problem with the site folder as a sentence, or None if it is a usable build."""
    manifest = site / "build-manifest.json"
    if not manifest.is_file():
        return f"{site} is not a build of this site (no build-manifest.json): run `python build.py` first"
    try:
        json.loads(manifest.read_text())
    except ValueError:
        return f"{manifest} is not valid JSON: run `python build.py` again"
    built = manifest.stat().st_mtime
    if site.resolve() == (ROOT / "dist").resolve():
        newer = [
            p for s in SOURCES for p in ((ROOT / s).rglob("*") if (ROOT / s).is_dir() else [ROOT / s])
            if p.is_file() and p.stat().st_mtime > built
        ]
        if newer:
            print(f"warning: {len(newer)} source file(s) changed since the last build "
                  f"(e.g. {newer[0].relative_to(ROOT)}); run `python build.py` to update dist/", file=sys.stderr)
    return None


class RequestHandler(WSGIRequestHandler):
    """The development server's handler, whose Server header names no versions (Werkzeug's names its and Python's)."""

    def version_string(self):
        return "mlp-from-scratch"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--site", type=Path, default=ROOT / "dist", help="built site folder (default: dist/)")
    parser.add_argument("--no-isolation", action="store_true",
                        help="do not send COOP/COEP (cross-origin isolation) headers, as a plain static host;"
                             " the service worker adds them from the second visit on")
    args = parser.parse_args(argv)
    problem = check_site(args.site)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    app = create_app({"SITE_DIR": str(args.site.resolve()), "CROSS_ORIGIN_ISOLATION": not args.no_isolation})
    print(f"Serving {args.site} at http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    app.run(host=args.host, port=args.port, debug=False, threaded=True, request_handler=RequestHandler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
