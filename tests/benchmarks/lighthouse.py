"""Lighthouse's performance audit of the page, mobile and desktop side by side, several runs each.

    npm i -E lighthouse@12.2.3 --prefix /tmp/lh          # once
    python tests/benchmarks/lighthouse.py --lighthouse /tmp/lh/node_modules/.bin/lighthouse
    python tests/benchmarks/lighthouse.py --lighthouse ... --runs 1 --url http://127.0.0.1:8000/

Serves dist/ with the Flask app (as ``python -m server`` does) on a free
loopback port unless --url is given, runs Lighthouse with the Chromium the
e2e tests use (``CHROME_PATH``), and prints, for each preset, the median and
the range over the runs of: the performance score, cumulative layout shift,
total blocking time, first and largest contentful paint, and the longest
main-thread task with its script. Lighthouse's mobile preset simulates a 4x
slower CPU, so its blocking time is what a phone would see; on a machine
shared with other jobs the scores move by a few points between runs.
"""

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from server import create_app  # noqa: E402
from tests.browser import CHROMIUM_FLAGS, SYSTEM_CHROMIUM  # noqa: E402

PRESETS = {"mobile": [], "desktop": ["--preset=desktop"]}


def audit(lighthouse, url, preset, chrome):
    """One Lighthouse run: the figures that matter here."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        flags = " ".join(["--headless=new", *CHROMIUM_FLAGS])
        subprocess.run([lighthouse, url, *PRESETS[preset], "--only-categories=performance", "--output=json",
                        f"--output-path={report}", f"--chrome-flags={flags}", "--quiet"],
                       check=True, timeout=600, env={**os.environ, "CHROME_PATH": chrome})
        result = json.loads(report.read_text())
    audits = result["audits"]
    tasks = audits.get("long-tasks", {}).get("details", {}).get("items", [])
    longest = max(tasks, key=lambda t: t["duration"], default={"duration": 0, "url": ""})
    return {
        "performance": round(100 * result["categories"]["performance"]["score"]),
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "longest_task_ms": longest["duration"],
        "longest_task": longest["url"].rsplit("/", 1)[-1] or "(the document)",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lighthouse", required=True, help="the lighthouse 12.2.3 executable")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", help="audit this page instead of serving dist/")
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH") or next((c for c in SYSTEM_CHROMIUM if Path(c).exists()), None)
    if not chrome:
        sys.exit("no Chromium: set CHROME_PATH")
    server = None
    url = args.url
    if not url:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, create_app({"SITE_DIR": str(ROOT / "dist")}), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/"
    try:
        runs = {preset: [audit(args.lighthouse, url, preset, chrome) for _ in range(args.runs)] for preset in PRESETS}
    finally:
        if server:
            server.shutdown()
    print(f"{'':10}{'performance':>16}{'CLS':>20}{'TBT ms':>16}{'FCP ms':>18}{'LCP ms':>18}  longest task")
    for preset, results in runs.items():
        cells = []
        for key, digits in (("performance", 0), ("cls", 3), ("tbt_ms", 0), ("fcp_ms", 0), ("lcp_ms", 0)):
            values = [r[key] for r in results]
            cells.append(f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})")
        worst = max(results, key=lambda r: r["longest_task_ms"])
        print(f"{preset:10}" + "".join(f"{c:>{w}}" for c, w in zip(cells, (16, 20, 16, 18, 18), strict=True)) + f"  {worst['longest_task_ms']:.0f} ms, {worst['longest_task']}")
    print(f"(median (min-max) of {args.runs} runs; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
