"""A run of the page, taken home: the Python script and the Jupyter notebook that make it again in CPython.

The session writes down how its current model was made, as the page methods
that made it, in order (:attr:`mlp.session.Session.run_steps`: a reset with its
config, training to an epoch and batch, a step taken by hand, a fine-tune on
the learner's digits, the learner's code run), and every dataset says where it
came from (:attr:`mlp.data.Dataset.origin`: a data file of the site, a 2-D set
with its generator settings, a CSV with its reading options). :func:`describe_run`
puts the two together; :func:`script` and :func:`notebook` turn that
description into a program and a notebook (nbformat 4, written here as plain
JSON, so the package still needs only NumPy) that call the same session
methods in the same order. CPython then makes the page's weights again: to
about 1e-13 in float64 (the page's kernel sums its products in another order
than OpenBLAS), and in float32 the same classes for nearly every sample.

Both are made of the same sections (:func:`sections`): a sentence that says
what it is, then the code; the script writes the sentence as a comment, the
notebook as a Markdown cell, and adds two plots (the loss curve, and the
confusion matrix or the regression scatter).
"""

import json
import re
import textwrap

from . import __version__
from .matmul import BACKEND

NBFORMAT = 4
NBFORMAT_MINOR = 5
FORMS = ("script", "notebook")

STEPS = {
    "reset": {"config": dict},
    "configure": {"config": dict},
    "train": {"epoch": int, "batch": int},
    "take_step": {"index": int, "split": str},
    "fine_tune": {"samples": list, "epochs": int, "learning_rate": (int, float), "repeat": int},
    "run_code": {"piece": str, "text": str},
    "restore_code": {"piece": (str, type(None))},
}
"""The steps a run is made of (:attr:`mlp.session.Session.run_steps`), each with its fields and their types."""


def check_steps(steps):
    """Check a run's steps (a model file carries them: ``metadata["steps"]``) before any code is written from them.

    Raises
    ------
    ValueError
        Naming the first step or field that is not as :data:`STEPS` describes, with its value.
    """
    if not isinstance(steps, list) or not any(isinstance(s, dict) and s.get("step") == "reset" for s in steps):
        raise ValueError(f"a run's steps must be a list that starts a network (a 'reset'), got {repr(steps)[:80]}")
    for step in steps:
        fields = STEPS.get(step.get("step")) if isinstance(step, dict) else None
        if fields is None:
            raise ValueError(f"unknown run step {repr(step)[:80]}")
        for name, kind in fields.items():
            value = step.get(name)
            if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
                raise ValueError(f"run step {step['step']!r}: {name} must be of type {kind}, got {repr(value)[:80]}")
    return steps


def describe_run(session, site=None):
    """Everything an export needs about the session's current model, as plain values.

    Parameters
    ----------
    session : Session
    site : dict, optional
        Where the page is served from: ``url`` (the page's address, which
        the data files' addresses are relative to) and ``wheel`` (``file``,
        relative to ``url``, and its ``sha256``: the mlp package the page
        runs). Without it, the export says how to get the package and the data.

    Returns
    -------
    dict
        ``dataset`` (its origin, name and task), ``steps`` (the page methods that
        made the model), ``notes`` (what the steps cannot bring back, in words),
        ``backend`` (how the page multiplied), ``version`` and ``site``.

    Raises
    ------
    ValueError
        If there is no model, or it carries no record of how it was made.
    """
    network = session.require_model()
    data = session.dataset
    if data.origin is None:
        raise ValueError(f"the dataset {data.name!r} does not say where it came from, so no export can load it")
    notes = []
    steps = session.run_steps
    if steps is None:  # brought in from a file that does not record its steps, only its config
        config = (network.metadata or {}).get("config")
        if not config:
            raise ValueError("this model's file does not record the config it was trained with; train it here to export the run")
        steps = [{"step": "reset", "config": config},
                 {"step": "train", "epoch": int(network.metadata.get("trained_epochs", config["epochs"])), "batch": 0}]
        notes.append("This model came from a file that records its config but not the steps that made it (a "
                     "file from an older version, or from the CLI): this trains a new one from that config, to the "
                     "epochs it records. Whatever else was done to it (a stop inside an epoch, a step by hand, a "
                     "fine-tune) is not in its file, and so not here.")
        if network.metadata.get("code"):
            notes.append("Its file carries the learner's code it was made with; it is written below as text, "
                         "and does not run.")
    return {
        "dataset": {"name": data.name, "title": data.title, "task": data.task, "origin": data.origin,
                    "n_features": data.n_features, "n_outputs": data.n_outputs},
        "steps": [dict(step) for step in check_steps(steps)],
        "notes": notes,
        "code_carried": dict((network.metadata or {}).get("code") or {}) if session.run_steps is None else {},
        "backend": BACKEND,
        "version": __version__,
        "site": _checked_site(site),
    }


