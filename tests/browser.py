"""Which Chromium to drive, and how: shared by the e2e tests and the benchmarks."""

import os
import shutil
from pathlib import Path

SYSTEM_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-background-networking",  # nothing outside loopback is reachable
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HOW_TO_GET_ONE = (
    "no Chromium found. Install one: `apt-get install chromium` (Debian), or "
    "`python -m playwright install chromium` where downloads work, or set CHROMIUM=/path/to/chrome"
)


def chromium_executable(playwright):
    """None for Playwright's own Chromium when installed, else the system one's path.

    Raises
    ------
    FileNotFoundError
        With how to get a browser, when there is none.
    """
    if Path(playwright.chromium.executable_path).exists():
        return None
    for candidate in (os.environ.get("CHROMIUM"), *SYSTEM_CHROMIUM, shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    raise FileNotFoundError(HOW_TO_GET_ONE)


def launch_args(playwright):
    """Keyword arguments for ``playwright.chromium.launch``."""
    args = {"args": CHROMIUM_FLAGS}
    executable = chromium_executable(playwright)
    if executable:
        args["executable_path"] = executable
    return args
