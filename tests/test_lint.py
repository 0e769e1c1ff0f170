"""The linters the two ecosystems use, run clean: ruff on the Python, ESLint on the JavaScript.

ruff's rules are in pyproject.toml ([tool.ruff]); ESLint's, and its pinned
version, in tests/lint/ (installed there with ``npm ci`` on first use).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = ROOT / "tests" / "lint"


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or pytest.fail("ruff is not installed: pip install -r requirements-dev.lock")
    result = subprocess.run([ruff, "check", "mlp", "server", "build.py", "web", "tests"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _eslint():
    """ESLint as tests/lint/package-lock.json pins it, installed with npm ci when missing or out of date."""
    binary = LINT / "node_modules" / ".bin" / "eslint"
    installed = LINT / "node_modules" / ".package-lock.json"  # npm writes it on every install
    if not installed.exists() or installed.stat().st_mtime < (LINT / "package-lock.json").stat().st_mtime:
        npm = shutil.which("npm") or pytest.fail("npm is needed for ESLint (and for the build)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=LINT, check=True, timeout=600, capture_output=True)
    return binary


def test_eslint_finds_nothing():
    result = subprocess.run([str(_eslint()), "--config", str(LINT / "eslint.config.mjs"), "web"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linters_can_fail(tmp_path):
    """Each linter reports a planted mistake, so a clean run means something."""
    bad_py = tmp_path / "bad.py"
    bad_py.write_text("import os\n")
    ruff = shutil.which("ruff") or pytest.fail("ruff is not installed")
    assert subprocess.run([ruff, "check", "--isolated", "--select", "F", str(bad_py)],
                          capture_output=True, timeout=60).returncode == 1
    result = subprocess.run(
        [str(_eslint()), "--config", str(LINT / "eslint.config.mjs"), "--stdin", "--stdin-filename", "web/js/probe.js"],
        input="export const f = () => undefinedName;\n", cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1 and "no-undef" in result.stdout


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
