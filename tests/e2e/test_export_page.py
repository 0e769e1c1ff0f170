"""The page's run, taken home: "Export as Python script" and "Export as notebook" download files that make the
page's model again in CPython (the script in a fresh interpreter, the notebook in a real Jupyter kernel).

For the digits, a 2-D set with its generator settings and your own CSV: in float64 the weights agree with
the page's exported model to 1e-12; in float32 the predictions agree on at least 99.5 % of the held-out set.
"""

import json
import re
import subprocess
import sys

import numpy as np
import pytest
from playwright.sync_api import expect

import mlp
from mlp.csvfile import read_csv
from mlp.data import read_dataset
from mlp.planes import make_plane
from mlp.session import Session

from ..test_export import ROOT, max_difference, run_notebook, run_script, wine_csv
from .conftest import open_ready, wait_until_ready
from .test_code_page import run as run_code
from .test_code_page import show_code
from .test_datasets import export, train
from .test_drawing_pad import teach

pytestmark = pytest.mark.e2e

CASES = {
    "digits": "#dataset=digits",  # the Recommended preset: 22 epochs of Adam on augmented digits
    "spiral": "#dataset=spiral&n_points=300&noise=0.2&data_seed=7&epochs=40",
    "arms": "#dataset=arms&n_points=300&noise=0.1&data_seed=7&classes=5&epochs=40",  # 5 classes
    "cellar": None,  # your CSV: uploaded
}


def download(page, button, folder):
    """Click an export button; the downloaded file's path in ``folder``, under the name the page gave it."""
    folder.mkdir(exist_ok=True)
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def install_the_exported_package(text, target):
    """Run the export's own pip command (the site's wheel, its sha256 checked) into ``target``; returns ``target``."""
    url = re.search(r'python -m pip install "([^"]+#sha256=[0-9a-f]{64})"', text).group(1)
    assert "/wheels/sha256-" in url
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target",
                    str(target), url], check=True, capture_output=True)
    assert (target / "mlp" / "export.py").read_bytes() == (ROOT / "mlp" / "export.py").read_bytes()
    return target


def open_case(page, live_server, name, precision, folder):
    """The page on the case's data, with its settings; for the CSV, the file is uploaded and kept in ``folder``."""
    if CASES[name] is not None:
        open_ready(page, f"{live_server}{CASES[name]}&precision={precision}")
        return
    page.goto(live_server)
    wait_until_ready(page)
    page.get_by_test_id("csv-upload").set_input_files(wine_csv(folder / "cellar.csv"))
    # The label, first, chosen before use (two text columns: the page offers the last); the other text one-hot.
    page.get_by_test_id("label-column").select_option("cultivar")
    page.get_by_role("button", name="Use this file").click()
    status = page.get_by_test_id("dataset-status")
    expect(status).to_have_attribute("data-name", "cellar", timeout=30_000)
    expect(status).to_contain_text("178 rows: 16 features, 3 classes (barbera, barolo, grignolino)")
    page.locator('[data-testid="model-summary"][data-origin]').wait_for(timeout=30_000)
    page.get_by_label("Precision", exact=False).select_option(precision)


def held_out(name, site_dir, folder, config):
    """The held-out samples of the case's data, split by ``config`` as the page split them."""
    dataset = {"digits": lambda: read_dataset(site_dir / "data", "digits"),
               "spiral": lambda: make_plane("spiral", 300, 0.2, 7),
               "arms": lambda: make_plane("arms", 300, 0.1, 7, classes=5),
               "cellar": lambda: read_csv(folder / "cellar.csv", label="cultivar")}[name]()
    return Session(dataset, config).x_test


@pytest.mark.parametrize("precision", ["float64", "float32"])
@pytest.mark.parametrize("name", list(CASES))
def test_the_exported_script_and_notebook_make_the_pages_model(page, live_server, site_dir, tmp_path, monkeypatch,
                                                               name, precision):
    open_case(page, live_server, name, precision, tmp_path)
    expect(page.get_by_label("Precision", exact=False)).to_have_value(precision)
    train(page)
    model = export(page, tmp_path / "page-model.json")
    script = download(page, "Export as Python script", tmp_path)
    notebook = download(page, "Export as notebook", tmp_path)
    assert (script.name, notebook.name) == (f"{name}-run.py", f"{name}-run.ipynb")
    expect(page.get_by_test_id("model-message")).to_contain_text(f"{name}-run.ipynb")
    text = script.read_text()
    if name == "cellar":
        assert "label='cultivar'" in text and "encode={'cellar': ['cellar 0', 'cellar 1', 'cellar 2']}" in text
    if name == "arms":
        assert "make_plane('arms', n_points=300, noise=0.1, seed=7, classes=5)" in text
    package = install_the_exported_package(text, tmp_path / "site-packages")
    output = run_script(text, tmp_path, mlp_path=package)
    from_script = mlp.load(tmp_path / f"{name}-model.json")
    (tmp_path / f"{name}-model.json").unlink()
    executed = run_notebook(notebook.read_text(), tmp_path, monkeypatch, mlp_path=package)
    plots = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.outputs if "image/png" in o.get("data", {})]
    assert len(plots) == 2  # the loss curve, and the confusion matrix
    from_notebook = mlp.load(tmp_path / f"{name}-model.json")
    x = held_out(name, site_dir, tmp_path, model.metadata["config"])
    for made in (from_script, from_notebook):
        assert made.precision == precision
        if precision == "float64":
            assert max_difference(made, model) <= 1e-12
        else:
            assert np.mean(made.predict_classes(x) == model.predict_classes(x)) >= 0.995
    shown = page.get_by_test_id("test-accuracy").get_attribute("data-value")
    print(f"\n{name} {precision}: max |dw| page vs script {max_difference(from_script, model):.3g}, "
          f"vs notebook {max_difference(from_notebook, model):.3g}; held-out predictions agree on "
          f"{np.mean(from_script.predict_classes(x) == model.predict_classes(x)):.4f} of {len(x)}; "
          f"the page shows accuracy {shown}")
    if precision == "float64" and shown:  # (empty while the evaluation is drawn)
        assert f"held-out accuracy {float(shown):.4f}" in output


