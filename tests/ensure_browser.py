"""Make sure a Chromium exists for the end-to-end tests; install Debian's when it does not.

Playwright cannot download its own browsers on machines that reach only the
package registries, so the tests use Playwright's Chromium when it is there
and the system one (Debian package ``chromium``) otherwise.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def playwright_chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as p:
        path = Path(p.chromium.executable_path)
    return path if path.exists() else None


def system_chromium():
    for candidate in (os.environ.get("CHROMIUM"), *SYSTEM_CHROMIUM):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


def main():
    found = playwright_chromium() or system_chromium()
    if found:
        print(f"[ok] Chromium for the e2e tests: {found}")
        return 0
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("[step] installing Debian's chromium (apt-get)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "fonts-dejavu-core"], check=True, env=env)
        if system_chromium():
            print("[ok] Chromium installed")
            return 0
    print(
        "[error] no Chromium for the end-to-end tests. Install one: `sudo apt-get install chromium` "
        "(Debian/Ubuntu), or `python -m playwright install chromium` where downloads work, "
        "or set CHROMIUM=/path/to/chrome",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
