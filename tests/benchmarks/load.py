"""Load test on loopback: many clients fetching the cold-start files, against gunicorn and the dev server.

    python tests/benchmarks/load.py                       # 50 clients x 60 s (gunicorn), 20 s (dev server)
    python tests/benchmarks/load.py --clients 4 --seconds 3   # a smoke run

Every request goes to 127.0.0.1 only; each client stops at the deadline or
after --max-requests, whichever comes first. It reports requests/s, MB/s,
p50/p99 latency and the error count for each server.
"""

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402


def cold_start_paths(site):
    """The files a first visit downloads, from the build manifest."""
    manifest = json.loads((site / "build-manifest.json").read_text())
    wanted = ("index.html", "css/", "js/", "vendor/uplot/uPlot", "config-schema.json", "favicon.svg",
              "pyodide/pyodide.mjs", "pyodide/pyodide.asm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json",
              "pyodide/numpy-", "wheels/", "data/", "models/")
    paths = [p for p in manifest["files"] if p.startswith(wanted) and not p.endswith((".gz", ".br"))]
    return ["/", "/build-manifest.json"] + [f"/{p}" for p in sorted(paths)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start")


def start(kind, site, port):
    if kind == "gunicorn":
        app = f"server:create_app({{'SITE_DIR': {str(site)!r}}})"
        cmd = [sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "8",
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", app]
    else:
        cmd = [sys.executable, "-m", "server", "--port", str(port), "--site", str(site)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port)
    return proc


def client(port, paths, deadline, max_requests, out):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, errors, received = [], 0, 0
    while time.time() < deadline and len(latencies) + errors < max_requests:
        for path in paths:
            if time.time() >= deadline:
                break
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "br, gzip"})
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    errors += 1
                received += len(body)
                latencies.append(time.perf_counter() - start)
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.close()
    out.append((latencies, errors, received))


def run(kind, site, clients, seconds, max_requests):
    port = free_port()
    proc = start(kind, site, port)
    paths = cold_start_paths(site)
    results = []
    try:
        deadline = time.time() + seconds
        threads = [threading.Thread(target=client, args=(port, paths, deadline, max_requests, results)) for _ in range(clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 60)
        elapsed = time.perf_counter() - began
    finally:
        proc.terminate()
        proc.wait(10)
    latencies = sorted(x for r in results for x in r[0])
    errors = sum(r[1] for r in results)
    received = sum(r[2] for r in results)
    p = lambda q: 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")  # noqa: E731
    return {"server": kind, "clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies) + errors,
            "requests_per_s": len(latencies) / elapsed, "mb_per_s": received / elapsed / 1e6,
            "p50_ms": p(0.50), "p99_ms": p(0.99), "mean_ms": 1000 * statistics.fmean(latencies) if latencies else None,
            "errors": errors}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--dev-seconds", type=float, help="duration against the dev server (default: a third)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per client, a hard bound")
    args = parser.parse_args(argv)
    site = build.DIST
    if not (site / "build-manifest.json").exists():
        build.build(site)
    rows = [
        run("gunicorn", site, args.clients, args.seconds, args.max_requests),
        run("dev", site, args.clients, args.dev_seconds or args.seconds / 3, args.max_requests),
    ]
    print(f"{'server':<10}{'clients':>8}{'s':>6}{'requests':>10}{'req/s':>9}{'MB/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for r in rows:
        print(f"{r['server']:<10}{r['clients']:>8}{r['seconds']:>6}{r['requests']:>10}{r['requests_per_s']:>9.1f}"
              f"{r['mb_per_s']:>8.1f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['errors']:>8}")
    return rows


if __name__ == "__main__":
    main()
