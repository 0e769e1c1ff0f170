"""The validation split: carved from the training split by the seed, it chooses the epoch; the held-out split only scores."""

import json

import numpy as np
import pytest

from mlp.config import ConfigError, recommended, validate_config
from mlp.csvfile import read_csv
from mlp.planes import make_plane
from mlp.serialization import dumps, loads
from mlp.session import Session

SMALL = {"hidden_layers": [16], "epochs": 3, "augment": False, "warps": 0, "batch_size": 64}


def _rows(x):
    return {row.tobytes() for row in np.asarray(x)}


def test_the_split_is_the_seeds_disjoint_from_the_held_out_split_and_stratified(digits_dataset):
    a = Session(digits_dataset, {**SMALL, "validation_fraction": 0.2, "seed": 3})
    b = Session(digits_dataset, {**SMALL, "validation_fraction": 0.2, "seed": 3})
    np.testing.assert_array_equal(a.x_val, b.x_val)  # deterministic from the seed
    np.testing.assert_array_equal(a.x_train, b.x_train)
    other = Session(digits_dataset, {**SMALL, "validation_fraction": 0.2, "seed": 4})
    assert not np.array_equal(other.y_val, a.y_val)
    off = Session(digits_dataset, {**SMALL, "seed": 3})
    np.testing.assert_array_equal(a.x_test, off.x_test)  # the held-out split is the same with or without it
    assert len(a.y_val) + len(a.y_train) == len(off.y_train) and len(off.y_val) == 0
    assert _rows(a.x_val) | _rows(a.x_train) == _rows(off.x_train)  # carved from the training split...
    assert not _rows(a.x_val) & _rows(a.x_train) and not _rows(a.x_val) & _rows(a.x_test)  # ...and from nothing else
    share = np.bincount(a.y_val, minlength=10) / np.bincount(off.y_train, minlength=10)
    assert np.all(np.abs(share - 0.2) <= 0.5 / np.bincount(off.y_train, minlength=10) + 1e-12)  # each class's fifth
    assert a.describe()["n_val"] == len(a.y_val) and a.describe()["n_train"] == len(a.y_train)


def test_a_regression_split_takes_a_share_of_all_rows():
    data = read_csv(("x,y\n" + "".join(f"{i},{i * 0.5}\n" for i in range(40))).encode(), task="regression", name="line")
    s = Session(data, {**recommended(data), "validation_fraction": 0.25, "test_fraction": 0.2})
    assert (len(s.y_train), len(s.y_val), len(s.y_test)) == (24, 8, 8)


def test_the_trainer_monitors_validation_and_only_scores_the_held_out_split(digits_dataset):
    s = Session(digits_dataset, {**SMALL, "validation_fraction": 0.2, "keep_best": True})
    s.reset()
    np.testing.assert_array_equal(s.trainer.validation[0], s.x_val)
    np.testing.assert_array_equal(s.trainer.test[0], s.x_test)
    result = s.train(max_ms=None)
    assert {"val_loss", "val_accuracy", "test_loss", "test_accuracy"} <= set(result["history"][0])
    off = Session(digits_dataset, SMALL)
    off.reset()
    assert off.trainer.validation is None and "val_loss" not in off.train(max_ms=None)["history"][0]


@pytest.mark.parametrize(("config", "field", "message"), [
    ({"keep_best": True}, "keep_best", "needs a validation split to choose the epoch, got True with validation_fraction 0"),
    ({"patience": 5}, "patience", "needs a validation split to choose the epoch, got 5 with validation_fraction 0"),
    ({"validation_fraction": 0.6}, "validation_fraction", "must be in [0, 0.5], got 0.6"),
    ({"validation_fraction": -0.1}, "validation_fraction", "must be in [0, 0.5], got -0.1"),
    ({"validation_fraction": "a fifth"}, "validation_fraction", "must be a number, got 'a fifth'"),
    ({"patience": 2.5, "validation_fraction": 0.1}, "patience", "must be a whole number, got 2.5"),
    ({"keep_best": "yes", "validation_fraction": 0.1}, "keep_best", "must be true or false, got 'yes'"),
])
def test_bad_settings_are_named(config, field, message):
    with pytest.raises(ConfigError) as info:
        validate_config(config)
    assert info.value.errors[field] == message or info.value.errors[field].startswith(message)


