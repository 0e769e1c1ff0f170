"""Make sure a Chromium exists for the end-to-end tests; install Debian's when it does not.

Playwright cannot download its own browsers on machines that reach only the
package registries, so the tests use Playwright's Chromium when it is there
and the system one (Debian package ``chromium``) otherwise.
"""

import os
import shutil
import subprocess
import sys

from browser import HOW_TO_GET_ONE, chromium_executable
from playwright.sync_api import sync_playwright


def found():
    with sync_playwright() as p:
        try:
            return chromium_executable(p) or p.chromium.executable_path
        except FileNotFoundError:
            return None


def main():
    path = found()
    if path:
        print(f"[ok] Chromium for the e2e tests: {path}")
        return 0
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("[step] installing Debian's chromium (apt-get)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "fonts-dejavu-core"], check=True, env=env)
        if found():
            print("[ok] Chromium installed")
            return 0
    print(f"[error] {HOW_TO_GET_ONE}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
