"""The deploy: the Pages workflow passes zizmor, and installs what the lock says."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"


@pytest.mark.skipif(sys.version_info < (3, 11), reason="zizmor, the GitHub Actions linter, needs Python 3.11")
def test_workflows_have_no_zizmor_finding_at_medium_or_above():
    zizmor = shutil.which("zizmor") or shutil.which("zizmor", path=str(Path(sys.executable).parent))
    assert zizmor, "zizmor is a dev dependency: pip install -r requirements-dev.lock"
    run = subprocess.run(
        [zizmor, "--offline", "--format", "json", "--min-severity", "medium", str(WORKFLOWS)],
        capture_output=True, text=True, timeout=120,
    )
    findings = json.loads(run.stdout)
    assert findings == [], json.dumps([(f.get("ident"), f.get("desc")) for f in findings], indent=1)
    assert run.returncode == 0, run.stderr[-2000:]


def test_every_action_is_pinned_to_a_commit_with_its_release_named():
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text().splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_the_build_job_cannot_publish_and_installs_from_the_lock():
    text = (WORKFLOWS / "pages.yml").read_text()
    build, deploy = text.split("\n  deploy:\n")
    assert "pages: write" not in build and "id-token: write" not in build
    assert "persist-credentials: false" in build
    assert "pip install -r requirements-dev.lock" in build
    assert "pages: write" in deploy and "id-token: write" in deploy
    assert "permissions: {}" in text  # nothing by default; each job says what it needs


def test_the_lock_pins_every_package_with_hashes():
    lock = (ROOT / "requirements-dev.lock").read_text()
    pins = re.findall(r"^([\w.-]+)==([^ ;\\]+)", lock, re.M)
    assert {"pytest", "playwright", "pytest-playwright", "flask", "scikit-learn", "zizmor"} <= {p for p, _ in pins}
    for block in re.split(r"\n(?=[\w.-]+==)", lock.split("\n", 2)[2]):
        if "==" in block.split("\n")[0]:
            assert "--hash=sha256:" in block, block.split("\n")[0]
