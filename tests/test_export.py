"""The page's run, exported as a Python script and as a notebook (mlp.export), makes the same model in CPython.

Each test makes a run in a CPython session as the page would (the same page
methods, in chunks), exports it, runs the script in a fresh interpreter or the
notebook in a real Jupyter kernel (nbclient + ipykernel), and compares the
model file it saves with the session's model. tests/e2e/test_export_page.py
does the same from the page itself.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

import mlp
from mlp.csvfile import read_csv
from mlp.data import read_dataset
from mlp.planes import make_plane
from mlp.session import Session
from mlp.usercode import SWISH, source

ROOT = Path(__file__).resolve().parents[1]


def run_script(text, folder, name="run.py", mlp_path=ROOT):
    """Run an exported script in a fresh CPython in ``folder``, with the mlp in ``mlp_path``
    (this checkout's by default); its output."""
    (folder / name).write_text(text)
    env = {**os.environ, "PYTHONPATH": str(mlp_path), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, name], cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def run_notebook(text, folder, monkeypatch, mlp_path=ROOT):
    """Validate an exported notebook (nbformat 4) and execute it in an ipykernel in ``folder``, with the mlp in
    ``mlp_path``; the executed notebook."""
    assert all(cell["id"] for cell in json.loads(text)["cells"])  # nbformat 4.5: every cell has an id
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    monkeypatch.setenv("PYTHONPATH", str(mlp_path))  # the kernel inherits it
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return notebook


def max_difference(a, b):
    return max(float(np.abs(np.asarray(p, np.float64) - np.asarray(q, np.float64)).max())
               for p, q in zip(a.parameters(), b.parameters(), strict=True))


def train_in_chunks(session, config, batches=5):
    """Train as the page does: a fresh network, then small chunks until the run ends."""
    session.reset(config)
    while not session.train(max_ms=None, max_batches=batches)["finished"]:
        pass


def wine_csv(path):
    """The wine data as a person saves it: a header, a text column, and the label, as text, first."""
    from sklearn.datasets import load_wine

    bunch = load_wine()
    names = ["barolo", "grignolino", "barbera"]
    lines = [",".join(["cultivar", "cellar", *bunch.feature_names])]
    lines += [",".join([names[t], f"cellar {i % 3}", *map(str, row)])
              for i, (row, t) in enumerate(zip(bunch.data, bunch.target, strict=True))]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_2d_run_stopped_inside_an_epoch_then_stepped_by_hand_is_made_again_by_its_script(tmp_path):
    session = Session(make_plane("spiral", n_points=300, noise=0.2, seed=7))
    config = {**session.config, "epochs": 6}
    session.reset(config)
    for _ in range(3):
        session.train(max_ms=None, max_batches=4)
    session.train(max_ms=None, until_epoch_end=True)
    session.train(max_ms=None, max_batches=3)  # stopped here: in epoch 2, after batch 3
    session.take_step(5, split="test")
    exported = session.export_run("script")
    assert exported["filename"] == "spiral-run.py"
    text = exported["text"]
    assert "make_plane('spiral', n_points=300, noise=0.2, seed=7)" in text
    assert "train_to(session, epoch=1, batch=3)  # the page stopped here, in epoch 2 after batch 3" in text
    assert "session.take_step(5, split='test')" in text
    output = run_script(text, tmp_path)
    assert "epoch   1  loss" in output
    made = mlp.load(tmp_path / "spiral-model.json")
    assert max_difference(made, session.network) <= 1e-12


def test_a_k_class_run_makes_its_set_again_with_the_same_number_of_classes(tmp_path):
    session = Session(make_plane("arms", n_points=200, noise=0.1, seed=3, classes=5))
    session.reset({**session.config, "epochs": 3})
    session.train(max_ms=None)
    text = session.export_run("script")["text"]
    assert "make_plane('arms', n_points=200, noise=0.1, seed=3, classes=5)" in text
    run_script(text, tmp_path)
    made = mlp.load(tmp_path / "arms-model.json")
    assert made.classes == ["orange", "blue", "green", "purple", "yellow"]
    assert max_difference(made, session.network) <= 1e-12


def test_a_csv_run_reads_the_file_with_the_pages_options_and_refuses_another(tmp_path):
    data = wine_csv(tmp_path / "cellar.csv").read_bytes()
    session = Session(make_plane("xor"))
    session.open_csv(data, name="cellar", label="cultivar", task="classification", ignore=["magnesium"])
    assert session.dataset.ignored_columns == ["magnesium"] and list(session.dataset.encoded_columns) == ["cellar"]
    train_in_chunks(session, {**session.config, "epochs": 8})
    text = session.export_run("script")["text"]
    assert ("dataset = read_csv(\n    checked(CSV_FILE, CSV_SHA256),\n    label='cultivar',\n    task='classification',\n"
            "    ignore=['magnesium'],\n    encode={'cellar': ['cellar 0', 'cellar 1', 'cellar 2']},\n"
            "    name='cellar',\n)") in text
    assert "assert dataset.ignored_columns == ['magnesium']" in text
    prose = " ".join(line.removeprefix("# ") for line in text.splitlines() if line.startswith("# "))
    assert "'cellar' one-hot encoded (cellar 0, cellar 1, cellar 2); left out: 'magnesium'." in prose
    output = run_script(text, tmp_path)
    assert f"held-out accuracy {session.evaluate()['accuracy']:.4f}" in output
    assert max_difference(mlp.load(tmp_path / "cellar-model.json"), session.network) <= 1e-12
    (tmp_path / "cellar.csv").write_bytes(data.replace(b"barolo", b"barola", 1))
    with pytest.raises(AssertionError, match="is not the file the page read"):
        run_script(text, tmp_path)


def test_the_digits_run_fetches_the_sites_data_file_and_its_script_names_the_published_wheel(site_dir, tmp_path):
    manifest = json.loads((site_dir / "build-manifest.json").read_text())
    wheel = manifest["python_wheel"]
    assert wheel["file"] == f"wheels/sha256-{wheel['sha256'][:16]}/mlp_from_scratch-{mlp.__version__}-py3-none-any.whl"
    site = {"url": site_dir.as_uri() + "/index.html", "wheel": wheel}
    session = Session(read_dataset(site_dir / "data", "digits"))
    train_in_chunks(session, {**session.config, "epochs": 2, "precision": "float32"}, batches=20)
    text = session.export_run("script", site)["text"]
    assert f'python -m pip install "{site_dir.as_uri()}/{wheel["file"]}#sha256={wheel["sha256"]}"' in text
    assert f"DATA_URL = '{site_dir.as_uri()}/data/digits.bin'" in text
    run_script(text, tmp_path)
    made = mlp.load(tmp_path / "digits-model.json")
    assert made.precision == "float32"
    same = np.mean(made.predict_classes(session.x_test) == session.network.predict_classes(session.x_test))
    assert same >= 0.995


def test_a_run_with_the_learners_code_carries_it_and_replays_it(tmp_path):
    session = Session(make_plane("circles", n_points=200, noise=0.1, seed=3))
    session.reset({**session.config, "epochs": 3})
    edited = source("backprop").replace("one line per equation of the post", "as I read it")
    assert session.run_code("backprop", edited)["ok"]
    train_in_chunks(session, {**session.config, "epochs": 3})
    assert [s["step"] for s in session.run_steps] == ["run_code", "reset", "train"]
    text = session.export_run("script")["text"]
    assert "session.run_code('backprop', " in text and "as I read it" in text
    run_script(text, tmp_path)
    assert max_difference(mlp.load(tmp_path / "circles-model.json"), session.network) <= 1e-12
    session.restore_code()


def test_a_run_with_the_learners_own_activation_runs_its_code_before_the_network_is_built(tmp_path):
    session = Session(make_plane("circles", n_points=200, noise=0.1, seed=3))
    session.reset()
    assert session.run_code("activation", SWISH)["ok"]
    train_in_chunks(session, {**session.config, "activations": ["swish", "swish"], "epochs": 3})
    text = session.export_run("script")["text"]
    assert "class Swish(Activation):" in text and "'activations': ['swish', 'swish']" in text
    run_script(text, tmp_path)
    made = mlp.load(tmp_path / "circles-model.json")  # (Swish is still registered here)
    assert made.activations[0].name == "swish" and "activation" in made.metadata["code"]
    assert max_difference(made, session.network) <= 1e-12
    session.restore_code()  # the shipped activations only, for the tests that follow


def test_a_fine_tune_on_your_digits_carries_them(site_dir, tmp_path):
    session = Session(read_dataset(site_dir / "data", "digits"))
    train_in_chunks(session, {**session.config, "epochs": 1, "augment": False, "warps": 0}, batches=50)
    mine = [{"input": session.x_test[i].tolist(), "label": int((session.y_test[i] + 1) % 10)} for i in range(3)]
    session.fine_tune(mine, epochs=1, learning_rate=1e-3, repeat=2)
    text = session.export_run("script", {"url": site_dir.as_uri() + "/", "wheel": None})["text"]
    assert "YOUR_DIGITS = [" in text and "a fine-tune on your own digits" in text
    run_script(text, tmp_path)
    assert max_difference(mlp.load(tmp_path / "digits-model.json"), session.network) <= 1e-12


def test_a_model_brought_back_from_its_file_carries_its_steps_and_a_step_taken_after(tmp_path):
    trained = Session(make_plane("moons", n_points=200, seed=1))
    trained.reset({**trained.config, "epochs": 4})
    trained.train(max_ms=None, max_batches=30)  # stopped inside an epoch
    session = Session(make_plane("moons", n_points=200, seed=1))
    session.import_model(trained.export_model())  # as the page does after a reload
    session.take_step(2)
    assert [s["step"] for s in session.network.metadata["steps"]] == ["reset", "train", "take_step"]
    text = session.export_run("script")["text"]
    assert "came from a file" not in text
    run_script(text, tmp_path)
    assert max_difference(mlp.load(tmp_path / "moons-model.json"), session.network) <= 1e-12


def test_a_model_file_without_steps_is_trained_again_from_its_config_and_the_export_says_so(tmp_path):
    trained = Session(make_plane("moons", n_points=200, seed=1))
    train_in_chunks(trained, {**trained.config, "epochs": 4})
    doc = json.loads(trained.export_model())
    del doc["metadata"]["steps"]  # a file from an older version, or from the CLI
    session = Session(make_plane("moons", n_points=200, seed=1))
    session.import_model(json.dumps(doc))
    text = session.export_run("script")["text"]
    assert "This model came from a file that records its config but not the steps" in text
    run_script(text, tmp_path)
    assert max_difference(mlp.load(tmp_path / "moons-model.json"), trained.network) <= 1e-12


@pytest.mark.parametrize(("steps", "message"), [
    ([{"step": "train", "epoch": 1, "batch": 0}], "must be a list that starts a network"),
    ([{"step": "reset", "config": {}}, {"step": "train", "epoch": "__import__('os')", "batch": 0}],
     "run step 'train': epoch must be of type <class 'int'>, got \"__import__\\('os'\\)\""),
    ([{"step": "reset", "config": {}}, {"step": "format_disk"}], "unknown run step {'step': 'format_disk'}"),
])
def test_steps_a_file_carries_are_checked_before_any_code_is_written_from_them(steps, message):
    trained = Session(make_plane("moons", n_points=200, seed=1))
    trained.reset()
    doc = json.loads(trained.export_model())
    doc["metadata"]["steps"] = steps
    session = Session(make_plane("moons", n_points=200, seed=1))
    session.import_model(json.dumps(doc))
    with pytest.raises(ValueError, match=message):
        session.export_run("script")


def test_the_notebook_runs_in_jupyter_plots_and_makes_the_same_model(tmp_path, monkeypatch):
    session = Session(make_plane("multi_gaussian", n_points=300, noise=0.1, seed=4))
    train_in_chunks(session, {**session.config, "epochs": 5})
    exported = session.export_run("notebook")
    assert exported["filename"] == "multi_gaussian-run.ipynb"
    notebook = run_notebook(exported["text"], tmp_path, monkeypatch)
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds[0] == "markdown" and kinds.count("code") >= 7
    images = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # the loss curve, and the regression's scatter
    assert not [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    assert max_difference(mlp.load(tmp_path / "multi_gaussian-model.json"), session.network) <= 1e-12


def test_a_bad_form_or_no_model_is_refused_with_the_value():
    session = Session(make_plane("xor"))
    with pytest.raises(ValueError, match="no model yet"):
        session.export_run("script")
    session.reset()
    with pytest.raises(ValueError, match="form must be one of script, notebook, got 'pdf'"):
        session.export_run("pdf")
    with pytest.raises(ValueError, match="site url must be an http"):
        session.export_run("script", {"url": "http://x/\nimport os", "wheel": None})
    with pytest.raises(ValueError, match="site wheel must be a .whl file and its sha256"):
        session.export_run("script", {"url": "http://x/", "wheel": {"file": "a.whl", "sha256": "no"}})


def test_the_csv_origin_names_every_reading_choice():
    dataset = read_csv(b"a,b,colour\n1,2,red\n3,4,blue\n5,6,red\n7,8,blue\n", name="paint", task="classification")
    assert dataset.origin == {"kind": "csv", "file": "paint.csv", "sha256": dataset.origin["sha256"], "name": "paint",
                              "label": "colour", "task": "classification", "ignore": [], "encode": {},
                              "label_column": "colour", "ignored": []}


def test_the_scripts_read_as_code_should_read(site_dir, tmp_path):
    """No unused import, imports in order, lines that fit (the pip command aside): ruff, as on this project."""
    plane = Session(make_plane("xor"))
    plane.reset()
    plane.take_step(1)
    csv = Session(make_plane("xor"))
    csv.open_csv(wine_csv(tmp_path / "cellar.csv").read_bytes(), name="cellar", label="cultivar")
    csv.reset()
    digits = Session(read_dataset(site_dir / "data", "digits"))
    digits.reset({**digits.config, "warps": 0})
    digits.fine_tune([{"input": digits.x_test[0].tolist(), "label": 3}], epochs=1, repeat=1)
    wheel = json.loads((site_dir / "build-manifest.json").read_text())["python_wheel"]
    for session in (plane, csv, digits):
        text = session.export_run("script", {"url": "https://example.org/mlp/", "wheel": wheel})["text"]
        name = f"{session.dataset.name}-run.py"
        checked = subprocess.run(["ruff", "check", "--isolated", "--select", "F,I,E,W", "--ignore", "E501",
                                  "--stdin-filename", name, "-"], input=text, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout
        assert [line for line in text.splitlines() if len(line) > 120 and "pip install" not in line] == []


def test_a_run_with_a_validation_split_that_stopped_early_is_made_again_by_its_script(tmp_path):
    session = Session(make_plane("spiral", n_points=300, noise=0.1, seed=2))
    train_in_chunks(session, {**session.config, "validation_fraction": 0.2, "keep_best": True, "patience": 8}, 7)
    assert session.trainer.stopped_early and session.network.metadata["best_epoch"]["kept"]
    text = session.export_run("script")["text"]
    assert "'validation_fraction': 0.2" in text and "'patience': 8" in text
    output = run_script(text, tmp_path)
    assert "validation loss" in output and "training ended: early_stopping" in output
    made = mlp.load(tmp_path / "spiral-model.json")
    assert made.metadata["best_epoch"] == session.network.metadata["best_epoch"]
    assert max_difference(made, session.network) <= 1e-12