def _checked_site(site):
    """The page's address and wheel, checked: they are written into code and comments."""
    if site is None:
        return None
    url, wheel = site.get("url"), site.get("wheel")
    if not isinstance(url, str) or not re.fullmatch(r"(https?|file)://[^\s\"'\\]+", url):
        raise ValueError(f"site url must be an http(s) or file address, got {url!r}")
    if wheel is not None and not (isinstance(wheel.get("file"), str) and re.fullmatch(r"[\w./-]+\.whl", wheel["file"])
                                  and isinstance(wheel.get("sha256"), str) and re.fullmatch(r"[0-9a-f]{64}", wheel["sha256"])):
        raise ValueError(f"site wheel must be a .whl file and its sha256, got {wheel!r}")
    return {"url": url, "wheel": None if wheel is None else {"file": wheel["file"], "sha256": wheel["sha256"]}}


# -- the sections both forms share ---------------------------------------------------------
def sections(run):
    """The export's sections, in order: a list of (prose, code), either possibly empty.

    The script writes each prose as comments above its code; the notebook
    makes a Markdown cell and a code cell of each.
    """
    return [_intro(run), _install(run), _imports(run), _data(run), _config(run), _training(run),
            _metrics(run), _save(run)]


def _intro(run):
    data, steps = run["dataset"], run["steps"]
    config = next(s["config"] for s in steps if s["step"] == "reset")
    last = _last_train(steps)
    where = "to the end" if last is None else _position(last)
    lines = [
        f"# A run of the MLP-from-scratch page, in CPython: {data['title']}",
        "",
        f"The page's model is a {'-'.join(_layers(run, config))} network trained on {data['name']!r} "
        f"({data['task']}), {config['optimizer']} at learning rate {config['learning_rate']:g}, "
        f"in {config['precision']}, seed {config['seed']}, {where}. "
        f"This takes the same steps with the same mlp package (version {run['version']}), so it makes the "
        "same model: " + (
            f"its weights agree to about 1e-13 (the page multiplied with {run['backend']}, which sums the "
            "products in another order than NumPy does here)." if config["precision"] == "float64" else
            f"in float32 the page ({run['backend']}) and NumPy here round their sums differently, so the "
            "weights part a little, and the predictions agree for nearly every held-out sample."),
    ]
    others = _what_else(steps)
    if others:
        lines += ["", "Besides training, the page's run had: " + "; ".join(others) + ". They are replayed below."]
    for note in run["notes"]:
        lines += ["", note]
    return "\n".join(lines), ""


def _install(run):
    site = run["site"]
    if site and site.get("wheel"):
        url = _join(site["url"], site["wheel"]["file"])
        command = f'python -m pip install "{url}#sha256={site["wheel"]["sha256"]}"'
        prose = (f"## The package\nThe exact mlp package the page ran (its file name carries its content's hash, and "
                 f"pip checks the sha256), with NumPy; the notebook's plots need matplotlib too:\n\n"
                 f"    {command}\n\n"
                 "If a later deploy of the site no longer serves that file, install mlp-from-scratch "
                 f"{run['version']} from the project's source (`python -m pip install .` in a checkout of the "
                 "commit the site was built from): the same sources make the same weights.")
    else:
        prose = (f"## The package\nInstall mlp-from-scratch {run['version']} from the project's source "
                 "(`python -m pip install .` in a checkout), with NumPy; the notebook's plots need matplotlib too.")
    return prose, ""


