"""Command line: train and evaluate networks on any dataset this project knows, or your CSV.

    python -m mlp train --layers 64,128,10 --activation relu --output softmax \\
        --loss cross_entropy --optimizer adam --epochs 40 --seed 0 --out model.json
    python -m mlp train --dataset iris --out iris.json
    python -m mlp train --csv my.csv --label species --out mine.json
    python -m mlp evaluate model.json [--csv my.csv]

The named datasets come from scikit-learn when it is installed, else from
the files that ``build.py`` exports (``--data-dir dist/data``). Settings are
the same fields, with the same names, as the browser's (see :mod:`mlp.config`);
each dataset starts from its own recommended preset.
"""

import argparse
import sys

from .config import PRESETS, ConfigError, dimensions, recommended
from .csvfile import read_csv
from .datasets import dataset_names, load_dataset
from .interrupts import stop_training
from .metrics import classification_report
from .serialization import load, save
from .session import Session


def _layers(text):
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--layers takes comma-separated integers, got {text!r}") from None
    if len(sizes) < 2:
        raise argparse.ArgumentTypeError(f"--layers needs at least the input and output widths, got {text!r}")
    return sizes


def _hidden_layers(sizes, n_inputs, dataset):
    """The hidden widths of ``--layers``, once its ends are checked against the data."""
    if (sizes[0], sizes[-1]) != (n_inputs, dataset.n_outputs):
        raise ValueError(
            f"--layers must start with {n_inputs} inputs and end with {dataset.n_outputs} "
            f"outputs for {dataset.name!r}, got {','.join(map(str, sizes))}"
        )
    return sizes[1:-1]


def _parser():
    parser = argparse.ArgumentParser(prog="python -m mlp", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train a network and save a model file")
    data = train.add_mutually_exclusive_group()
    data.add_argument("--dataset", choices=dataset_names(), default="digits", help="a named dataset (default: digits)")
    data.add_argument("--csv", help="your own CSV file (see mlp.csvfile for what it may hold)")
    train.add_argument("--label", help="with --csv: the label column, by header name or 0-based position (default: the last)")
    train.add_argument("--task", choices=("classification", "regression"), help="with --csv: override the guess")
    train.add_argument("--ignore", type=_columns, default=None,
                       help="with --csv: columns to leave out, comma-separated (text columns are one-hot encoded)")
    train.add_argument("--preset", choices=sorted(PRESETS),
                       help="start from a digits preset (default: the dataset's own recommended one)")
    train.add_argument("--layers", type=_layers, help="e.g. 64,128,10 (input, hidden..., output)")
    train.add_argument("--activation", help="hidden activation: relu, leaky_relu, tanh, sigmoid")
    train.add_argument("--output", dest="output_activation", help="softmax or sigmoid")
    train.add_argument("--loss", help="cross_entropy, mse, binary_cross_entropy, published_mse")
    train.add_argument("--optimizer", help="sgd, momentum, nesterov, adam")
    train.add_argument("--lr", dest="learning_rate", type=float)
    train.add_argument("--schedule", help="learning rate over the epochs: constant or cosine")
    train.add_argument("--l2", type=float)
    train.add_argument("--batch-size", type=int)
    train.add_argument("--epochs", type=int)
    train.add_argument("--init", help="lecun, xavier, he")
    train.add_argument("--precision", help="float64 (default) or float32")
    train.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None)
    train.add_argument("--warps", type=int, help="image data: warped copies of each training image (0 for none)")
    train.add_argument("--scale-inputs", action=argparse.BooleanOptionalAction, default=None)
    train.add_argument("--features", help="2-D sets: the input features, comma-separated, "
                       "from x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2) (default: x1,x2)")
    train.add_argument("--test-fraction", type=float)
    train.add_argument("--validation-fraction", type=float,
                       help="share of the training split that chooses the best epoch (0: none, the default)")
    train.add_argument("--keep-best", action=argparse.BooleanOptionalAction, default=None,
                       help="end with the weights of the epoch of lowest validation loss")
    train.add_argument("--patience", type=int, help="stop after this many epochs without a better validation loss")
    train.add_argument("--seed", type=int)
    train.add_argument("--data-dir", help="folder with datasets.json (from build.py)")
    train.add_argument("--out", default="model.json", help="model file to write (default: model.json)")

    evaluate = sub.add_parser("evaluate", help="report how a model file does on its held-out split")
    evaluate.add_argument("model", help="a model file")
    evaluate.add_argument("--csv", help="the CSV file the model was trained on (for a model of your own data)")
    evaluate.add_argument("--label", help="with --csv: the label column (default: the model's, as its file records)")
    evaluate.add_argument("--seed", type=int, help="split seed (default: the model's own)")
    evaluate.add_argument("--test-fraction", type=float)
    evaluate.add_argument("--data-dir")
    return parser


