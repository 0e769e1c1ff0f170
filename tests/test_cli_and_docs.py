"""The CLI, the benchmark's smoke run, and the README's promises."""

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import mlp
from mlp.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


def test_cli_train_then_evaluate(tmp_path, capsys):
    out = tmp_path / "model.json"
    code = main(["train", "--layers", "64,32,10", "--activation", "relu", "--output", "softmax",
                 "--loss", "cross_entropy", "--optimizer", "adam", "--epochs", "3", "--seed", "0",
                 "--no-augment", "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    assert "epoch    3/3" in text and "held-out accuracy:" in text
    assert mlp.load(out).dimensions == (64, 32, 10)
    assert main(["evaluate", str(out)]) == 0
    assert "held-out accuracy:" in capsys.readouterr().out


def test_cli_ctrl_c_stops_cleanly_and_saves(tmp_path):
    out = tmp_path / "model.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlp", "train", "--epochs", "1000", "--out", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout.readline().startswith("epoch    1/1000")  # training is under way
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert re.search(r"interrupted (in|after) epoch \d+(, after batch \d+ of \d+)?: saved the model", stderr)
    assert mlp.load(out).metadata["trained_epochs"] >= 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--epochs", "0"], "epochs"),
        (["train", "--lr", "-1"], "learning_rate"),
        (["train", "--loss", "hinge"], "loss"),
        (["train", "--dataset", "xor", "--features", "x1,x3"], "input_features: 'x3' is not one of"),
        (["train", "--dataset", "iris", "--features", "x1^2"], "input_features: only for plane data"),
        (["train", "--dataset", "xor", "--features", "x1*x2", "--layers", "2,4,2"],
         "--layers must start with 1 inputs and end with 2 outputs for 'xor'"),
        (["train", "--dataset", "xor", "--keep-best"], "keep_best: needs a validation split to choose the epoch"),
        (["train", "--dataset", "xor", "--validation-fraction", "0.7"], "validation_fraction: must be in [0, 0.5]"),
    ],
)
def test_cli_bad_settings_are_clear_errors(args, message, capsys, tmp_path):
    assert main([*args, "--out", str(tmp_path / "m.json")]) == 2
    assert message in capsys.readouterr().err


def test_cli_bad_model_file(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nope"}')
    assert main(["evaluate", str(bad)]) == 2
    assert "format" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mlp", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "train" in result.stdout


def test_benchmark_smoke_run(tmp_path):
    from tests.benchmarks.train_cpython import main as bench

    results = bench(["--repeat", "1", "--epochs", "1", "--json", str(tmp_path / "b.json")])
    assert set(results["configs"]) == {"post_2017 (correct mse)", "recommended"}
    assert json.loads((tmp_path / "b.json").read_text())["configs"]


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_cli_trains_a_plane_on_chosen_features(tmp_path, capsys):
    out = tmp_path / "xor.json"
    assert main(["train", "--dataset", "xor", "--features", "x1*x2", "--layers", "1,2", "--epochs", "30",
                 "--out", str(out)]) == 0
    assert "held-out accuracy: 1.0000" in capsys.readouterr().out
    assert mlp.load(out).input_features == ["x1*x2"] and mlp.load(out).dimensions == (1, 2)


def test_cli_keeps_the_best_epoch_on_a_validation_split_and_says_which(tmp_path, capsys):
    out = tmp_path / "spiral.json"
    assert main(["train", "--dataset", "spiral", "--epochs", "40", "--validation-fraction", "0.2", "--keep-best",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    best = mlp.load(out).metadata["best_epoch"]
    assert "validation loss" in printed and f"Weights from epoch {best['epoch']} of 40, the best on validation" in printed


def test_cli_trains_a_named_dataset_and_your_csv(tmp_path, capsys):
    assert main(["train", "--dataset", "diabetes", "--epochs", "2", "--out", str(tmp_path / "d.json")]) == 0
    assert re.search(r"held-out disease progression after one year: MAE [\d.]+ +RMSE [\d.]+ +R² -?[\d.]+", capsys.readouterr().out)
    csv = tmp_path / "flowers.csv"
    from sklearn.datasets import load_iris

    bunch = load_iris()
    csv.write_text("species;" + ";".join(bunch.feature_names) + "\n" + "".join(
        f"{bunch.target_names[t]};" + ";".join(str(v).replace(".", ",") for v in row) + "\n"
        for row, t in zip(bunch.data, bunch.target, strict=True)))
    assert main(["train", "--csv", str(csv), "--label", "species", "--epochs", "30", "--out", str(tmp_path / "f.json")]) == 0
    assert "held-out accuracy:" in capsys.readouterr().out
    assert mlp.load(tmp_path / "f.json").dataset["name"] == "flowers"
    assert main(["evaluate", str(tmp_path / "f.json")]) == 2
    assert "give its file with --csv" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path / "f.json"), "--csv", str(csv), "--label", "species"]) == 0
    assert "held-out accuracy:" in capsys.readouterr().out
    # The label first, a text column one-hot, a column ignored: the model file says how to read the CSV again.
    houses = tmp_path / "houses.csv"
    houses.write_text("kind,town,id,rooms\n" + "".join(f"{'ab'[i % 2]},{'xyz'[i % 3]},n{i},{i % 5 + (i % 2) * 3}\n"
                                                       for i in range(80)))
    assert main(["train", "--csv", str(houses), "--label", "kind", "--ignore", "id", "--epochs", "5",
                 "--out", str(tmp_path / "h.json")]) == 0
    trained = capsys.readouterr().out.splitlines()[-2]
    assert mlp.load(tmp_path / "h.json").dataset["csv"]["encode"] == {"town": ["x", "y", "z"]}
    assert main(["evaluate", str(tmp_path / "h.json"), "--csv", str(houses)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == trained
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,y\n1,2,x\n3,oops,y\n")
    assert main(["train", "--csv", str(bad), "--out", str(tmp_path / "b.json")]) == 2
    assert "row 3, column 'b' (2): 'oops' is not a number" in capsys.readouterr().err