def _imports(run):
    origin = run["dataset"]["origin"]
    names = {"file": ["import hashlib", "import urllib.request", "from pathlib import Path", ""],
             "csv": ["import hashlib", "from pathlib import Path", ""], "plane": []}[origin["kind"]]
    reader = {"file": "from mlp.data import decode_dataset", "csv": "from mlp.csvfile import read_csv",
              "plane": "from mlp.planes import make_plane"}[origin["kind"]]
    names += ["import mlp", *sorted([reader, "from mlp.session import Session"])]
    code = "\n".join(names) + "\n\nprint(f\"mlp {mlp.__version__}, the page ran " + run["version"] + "\")"
    return "## Imports", code


def _data(run):
    origin, name = run["dataset"]["origin"], run["dataset"]["name"]
    if origin["kind"] == "plane":
        return ("## The data\nThe 2-D set, generated again with the page's settings.",
                f"dataset = make_plane({origin['name']!r}, n_points={origin['n_points']!r}, "
                f"noise={origin['noise']!r}, seed={origin['seed']!r}"
                + (f", classes={origin['classes']!r}" if "classes" in origin else "") + ")\nprint(dataset)")
    check = (
        "def checked(path, sha256):\n"
        "    \"\"\"The file's bytes, if they are the ones the page read.\"\"\"\n"
        "    data = Path(path).read_bytes()\n"
        "    found = hashlib.sha256(data).hexdigest()\n"
        "    if found != sha256:\n"
        "        raise SystemExit(f\"{path} is not the file the page read: its sha256 is {found}, not {sha256}\")\n"
        "    return data\n\n\n"
    )
    if origin["kind"] == "csv":
        options = "".join(f"    {key}={_literal(origin[key], 4)},\n" for key in ("label", "task", "ignore", "encode", "name"))
        said = [f"{column!r} one-hot encoded ({', '.join(categories)})" for column, categories in origin["encode"].items()]
        if origin["ignored"]:
            said.append(f"left out: {', '.join(map(repr, origin['ignored']))}")
        prose = (f"## The data\nYour CSV file, which never left your browser: put it next to this file as "
                 f"`{origin['file']}`. The page read it with label column {origin['label_column']!r} and task "
                 f"{origin['task']}{''.join(f'; {s}' for s in said)}. Its sha256 is checked, so another file is refused.")
        code = (check + f"CSV_FILE = {origin['file']!r}\nCSV_SHA256 = {origin['sha256']!r}\n\n"
                f"dataset = read_csv(\n    checked(CSV_FILE, CSV_SHA256),\n{options})\n"
                f"assert dataset.label_column == {origin['label_column']!r}, dataset.label_column\n"
                f"assert dataset.ignored_columns == {origin['ignored']!r}, dataset.ignored_columns\n"
                "print(dataset)")
        return prose, code
    entry = origin["entry"]
    site = run["site"]
    url = _join(site["url"], f"data/{entry['file']}") if site else None
    prose = (f"## The data\nThe page's own data file for {name!r}, downloaded once into this folder and checked "
             "against its sha256, then read as the page reads it (`mlp.data.decode_dataset` with its entry "
             "in the site's datasets.json).")
    if not url:
        prose += f" Put `{entry['file']}` (from the site's `data/` folder, or `python build.py`'s dist/data) here."
    code = (check + f"DATA_URL = {url!r}\nDATA_FILE = {entry['file']!r}\nENTRY = {_literal(entry)}\n\n"
            "if not Path(DATA_FILE).exists():\n"
            "    urllib.request.urlretrieve(DATA_URL, DATA_FILE)\n"
            "dataset = decode_dataset(checked(DATA_FILE, ENTRY[\"sha256\"]), ENTRY)\nprint(dataset)")
    return prose, code


def _config(run):
    config = next(s["config"] for s in run["steps"] if s["step"] == "reset")
    return ("## The config\nAs the page validated it: every setting, the seed (the split, the initial weights, "
            "the shuffling and the augmented copies each come from it) and the precision.",
            f"CONFIG = {_literal(config)}")