def _config_from_args(args, dataset):
    config = dict(PRESETS[args.preset] if args.preset else recommended(dataset))
    if args.features is not None:
        config["input_features"] = [f.strip() for f in args.features.split(",") if f.strip()]
    if args.layers is not None:
        config["hidden_layers"] = _hidden_layers(args.layers, dimensions(config, dataset)[0], dataset)
    if args.activation is not None:
        config["activations"] = [args.activation]
    for field in (
        "output_activation", "loss", "optimizer", "learning_rate", "schedule", "l2", "batch_size",
        "epochs", "init", "precision", "augment", "warps", "scale_inputs", "test_fraction", "seed",
        "validation_fraction", "keep_best", "patience",
    ):
        value = getattr(args, field)
        if value is not None:
            config[field] = value
    if len(config["activations"]) != len(config["hidden_layers"]):  # one activation, for every layer
        config["activations"] = config["activations"][:1] * len(config["hidden_layers"])
    return config


def _bar(done, total, width=24):
    filled = round(width * done / total)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _columns(text):
    return [column.strip() for column in text.split(",") if column.strip()]


def _dataset(args, name="digits", read_as=None):
    """The data a command works on: --csv (read as a model file records, ``read_as``, unless the options say
    otherwise), else the named dataset."""
    if args.csv:
        options = dict(read_as or {})
        for key in ("label", "task", "ignore"):
            if getattr(args, key, None) is not None:
                options[key] = getattr(args, key)
        return read_csv(args.csv, **options)
    return load_dataset(name, args.data_dir)


def _train(args):
    dataset = _dataset(args, args.dataset)
    session = Session(dataset, _config_from_args(args, dataset))
    session.reset()
    epochs = session.config["epochs"]
    interrupted = False

    def on_ctrl_c():
        # Stop the epoch in progress at its next batch; if Ctrl-C lands
        # between two epochs, the flag still ends the loop below.
        nonlocal interrupted
        interrupted = True
        session.request_stop()

    with stop_training(on_ctrl_c):
        while not interrupted:
            result = session.train(max_ms=None, until_epoch_end=True)
            for r in result["history"]:
                scores = (f"train acc {r['accuracy']:.4f}  held-out acc {r['test_accuracy']:.4f}"
                          if "accuracy" in r else f"held-out loss {r['test_loss']:.4f}")
                if "val_loss" in r:
                    scores += f"  validation loss {r['val_loss']:.4f}"
                print(f"epoch {r['epoch']:>4}/{epochs} {_bar(r['epoch'], epochs)} "
                      f"loss {r['loss']:.4f}  {scores}  {r['seconds']:.1f}s", flush=True)
            if "error" in result:
                print(f"error: {result['error']}", file=sys.stderr)
                return 1
            if result["finished"]:
                break
    if interrupted and not result["finished"]:
        save(session.network, args.out)
        print(f"\ninterrupted {result['position']}: saved the model as trained so far to {args.out}", file=sys.stderr)
        return 130
    _report(session)
    save(session.network, args.out)
    print(f"saved {args.out}")
    return 0


def _report(session):
    ev = session.evaluate()
    where = f"on {ev['n_test']} held-out {session.dataset.noun} of {session.dataset.name!r}"
    print()
    if ev["task"] == "regression":
        print(f"held-out {ev['target_name']}: MAE {ev['mae']:.4g}  RMSE {ev['rmse']:.4g}  R\u00b2 {ev['r2']:.4f}  {where}")
        if ev["weights_epoch"]:
            print(ev["weights_epoch"])
        return
    pred = session.network.predict_classes(session.x_test)
    classes = session.dataset.classes
    print(classification_report(session.y_test, pred, labels=range(len(classes)), target_names=classes, digits=4))
    print(f"held-out accuracy: {ev['accuracy']:.4f} {where}")
    if ev["weights_epoch"]:
        print(ev["weights_epoch"])


def _evaluate(args):
    network = load(args.model)
    # Evaluate on the split the model was trained with, unless told otherwise.
    name = (network.dataset or {}).get("name", "digits")
    if not args.csv and name not in dataset_names():
        raise ValueError(f"this model was trained on {name!r}, your own data: give its file with --csv")
    dataset = _dataset(args, name, read_as=(network.dataset or {}).get("csv"))
    config = dict(network.metadata.get("config") or recommended(dataset))
    for field in ("seed", "test_fraction"):
        if getattr(args, field) is not None:
            config[field] = getattr(args, field)
    session = Session(dataset, config)
    session.use_network(network)
    print(f"model: {network!r}, {network.n_parameters()} parameters")
    _report(session)
    return 0


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return _train(args) if args.command == "train" else _evaluate(args)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
