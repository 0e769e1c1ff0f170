"""The last epoch against the best one on a validation split, scored on the held-out split.

    python tests/benchmarks/best_epoch.py [--dataset spiral] [--features x1,x2,x1^2] [--seeds 0-19]
                                          [--validation 0.2] [--patience 20]

Nothing here is tuned: each seed's split and run are the dataset's preset at that seed, with
the input features given (the issue's spiral run had x1^2 added). Per seed, four runs:
the whole training split and the last epoch's weights (what the page did before); a
validation share carved from the training split and the last epoch's weights; the same with
``keep_best``; and with early stopping (``patience``). It prints each one's held-out accuracy
(mean, worst, standard error) and, for the kept ones, the mean epoch the weights are from.
"""

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mlp.config import recommended  # noqa: E402
from mlp.planes import make_plane  # noqa: E402
from mlp.session import Session  # noqa: E402


def _seeds(text):
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def run(dataset, config):
    """Held-out accuracy of one run to its end, and the epoch its weights are from."""
    session = Session(dataset, config)
    session.reset()
    while not session.train(max_ms=None)["finished"]:
        pass
    best = session.network.metadata.get("best_epoch")
    epoch = best["epoch"] if best and best["kept"] else session.trainer.epoch
    return session.evaluate()["accuracy"], epoch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="spiral")
    parser.add_argument("--features", default="x1,x2,x1^2")
    parser.add_argument("--seeds", type=_seeds, default=_seeds("0-19"))
    parser.add_argument("--validation", type=float, default=0.2)
    parser.add_argument("--patience", type=int, default=20)
    args = parser.parse_args(argv)
    dataset = make_plane(args.dataset)
    base = {**recommended(dataset), "input_features": args.features.split(",")}
    split = {"validation_fraction": args.validation}
    kinds = {
        "no split, last epoch": {},
        f"validation {args.validation:g}, last epoch": split,
        f"validation {args.validation:g}, keep_best": {**split, "keep_best": True},
        f"validation {args.validation:g}, patience {args.patience}": {**split, "patience": args.patience},
    }
    print(f"{args.dataset}, features {args.features}, seeds {args.seeds[0]}-{args.seeds[-1]}: held-out accuracy")
    for name, extra in kinds.items():
        found = [run(dataset, {**base, **extra, "seed": seed}) for seed in args.seeds]
        scores, epochs = np.array([f[0] for f in found]), [f[1] for f in found]
        print(f"  {name:<32} mean {scores.mean():.4f}  worst {scores.min():.4f}  "
              f"s.e. {scores.std(ddof=1) / np.sqrt(len(scores)):.4f}  mean epoch {statistics.mean(epochs):.0f}")


if __name__ == "__main__":
    main()