def _training(run):
    steps = run["steps"]
    lines = [
        "def train_to(session, epoch, batch=0):",
        "    \"\"\"Train until ``epoch`` epochs and ``batch`` batches of the next are done, or the run ends by itself.\"\"\"",
        "    trainer = session.trainer",
        "    while (trainer.epoch, trainer.batch_index) < (epoch, batch):",
        "        left = batch - trainer.batch_index if trainer.epoch == epoch else None",
        "        result = session.train(max_ms=None, max_batches=left, until_epoch_end=True)",
        "        for record in result[\"history\"]:",
        "            history.append(record)",
        "            print(\"  \".join([f\"epoch {record['epoch']:3d}\", f\"loss {record['loss']:.4f}\",",
        "                             f\"held-out loss {record['test_loss']:.4f}\",",
        "                             *(f\"held-out accuracy {record['test_accuracy']:.4f}\" for _ in",
        "                               [1] if record.get(\"test_accuracy\") is not None),",
        "                             *(f\"validation loss {record['val_loss']:.4f}\" for _ in",
        "                               [1] if record.get(\"val_loss\") is not None)]), flush=True)",
        "        if result[\"stopped\"] not in (\"epochs\", \"batches\"):",
        "            print(f\"training ended: {result['stopped']} {result.get('error', '')}\")",
        "            break",
        "",
        "",
        "history = []  # one record per epoch, as the page's charts draw them",
    ]
    if steps[0]["step"] == "run_code":  # the learner's code runs on a model, and CONFIG may need it (an activation)
        lines += ["session = Session(dataset)  # the dataset's preset for now: your code below runs on its network",
                  "session.reset()"]
    else:
        lines.append("session = Session(dataset, CONFIG)")
    main_config = next(s["config"] for s in steps if s["step"] == "reset")
    for step in steps:
        lines += _replay(step, main_config)
    if run["code_carried"]:
        lines += ["", "# The learner's code the model's file carries, as text (it is not run here):",
                  f"CARRIED_CODE = {_literal(run['code_carried'])}"]
    lines.append("print(f\"trained {session.network.metadata['trained_epochs']} epochs\")")
    return ("## Training\nThe page's steps, in its order, with a line per epoch.", "\n".join(lines))


def _replay(step, main_config):
    """The lines that take one of :attr:`Session.run_steps` again."""
    kind = step["step"]
    if kind == "reset":
        config = "CONFIG" if step["config"] == main_config else _literal(step["config"])
        return ["", "# A fresh network from the seed, as the page's Train (or Reset) starts one.",
                f"session.reset({config})"]
    if kind == "configure":
        return ["", "# The page's settings changed here; the model stayed.", f"session.configure({_literal(step['config'])})"]
    if kind == "train":
        where = ("" if not step["batch"] else
                 f"  # the page stopped here, in epoch {step['epoch'] + 1} after batch {step['batch']}")
        return [f"train_to(session, epoch={step['epoch']}, batch={step['batch']}){where}"]
    if kind == "take_step":
        return ["", "# A step taken by hand in the page (\"Inside one step\": one SGD step on one sample).",
                f"print(session.take_step({step['index']}, split={step['split']!r}))"]
    if kind == "fine_tune":
        return ["", "# The page fine-tuned the model on your own drawn digits (these are them, as the pad read them).",
                f"YOUR_DIGITS = {_literal(step['samples'])}",
                f"print(session.fine_tune(YOUR_DIGITS, epochs={step['epochs']!r}, "
                f"learning_rate={step['learning_rate']!r}, repeat={step['repeat']!r}))"]
    if kind == "run_code":
        return ["", f"# Your code for the {step['piece']}, which the page ran here (Run my code).",
                f"result = session.run_code({step['piece']!r}, {_text(step['text'])})",
                "assert result[\"ok\"], result"]
    if kind == "restore_code":
        what = "every piece" if step["piece"] is None else f"the {step['piece']}"
        return ["", f"# The page put the shipped code back for {what}.", f"session.restore_code({step['piece']!r})"]
    raise ValueError(f"unknown run step {kind!r}")