def test_a_split_too_small_to_carve_is_refused_by_name_and_the_session_stays(digits_dataset):
    tiny = read_csv(b"a,y\n1,2.5\n2,3.5\n3,1.5\n4,2\n5,1\n", task="regression", name="tiny")
    s = Session(tiny, {**recommended(tiny), "test_fraction": 0.2})
    before = s.describe()
    with pytest.raises(ValueError, match="validation_fraction: 'tiny' keeps 4 rows to train on; carving 0.1 of them "
                                         "leaves no row to validate on; change validation_fraction"):
        s.configure({**recommended(tiny), "test_fraction": 0.2, "validation_fraction": 0.1})
    assert s.describe() == before


def test_the_model_records_its_best_epoch_and_old_files_still_load(digits_dataset):
    s = Session(digits_dataset, {**SMALL, "epochs": 4, "validation_fraction": 0.2, "keep_best": True})
    s.reset()
    while not s.train(max_ms=None, max_batches=7)["finished"]:
        pass
    best = int(np.argmin(s.trainer.history["val_loss"])) + 1
    assert s.network.metadata["best_epoch"] == {"epoch": best, "val_loss": min(s.trainer.history["val_loss"]),
                                                "kept": True, "stopped_early": False}
    assert s.evaluate()["weights_epoch"].startswith(f"Weights from epoch {best} of 4, the best on validation")
    back = loads(dumps(s.network))
    assert back.metadata["best_epoch"] == s.network.metadata["best_epoch"]
    assert back.metadata["config"]["validation_fraction"] == 0.2 and back.metadata["config"]["keep_best"]
    # A file written before these settings: its config has none of them; it loads, and its config means no split.
    doc = json.loads(dumps(s.network))
    for name in ("validation_fraction", "keep_best", "patience"):
        del doc["metadata"]["config"][name]
    del doc["metadata"]["best_epoch"]
    old = loads(json.dumps(doc))
    other = Session(digits_dataset, old.metadata["config"])
    other.use_network(old)
    assert other.config["validation_fraction"] == 0 and other.evaluate()["weights_epoch"] is None


def test_early_stopping_in_the_session_ends_the_run_and_says_so():
    s = Session(make_plane("spiral"), {**Session(make_plane("spiral")).config, "validation_fraction": 0.2,
                                        "patience": 10})
    s.reset()
    while not (result := s.train(max_ms=None))["finished"]:
        pass
    assert result["stopped"] == "early_stopping" and s.trainer.epoch < 200
    val_loss = s.trainer.history["val_loss"]
    best = int(np.argmin(val_loss)) + 1
    assert s.trainer.epoch == best + 10
    again = s.train(max_ms=None)  # a finished run stays finished
    assert again["finished"] and again["epoch"] == best + 10 and again["history"] == []
    said = s.evaluate()["weights_epoch"]
    assert said.startswith(f"Weights from epoch {best}, the best on validation") and \
        f"stopped early after epoch {best + 10} of 200, 10 epochs without a better validation loss" in said


def test_without_keep_best_the_weights_are_the_last_and_the_best_epoch_is_said():
    s = Session(make_plane("spiral"), {**Session(make_plane("spiral")).config, "validation_fraction": 0.2})
    s.reset()
    while not s.train(max_ms=None)["finished"]:
        pass
    best = int(np.argmin(s.trainer.history["val_loss"])) + 1
    assert s.evaluate()["weights_epoch"].startswith(
        f"Weights from epoch 200 of 200, the latest; the best on validation so far was epoch {best}")


def test_a_step_taken_by_hand_after_the_run_leaves_no_claim_about_the_epoch():
    s = Session(make_plane("spiral"), {**Session(make_plane("spiral")).config, "epochs": 20, "validation_fraction": 0.2,
                                        "keep_best": True})
    s.reset()
    while not s.train(max_ms=None)["finished"]:
        pass
    assert s.evaluate()["weights_epoch"].startswith("Weights from epoch")
    s.take_step(3)
    assert "best_epoch" not in s.network.metadata and s.evaluate()["weights_epoch"] is None
