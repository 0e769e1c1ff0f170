"""Fuzzing mlp.read_csv: random bytes, random near-valid CSVs and mutations of valid ones.

The property: only a CSVError escapes; its message names a row, a column or a
file-level reason; an accepted file gives finite features and a dataset that
trains (or, too small to split, a session that says it needs more rows).
10,000 generated cases run in the suite and 30,000 others under the ``slow``
marker, both derandomized: the same cases every run, so a red run is a
regression, never a new draw.
"""

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlp.config import recommended
from mlp.csvfile import CSVError, read_csv
from mlp.session import Session

CELLS = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "NA", "nan", "?", "1e309", "-1e309", "inf", "x", "cat", "1,5", "0x10", '"3"',
                     '"a,b"', "\r", "\n", "\x00", "é", "1e-400", "--1", "1.2.3"]),
    st.text(max_size=6),
)
SEPARATORS = st.sampled_from([",", ";", "\t"])
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def near_valid(draw):
    """A table of cells, mostly numbers, with a header or not, joined with a separator and line ends."""
    n_cols = draw(st.integers(1, 5))
    n_rows = draw(st.integers(0, 8))
    sep, end = draw(SEPARATORS), draw(LINE_ENDS)
    lines = []
    if draw(st.booleans()):
        lines.append(sep.join(draw(st.lists(st.text(max_size=5), min_size=n_cols, max_size=n_cols))))
    for _ in range(n_rows):
        width = draw(st.sampled_from([n_cols, n_cols, n_cols, max(1, n_cols - 1), n_cols + 1]))
        lines.append(sep.join(draw(st.lists(CELLS, min_size=width, max_size=width))))
    return end.join(lines).encode(draw(st.sampled_from(["utf-8", "utf-8", "cp1252"])), errors="replace")


VALID = (b"sepal,petal,kind\n5.1,3.5,setosa\n4.9,3.0,setosa\n6.2,2.9,virginica\n5.9,3.0,virginica\n"
         b"5.5,2.4,versicolor\n6.1,2.8,versicolor\n")


@st.composite
def mutated(draw):
    """The valid file with a few bytes replaced, inserted or deleted."""
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["replace", "insert", "delete"]))
        byte = draw(st.sampled_from(list(b",;\t\r\n\"x.-e0 9") + [0, 0x81, 0xff]))
        if kind == "insert" or at == len(data):
            data.insert(at, byte)
        elif kind == "replace":
            data[at] = byte
        else:
            del data[at]
    return bytes(data)


CASES = st.one_of(st.binary(max_size=200), near_valid(), mutated())
WHERE = re.compile(r"\brow \d+|\bcolumn\b|\bthe file\b|\bno feature varies\b|\bthe label column\b|\btask\b|"
                   r"\bthe limit\b|\bclass")


def _check(data):
    try:
        dataset = read_csv(data)
    except CSVError as exc:
        assert WHERE.search(str(exc)), str(exc)
        return
    assert np.isfinite(dataset.x).all() and len(dataset.x) >= 1
    # It trains as the page trains it: a session on it, with its task's preset, made small.
    config = {**recommended(dataset), "hidden_layers": [3], "activations": ["relu"], "epochs": 1}
    try:
        session = Session(dataset, config)
    except ValueError as exc:  # a file too small to split: the page says so, and keeps the open dataset
        assert "needs more rows" in str(exc), str(exc)
        return
    session.reset()
    while not session.train(max_ms=None)["finished"]:
        pass
    assert all(np.isfinite(p).all() for p in session.network.parameters())


@settings(max_examples=10_000, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(CASES)
def test_only_a_csv_error_escapes_and_it_says_where(data):
    _check(data)


@pytest.mark.slow
@settings(max_examples=30_000, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(CASES)
def test_only_a_csv_error_escapes_on_many_more_cases(data):
    _check(data)


TEXTUAL = (b"id,kind,size,colour,price\nr1,a,1.5,red,10\nr2,b,2.5,blue,12.5\nr3,a,3,red,9\nr4,c,4.25,green,14\n"
           b"r5,b,5,blue,11\nr6,c,6,red,13.5\n")


@st.composite
def with_options(draw):
    """A file (the textual one, mutated, or near-valid) with read_csv's options drawn over its columns."""
    data = draw(st.one_of(st.just(TEXTUAL), near_valid(), mutated()))
    keys = st.one_of(st.sampled_from(["id", "kind", "size", "colour", "price", "x1", "x2", "nope"]),
                     st.integers(-6, 6))
    return data, {"label": draw(st.one_of(st.none(), keys)),
                  "task": draw(st.sampled_from([None, "classification", "regression"])),
                  "ignore": draw(st.lists(keys, max_size=3)),
                  "encode": draw(st.one_of(st.none(), st.lists(keys, max_size=2)))}


@settings(max_examples=3_000, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(with_options())
def test_the_reading_options_raise_only_a_csv_error_and_read_the_same_again(case):
    """Any label, task, columns ignored or encoded: a CSVError that says where, or a dataset whose ``csv`` options
    read the file into the same rows again (what a model file keeps)."""
    data, options = case
    try:
        dataset = read_csv(data, **options)
    except CSVError as exc:
        assert WHERE.search(str(exc)), str(exc)
        return
    assert np.isfinite(dataset.x).all()
    again = read_csv(data, **dataset.csv)
    np.testing.assert_array_equal(again.x, dataset.x)
    np.testing.assert_array_equal(again.y, dataset.y)
    assert again.feature_names == dataset.feature_names and again.csv == dataset.csv