def test_a_run_stopped_inside_an_epoch_then_stepped_by_hand_is_made_again_by_its_script(page, live_server, tmp_path):
    # Small batches through a wide layer: an epoch takes long enough for Stop to land inside one.
    open_ready(page, f"{live_server}#dataset=digits&hidden_layers=1024&batch_size=8&epochs=50&augment=false&warps=0")
    panel = page.get_by_test_id("training-panel")
    page.get_by_role("button", name="Train", exact=True).click()
    expect(panel).to_have_attribute("data-epoch", re.compile(r"^[1-9]"), timeout=60_000)
    for _ in range(5):  # Stop lands where the run is: on a loaded machine, now and then at an epoch's end
        page.get_by_role("button", name="Stop").click()
        expect(panel).to_have_attribute("data-state", "paused", timeout=30_000)
        if int(panel.get_attribute("data-batch") or 0) > 0:
            break
        page.get_by_role("button", name="Resume").click()
        expect(panel).to_have_attribute("data-state", "running", timeout=30_000)
        page.wait_for_timeout(150)
    page.get_by_label("Which one", exact=True).fill("11")
    page.get_by_role("button", name="Show this step").click()
    page.get_by_role("button", name="Take this step").click()
    expect(page.get_by_test_id("step-result")).to_contain_text("One SGD step on this sample", timeout=30_000)
    model = export(page, tmp_path / "page-model.json")
    text = download(page, "Export as Python script", tmp_path).read_text()
    epoch, batch = int(panel.get_attribute("data-epoch")), int(panel.get_attribute("data-batch") or 0)
    assert batch > 0, "Stop landed on an epoch's end"
    assert f"train_to(session, epoch={epoch}, batch={batch})" in text
    assert "session.take_step(11, split='train')" in text and "a step taken by hand" in text
    run_script(text, tmp_path)
    difference = max_difference(mlp.load(tmp_path / "digits-model.json"), model)
    print(f"\nstopped at epoch {epoch}, batch {batch}, then a hand step: max |dw| page vs script {difference:.3g}")
    assert difference <= 1e-12
    # After a reload the model comes back from this browser, and its file carries the steps that made it.
    page.reload()
    wait_until_ready(page)
    expect(page.get_by_test_id("model-summary")).to_have_attribute("data-origin", "your last trained model")
    again = download(page, "Export as Python script", tmp_path / "after-reload")
    assert again.read_text() == text


def test_a_model_fine_tuned_on_your_drawn_digits_exports_them_and_is_made_again(page, live_server, tmp_path):
    open_ready(page, f"{live_server}#dataset=digits&hidden_layers=64&epochs=2&augment=false&warps=0")
    train(page)
    teach(page, (1, 7))
    page.get_by_role("button", name="Fine-tune on my digits").click()
    expect(page.get_by_test_id("model-summary")).to_contain_text("your fine-tuned model", timeout=120_000)
    model = export(page, tmp_path / "page-model.json")
    text = download(page, "Export as Python script", tmp_path).read_text()
    assert "YOUR_DIGITS = [" in text and "a fine-tune on your own digits" in text
    run_script(text, tmp_path)
    difference = max_difference(mlp.load(tmp_path / "digits-model.json"), model)
    print(f"\nfine-tuned on 2 drawn digits: max |dw| page vs script {difference:.3g}")
    assert difference <= 1e-12


def test_a_run_with_your_own_activation_carries_its_code_and_is_made_again(page, live_server, tmp_path):
    open_ready(page, live_server)
    card = show_code(page)
    card.get_by_role("button", name="New activation: Swish").click()
    run_code(card)
    expect(page.get_by_test_id("code-message")).to_contain_text("is now a choice for every hidden layer")
    page.get_by_label("Hidden layer 1 width").fill("16")
    page.locator("#layer-0-activation").select_option("swish")
    page.get_by_label("Epochs", exact=True).fill("2")
    page.get_by_label("Warped copies of each training image", exact=False).fill("0")
    train(page)
    export_path = tmp_path / "page-model.json"
    with page.expect_download() as info:
        page.get_by_role("button", name="Export model (JSON)").click()
    info.value.save_as(export_path)
    text = download(page, "Export as Python script", tmp_path).read_text()
    assert "class Swish(Activation):" in text and "session.run_code('activation', " in text
    run_script(text, tmp_path)
    # Compared as numbers in the files: loading them needs Swish's code, which the page ran and this test does not.
    page_doc, script_doc = (json.loads(p.read_text()) for p in (export_path, tmp_path / "digits-model.json"))
    assert script_doc["activations"] == ["swish", "softmax"] and "activation" in script_doc["metadata"]["code"]
    difference = max(float(np.abs(np.array(a) - np.array(b)).max())
                     for key in ("weights", "biases") for a, b in zip(page_doc[key], script_doc[key], strict=True))
    print(f"\nSwish, your code: max |dw| page vs script {difference:.3g}")
    assert difference <= 1e-12