def _metrics(run):
    if run["dataset"]["task"] == "regression":
        code = ("scores = session.evaluate()\n"
                "print(f\"held-out: MAE {scores['mae']:.4f}, RMSE {scores['rmse']:.4f}, R² {scores['r2']:.4f} \"\n"
                "      f\"on {scores['n_test']} samples\")")
    else:
        code = ("scores = session.evaluate()\n"
                "print(f\"held-out accuracy {scores['accuracy']:.4f} on {scores['n_test']} samples\")\n"
                "print(\"class        precision  recall  f1-score  support\")\n"
                "for label, name in enumerate(scores[\"classes\"]):\n"
                "    r = scores[\"report\"][str(label)]\n"
                "    print(f\"{name:<12} {r['precision']:9.3f} {r['recall']:7.3f} {r['f1-score']:9.3f} \"\n"
                "          f\"{r['support']:8.0f}\")\n"
                "print(\"confusion matrix (rows: true class, columns: predicted):\")\n"
                "for name, row in zip(scores[\"classes\"], scores[\"confusion_matrix\"]):\n"
                "    print(f\"{name:<12}\", \" \".join(f\"{n:4d}\" for n in row))")
    return "## How it does on the held-out split\nThe page's metrics, computed by the same code.", code


def _save(run):
    return ("## The model file\nThe same JSON as the page's Export model: `mlp.load` reads it back.",
            f"MODEL_FILE = {model_file(run)!r}\nmlp.save(session.network, MODEL_FILE)\nprint(f\"saved {{MODEL_FILE}}\")")


def _plots(run):
    """The notebook's plots: the loss curve, and the confusion matrix or the regression scatter."""
    loss = ("import matplotlib.pyplot as plt\n\n"
            "epochs = [r[\"epoch\"] for r in history]\n"
            "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
            "ax.plot(epochs, [r[\"loss\"] for r in history], label=\"training\")\n"
            "if history and \"val_loss\" in history[0]:\n"
            "    ax.plot(epochs, [r[\"val_loss\"] for r in history], label=\"validation\")\n"
            "ax.plot(epochs, [r[\"test_loss\"] for r in history], label=\"held-out\")\n"
            "ax.set(xlabel=\"epoch\", ylabel=\"loss\", title=\"Loss\")\n"
            "ax.legend()\n"
            "plt.show()")
    if run["dataset"]["task"] == "regression":
        other = ("import numpy as np\n\n"
                 "points = np.array(scores[\"points\"])\n"
                 "fig, ax = plt.subplots(figsize=(4.5, 4.5))\n"
                 "ax.scatter(points[:, 0], points[:, 1], s=8)\n"
                 "low, high = points.min(), points.max()\n"
                 "ax.plot([low, high], [low, high], color=\"grey\", linewidth=1)\n"
                 "ax.set(xlabel=f\"true {scores['target_name']}\", ylabel=\"predicted\", title=\"Held-out predictions\")\n"
                 "plt.show()")
        title = "## Predicted against true, on the held-out split"
    else:
        other = ("fig, ax = plt.subplots(figsize=(5, 4.5))\n"
                 "image = ax.imshow(scores[\"confusion_matrix\"], cmap=\"Blues\")\n"
                 "ticks = range(len(scores[\"classes\"]))\n"
                 "ax.set_xticks(ticks, scores[\"classes\"])\n"
                 "ax.set_yticks(ticks, scores[\"classes\"])\n"
                 "for i, row in enumerate(scores[\"confusion_matrix\"]):\n"
                 "    for j, n in enumerate(row):\n"
                 "        ax.text(j, i, n, ha=\"center\", va=\"center\", fontsize=8)\n"
                 "ax.set(xlabel=\"predicted\", ylabel=\"true\", title=\"Confusion matrix (held-out)\")\n"
                 "fig.colorbar(image)\n"
                 "plt.show()")
        title = "## The confusion matrix, on the held-out split"
    return [("## The loss curve", loss), (title, other)]


# -- the two forms --------------------------------------------------------------------------------
def script(run):
    """The run as a Python script: its sections, the prose as comments; it saves :func:`model_file`."""
    (intro, _), *rest = sections(run)
    parts = ['"""' + _docstring(intro) + '\n\nRun it with `python ' + filename(run, "script") + '`."""']
    for prose, code in rest:
        text = "\n".join(("# " + line).rstrip() for line in _plain(prose).splitlines())
        parts.append(text + ("\n" + code if code else ""))
    return "\n\n".join(parts) + "\n"


