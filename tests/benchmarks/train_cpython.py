"""Training speed in CPython: mlp against scikit-learn's MLPClassifier, side by side.

    python tests/benchmarks/train_cpython.py            # 5 repetitions each
    python tests/benchmarks/train_cpython.py --repeat 1 --epochs 2   # smoke run

For each config both libraries do the same work on the same 1347 training
digits: same hidden size, batch size and epochs, plain SGD for the post's
config (scikit-learn: solver="sgd", momentum=0, tol=0, no early stop), Adam
for the recommended one. Times exclude data loading; each figure is the
min / median / max over the repetitions. A script, not a test: this
machine is shared and its timings are noisy.
"""

import argparse
import json
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mlp import Trainer  # noqa: E402
from mlp.config import PRESETS, build_network  # noqa: E402
from mlp.datasets import load_digits  # noqa: E402
from mlp.session import Session  # noqa: E402

DIGITS = load_digits()

CONFIGS = {
    "post_2017 (correct mse)": {**PRESETS["post_2017"], "loss": "mse"},
    "recommended": PRESETS["recommended"],
}


def _mlp_run(config, x_tr, y_tr, x_te, y_te, epochs, seed):
    net = build_network(config, DIGITS, rng=seed)
    trainer = Trainer(net, x_tr, y_tr, loss=config["loss"], optimizer=config["optimizer"],
                      learning_rate=config["learning_rate"], batch_size=config["batch_size"],
                      l2=config["l2"], seed=seed)
    start = time.perf_counter()
    trainer.run(epochs=epochs)
    seconds = time.perf_counter() - start
    return seconds, float(np.mean(net.predict_classes(x_te) == y_te))


def _sklearn_run(config, x_tr, y_tr, x_te, y_te, epochs, seed):
    from sklearn.neural_network import MLPClassifier

    scale = DIGITS.input_scale if config["scale_inputs"] else 1.0
    sgd = config["optimizer"] == "sgd"
    clf = MLPClassifier(
        hidden_layer_sizes=tuple(config["hidden_layers"]), activation="relu",
        solver="sgd" if sgd else "adam", momentum=0.0, learning_rate_init=config["learning_rate"],
        batch_size=config["batch_size"], max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1,
        alpha=config["l2"], random_state=seed, shuffle=True,
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(x_tr * scale, y_tr)
    seconds = time.perf_counter() - start
    return seconds, float(clf.score(x_te * scale, y_te))


def _summary(values):
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--epochs", type=int, help="override every config's epochs (smoke runs)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    results = {"machine": {"python": platform.python_version(), "numpy": np.__version__,
                           "processor": platform.machine(), "system": platform.platform()}, "configs": {}}
    print(f"{'config':<26}{'runner':<10}{'s/epoch (min/med/max)':>30}{'total s':>9}{'held-out':>10}")
    for name, config in CONFIGS.items():
        epochs = args.epochs or config["epochs"]
        session = Session(DIGITS, {**config, "seed": 0})  # the split and training set the page uses
        (xa, ya), x_te, y_te = session.training_set(), session.x_test, session.y_test
        row = {}
        for runner, fn in (("mlp", _mlp_run), ("sklearn", _sklearn_run)):
            runs = [fn(config, xa, ya, x_te, y_te, epochs, seed) for seed in range(args.repeat)]
            per_epoch = _summary([s / epochs for s, _ in runs])
            row[runner] = {"seconds_per_epoch": per_epoch, "accuracy": _summary([a for _, a in runs])}
            print(f"{name:<26}{runner:<10}"
                  f"{per_epoch['min']*1e3:>10.2f}/{per_epoch['median']*1e3:.2f}/{per_epoch['max']*1e3:.2f} ms"
                  f"{per_epoch['median'] * epochs:>9.2f}{row[runner]['accuracy']['median']:>10.4f}")
        ratio = row["mlp"]["seconds_per_epoch"]["median"] / row["sklearn"]["seconds_per_epoch"]["median"]
        row["ratio_mlp_over_sklearn"] = ratio
        row["samples"] = len(xa)
        row["epochs"] = epochs
        results["configs"][name] = row
        print(f"{'':<26}{'ratio':<10}{'mlp / sklearn = ' + format(ratio, '.2f') + 'x':>30}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