def notebook(run):
    """The run as a Jupyter notebook (nbformat 4): the script's sections as cells, and two plots."""
    cells = []
    parts = sections(run)
    plots = _plots(run)
    for prose, code in [*parts[:-1], *plots, parts[-1]]:
        if prose:
            cells.append(_cell("markdown", prose, len(cells)))
        if code:
            cells.append(_cell("code", code, len(cells)))
    return {
        "nbformat": NBFORMAT,
        "nbformat_minor": NBFORMAT_MINOR,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": cells,
    }


def export(session, form, site=None):
    """The session's run as ``form`` (``"script"`` or ``"notebook"``): ``{"filename", "text"}``."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}, got {form!r}")
    run = describe_run(session, site)
    text = script(run) if form == "script" else json.dumps(notebook(run), indent=1) + "\n"
    return {"filename": filename(run, form), "text": text}


def filename(run, form):
    """The export's file name: the dataset's name, ``-run`` and the form's extension."""
    return f"{_safe(run['dataset']['name'])}-run.{'py' if form == 'script' else 'ipynb'}"


def model_file(run):
    """The model file an export writes: the dataset's name and ``-model.json``."""
    return f"{_safe(run['dataset']['name'])}-model.json"


# -- small helpers --------------------------------------------------------------------------------
def _cell(kind, text, number):
    """One notebook cell; its id (nbformat 4.5) is its place, so the same run makes the same file."""
    lines = text.splitlines(keepends=True)
    cell = {"id": f"cell-{number}", "cell_type": kind, "metadata": {}, "source": lines}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _literal(value, indent=0, width=100):
    """``value`` (plain JSON-like data) as a Python literal, floats exactly (repr), in lines of about ``width``.

    A top-level dict has one key a line; a longer dict or list than fits is
    broken the same way, a list of numbers or strings packed a line at a time.
    """
    flat = repr(value)
    top_dict = isinstance(value, dict) and value and indent == 0
    if not top_dict and (len(flat) + indent <= width or not isinstance(value, (dict, list)) or not value):
        return flat
    pad, end = " " * (indent + 4), " " * indent
    if isinstance(value, dict):
        items = [f"{pad}{key!r}: {_literal(item, indent + 4, width)}," for key, item in value.items()]
        return "{\n" + "\n".join(items) + f"\n{end}}}"
    parts = [_literal(item, indent + 4, width) for item in value]
    if any(isinstance(item, (dict, list)) for item in value):
        return "[\n" + "\n".join(f"{pad}{part}," for part in parts) + f"\n{end}]"
    lines = [""]
    for part in parts:
        if lines[-1] and len(pad) + len(lines[-1]) + len(part) + 1 > width:
            lines.append("")
        lines[-1] += f"{part}, "
    return "[\n" + "\n".join(pad + line.rstrip() for line in lines) + f"\n{end}]"


def _text(code):
    """The learner's code as a string literal that reads as code."""
    if "'''" in code or "\\" in code or code.endswith("'"):
        return repr(code)
    return "'''" + code + "'''"


def _join(url, path):
    return url.rsplit("/", 1)[0] + "/" + path if not url.endswith("/") else url + path


def _safe(name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "run"


def _plain(markdown, width=100):
    """Markdown for a comment or a docstring: the heading marks dropped, paragraphs wrapped (indented lines kept)."""
    lines = []
    for line in re.sub(r"^#+ ", "", markdown, flags=re.MULTILINE).splitlines():
        lines += [line] if line.startswith("    ") else textwrap.wrap(line, width) or [""]
    return "\n".join(lines)


def _docstring(markdown):
    return _plain(markdown).replace("\\", "\\\\").replace('"""', "'''")


def _layers(run, config):
    data = run["dataset"]
    return [str(n) for n in (data["n_features"], *config["hidden_layers"], data["n_outputs"])]


def _last_train(steps):
    trains = [s for s in steps if s["step"] == "train"]
    return trains[-1] if trains and trains[-1]["batch"] else None


def _position(step):
    return f"stopped in epoch {step['epoch'] + 1}, after batch {step['batch']}"


def _what_else(steps):
    said = {"take_step": "a step taken by hand", "fine_tune": "a fine-tune on your own digits",
            "run_code": "your code", "configure": "a change of settings", "restore_code": "the shipped code put back"}
    return list(dict.fromkeys(said[s["step"]] for s in steps if s["step"] in said))
