"""Your own CSV: what is read, how, and a message naming the row and column for what is not."""

import numpy as np
import pytest

import mlp
from mlp import csvfile
from mlp.config import recommended
from mlp.csvfile import CSVError, read_csv
from mlp.session import Session


@pytest.fixture(scope="module")
def wine_csv():
    """The wine data as a person would export it: a header, and the label last, as text."""
    from sklearn.datasets import load_wine

    bunch = load_wine()
    names = ["barolo", "grignolino", "barbera"]
    lines = [",".join([*bunch.feature_names, "cultivar"])]
    lines += [",".join([*map(str, row), names[label]]) for row, label in zip(bunch.data, bunch.target, strict=True)]
    return ("\n".join(lines) + "\n").encode(), bunch


def test_a_good_file_reads_trains_and_evaluates(wine_csv):
    data, bunch = wine_csv
    d = read_csv(data, name="cellar")
    assert (d.name, d.task, d.kind) == ("cellar", "classification", "tabular")
    assert d.classes == ["barbera", "barolo", "grignolino"] and d.feature_names == list(bunch.feature_names)
    np.testing.assert_array_equal(d.x, bunch.data)
    assert "UTF-8, ','-separated, with a header row, label column 'cultivar'" in d.source
    session = Session(d, mlp.config.recommended(d))
    session.reset()
    while not session.train(max_ms=None)["finished"]:
        pass
    assert session.evaluate()["accuracy"] > 0.9


def test_bom_semicolons_decimal_commas_and_quotes():
    d = read_csv('\ufeff"size; in cm";weight;kind\n"1,5";2;a\n3;4,25;b\n'.encode(), name="t")
    assert d.feature_names == ["size; in cm", "weight"]
    np.testing.assert_array_equal(d.x, [[1.5, 2.0], [3.0, 4.25]])
    d = read_csv(b'"a, with a comma",b,y\n1,2,x\n3,4,y\n')
    assert d.feature_names == ["a, with a comma", "b"]


def test_windows_text_is_read_and_said():
    d = read_csv("taille,poids,espèce\n1,2,été\n3,4,hiver\n".encode("cp1252"))
    assert d.classes == ["hiver", "été"] and "Windows-1252" in d.source


def test_a_file_without_a_header():
    d = read_csv(b"1,2,3\n4,5,6\n7,8,9\n10,11,12\n")
    assert d.feature_names == ["x1", "x2"] and d.classes == ["3", "6", "9", "12"]  # in numeric order
    np.testing.assert_array_equal(d.y, [0, 1, 2, 3])


def test_moving_the_label_encodes_the_old_text_label_and_a_mixed_column_is_refused():
    moved = read_csv(b"a,b,c\n1,2,x\n4,5,y\n7,8,x\n", label="b")
    assert moved.feature_names == ["a", "c=x", "c=y"] and moved.ignored_columns == []
    np.testing.assert_array_equal(moved.x, [[1, 1, 0], [4, 0, 1], [7, 1, 0]])
    with pytest.raises(CSVError, match=r"row 2, column 'c' \(3\): 'x' is not a number"):
        read_csv(b"a,b,c\n1,2,x\n4,5,6\n7,8,9\n", label="b")


def test_label_choice_and_task_override():
    text = b"label,a,b\n1.5,1,2\n2.5,3,4\n9.25,5,6\n"
    d = read_csv(text, label="label")
    assert d.task == "regression" and d.target_name == "label" and d.feature_names == ["a", "b"]
    d = read_csv(text, label=0, task="classification")
    assert d.task == "classification" and d.classes == ["1.5", "2.5", "9.25"]
    d = read_csv(b"a,y\n1,0\n2,1\n3,2\n4,1\n")
    assert d.task == "classification" and d.classes == ["0", "1", "2"]  # a few whole numbers: classes


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"\n\n", "the file is empty"),
    (b"a,b,label\n", "a header row but no data rows"),
    (b"a\n1\n2\n", "the file has one column"),
    (b"a,b,y\n1,2,x\n3,oops,y\n", r"row 3, column 'b' \(2\): 'oops' is not a number"),
    (b"a,b,y\n1,2,x\n3,4\n", "row 3 has 2 fields, but the header has 3"),
    (b"a,b,y\n1,,x\n3,4,y\n", r"row 2, column 'b' \(2\): the value is missing"),
    (b"a,b,y\n1,NA,x\n3,4,y\n", r"row 2, column 'b' \(2\): the value is missing"),
    (b"a,b,y\n1,2,\n3,4,y\n5,6,y\n", r"row 2, label column 'y' \(3\): the label is missing"),
    (b"a,b,y\n1,2,x\n3,4,x\n", "holds one class only"),
    (b"a,b\n\x81\x8d,1\n", "the file is not text"),
    (b"a,b,y\n1,2,x\n3\r4,5,y\n", "row 3: a line break \\(a lone carriage return\\) inside a field that is not in quotes"),
    (b"a,b,y\n5,5,x\n5,5,y\n", "no feature varies: every value in the feature columns is 5"),
    (b"a,b,y\n1e309,2,x\n3,4,y\n", r"row 2, column 'a' \(1\): '1e309' is not a finite number"),
    (b"a,b,y\n1,-inf,x\n3,4,y\n", r"row 2, column 'b' \(2\): '-inf' is not a finite number"),
])
def test_each_bad_file_gets_its_message(content, message):
    with pytest.raises(CSVError, match=message):
        read_csv(content)


def test_a_blank_line_keeps_the_row_numbers_of_the_file():
    with pytest.raises(CSVError, match="row 4, column 'b'"):
        read_csv(b"a,b,y\n1,2,x\n\n3,oops,y\n")


@pytest.mark.parametrize("limit, value, content, message", [
    ("MAX_ROWS", 2, b"a,y\n1,x\n2,y\n3,x\n", "more than 2 data rows; the limit is 2"),
    ("MAX_ROWS", 3, b"1,x\n2,y\n3,x\n4,y\n", "the file has 4 data rows; the limit is 3"),
    ("MAX_COLUMNS", 2, b"a,b,y\n1,2,x\n3,4,y\n", "3 columns; the limit is 2"),
    ("MAX_BYTES", 10, b"a,b,y\n1,2,x\n3,4,y\n", "the limit is 0 MB"),
])
def test_the_limits_are_stated(monkeypatch, limit, value, content, message):
    monkeypatch.setattr(csvfile, limit, value)
    with pytest.raises(CSVError, match=message):
        read_csv(content)


def test_the_limits_stop_the_reading(monkeypatch):
    """A file far over a limit is refused while it is read: the message says "more than", not a count of all."""
    monkeypatch.setattr(csvfile, "MAX_ROWS", 100)
    with pytest.raises(CSVError, match="the file has more than 100 data rows; the limit is 100"):
        read_csv(b"1\n" * 2_000_000)
    monkeypatch.setattr(csvfile, "MAX_COLUMNS", 10)
    with pytest.raises(CSVError, match="row 2 has 5,000 columns; the limit is 10"):
        read_csv(b"a,b\n" + b",".join([b"1"] * 5000) + b"\n")


def test_the_stated_limits():
    assert (csvfile.MAX_BYTES, csvfile.MAX_ROWS, csvfile.MAX_COLUMNS) == (50 * 2**20, 200_000, 1_000)


def test_text_label_refused_for_regression():
    with pytest.raises(CSVError, match=r"row 2, label column 'y' \(3\): 'x' is not a number"):
        read_csv(b"a,b,y\n1,2,x\n3,4,y\n", task="regression")


def test_unknown_label_column_is_named():
    with pytest.raises(CSVError, match="there is no column 'kind'; the columns are a, b, y"):
        read_csv(b"a,b,y\n1,2,x\n3,4,y\n", label="kind")
    with pytest.raises(CSVError, match="column 7 does not exist"):
        read_csv(b"a,b,y\n1,2,x\n3,4,y\n", label=7)


def test_a_file_named_like_a_bundled_dataset_keeps_its_own_name(tmp_path):
    path = tmp_path / "digits.csv"
    path.write_bytes(b"a,b,y\n1,2,x\n3,4,y\n")
    assert read_csv(path).name == "digits_csv"


def test_a_text_label_in_the_first_column_is_offered_and_said():
    """Many files put the class name first: the only text column, first, is the label when the last would be a
    number to predict, and the dataset says why; asking for the last column still gets it."""
    data = b"cultivar,alcohol,ash\nBarolo,14.2,2.4\nGrignolino,12.4,2.1\nBarolo,13.9,2.5\nGrignolino,12.1,2.0\n"
    first = read_csv(data, name="wines")
    assert first.label_column == "cultivar" and first.classes == ["Barolo", "Grignolino"]
    assert first.feature_names == ["alcohol", "ash"] and first.ignored_columns == []
    assert first.label_note.startswith("The label is 'cultivar', the first column and the only one of text")
    assert "'ash', would be a number to predict" in first.label_note
    last = read_csv(data, name="wines", label="ash")
    assert last.task == "regression" and last.feature_names == ["cultivar=Barolo", "cultivar=Grignolino", "alcohol"]
    assert last.label_note is None
    # The last column as a class (a few whole numbers) is sensible: it stays the label.
    assert read_csv(data.replace(b"2.4\n", b"1\n").replace(b"2.1\n", b"2\n").replace(b"2.5\n", b"1\n")
                    .replace(b"2.0\n", b"2\n")).label_column == "ash"
    assert read_csv(data, task="regression").label_column == "ash"  # a task asked for: the last column


def test_the_only_text_column_is_offered_when_the_last_column_fails():
    data = b"a,kind,b,batch\n1,x,2,1\n3,y,4,1\n5,x,6,1\n7,y,8,1\n"  # the last column: one class only
    dataset = read_csv(data)
    assert dataset.label_column == "kind" and dataset.feature_names == ["a", "b", "batch"]
    assert dataset.label_note == ("The label is 'kind', the only column of text: the last column, 'batch', cannot "
                                  "be the label (the label column 'batch' (4) holds one class only ('1'); "
                                  "classification needs at least two).")
    with pytest.raises(CSVError, match=r"the label column 'batch' \(4\) holds one class only"):
        read_csv(data, label="batch")
    # Two text columns: nothing is guessed, the last column's problem is said.
    with pytest.raises(CSVError, match=r"the label column 'batch' \(4\) holds one class only"):
        read_csv(data.replace(b"\n1,", b"\np,").replace(b"\n3,", b"\nq,").replace(b"\n5,", b"\np,").replace(b"\n7,", b"\nq,"))


def test_features_near_the_float_limit_are_scaled_without_overflow():
    """Found by the CSV fuzz: 1e200 squared overflows a plain standard deviation."""
    dataset = read_csv(b"a,b\n0,0\n0,1\n1e200,0\n0,1\n1e200,0\n0,1\n0,0\n1e200,1\n")
    session = Session(dataset, {**recommended(dataset), "epochs": 1})
    session.reset()
    assert np.isfinite(session.network.input_scale).all() and session.network.input_scale[0] > 0
    session.train(max_ms=None)


HOUSES = (b"rooms,neighbourhood,area,price\n3,Old Town,70,210.5\n2,Harbour,55,180.25\n4,Old Town,90,260.75\n"
          b"1,Hill,30,120.5\n3,Harbour,75,230.25\n")


def test_a_text_feature_column_is_one_hot_encoded_and_named():
    data = HOUSES
    dataset = read_csv(data, name="houses")
    assert dataset.label_column == "price" and dataset.task == "regression" and dataset.label_note is None
    assert dataset.feature_names == ["rooms", "neighbourhood=Harbour", "neighbourhood=Hill", "neighbourhood=Old Town",
                                     "area"]
    np.testing.assert_array_equal(dataset.x[:, 1:4], [[0, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]])
    assert dataset.encoded_columns == {"neighbourhood": ["Harbour", "Hill", "Old Town"]}
    assert dataset.ignored_columns == [] and "one-hot: 'neighbourhood' (3 categories)" in dataset.source
    assert dataset.csv == {"name": "houses", "label": "price", "task": "regression", "ignore": [],
                           "encode": {"neighbourhood": ["Harbour", "Hill", "Old Town"]}}
    with pytest.raises(CSVError, match=r"row 4, column 'neighbourhood' \(2\): the value is missing; fill it in"):
        read_csv(data.replace(b"Old Town,90", b",90"))
    # A column of numbers with one stray word is still refused at that cell, not left out.
    with pytest.raises(CSVError, match=r"row 3, column 'area' \(3\): 'fifty' is not a number"):
        read_csv(data.replace(b"Harbour,55", b"Harbour,fifty"))
    with pytest.raises(CSVError, match="no feature column holds numbers: 'name' hold text or are ignored"):
        read_csv(b"name,label\nann,1\nbob,2\ncid,1\n", label="label", encode=[])


def test_a_text_column_with_too_many_categories_is_left_out_or_refused_when_asked_for():
    n = csvfile.MAX_CATEGORIES + 1
    rows = "".join(f"person {i},{i % 7},{i % 2}\n" for i in range(n))
    dataset = read_csv(f"name,age,y\n{rows}".encode())
    assert dataset.feature_names == ["age"] and dataset.ignored_columns == ["name"]
    assert f"left out, as text with more than {csvfile.MAX_CATEGORIES} categories: 'name'" in dataset.source
    with pytest.raises(CSVError, match=rf"column 'name' \(1\) has {n} categories; at most "
                                       rf"{csvfile.MAX_CATEGORIES} can be one-hot encoded: ignore it instead"):
        read_csv(f"name,age,y\n{rows}".encode(), encode=["name"])
    fewer = "".join(f"person {i},{i % 7},{i % 2}\n" for i in range(n - 1))
    assert read_csv(f"name,age,y\n{fewer}".encode()).encoded_columns["name"][:2] == ["person 0", "person 1"]


def test_any_column_can_be_ignored_and_a_numeric_one_encoded():
    dataset = read_csv(HOUSES, ignore=["neighbourhood", 0], encode=["area"])
    assert dataset.feature_names == ["area=30", "area=55", "area=70", "area=75", "area=90"]
    assert dataset.ignored_columns == ["rooms", "neighbourhood"] and dataset.csv["ignore"] == ["rooms", "neighbourhood"]
    # A column of numbers with a stray word is used once that column is ignored.
    broken = HOUSES.replace(b"Harbour,55", b"Harbour,fifty")
    assert read_csv(broken, ignore=["area"]).feature_names[0] == "rooms"
    assert read_csv(HOUSES, encode=[]).ignored_columns == ["neighbourhood"]  # no column encoded: text left out
    # The last column ignored, no label named: the only text column is offered, and the note says why.
    offered = read_csv(HOUSES, ignore=["price"])
    assert offered.label_column == "neighbourhood" and offered.feature_names == ["rooms", "area"]
    assert "'price', cannot be the label (column 'price' (4) is the label (the last column, unless another is " \
           "named); it cannot be ignored too)" in offered.label_note
    for options, message in (({"ignore": ["size"]}, "there is no column to ignore 'size'; the columns are rooms, "),
                             ({"ignore": ["price"]}, r"column 'price' \(4\) is the label; it cannot be ignored too"),
                             ({"encode": ["price"]}, r"column 'price' \(4\) is the label; it cannot be a one-hot"),
                             ({"encode": ["area"], "ignore": ["area"]}, r"column 'area' \(3\) is both ignored and "),
                             ({"encode": {"neighbourhood": "Hill"}}, r"the categories of column 'neighbourhood' \(2\) "
                                                                     "must be a list of distinct strings"),
                             ({"ignore": [9]}, "column to ignore 9 does not exist")):
        with pytest.raises(CSVError, match=message):
            read_csv(HOUSES, label="price", **options)


def test_the_categories_of_a_model_file_fix_the_meaning_of_a_row():
    """A file with fewer categories (a new batch of rows) reads into the model's columns; an unknown one is refused."""
    trained = read_csv(HOUSES, name="houses")
    batch = b"rooms,neighbourhood,area,price\n2,Hill,40,150\n5,Hill,120,300\n"
    again = read_csv(batch, **trained.csv)
    assert again.feature_names == trained.feature_names and again.csv["encode"] == trained.csv["encode"]
    np.testing.assert_array_equal(again.x[:, 1:4], [[0, 1, 0], [0, 1, 0]])
    with pytest.raises(CSVError, match=r"row 3, column 'neighbourhood' \(2\): 'Docks' is not one of the column's "
                                       r"categories \('Harbour', 'Hill', 'Old Town'\)"):
        read_csv(batch.replace(b"5,Hill", b"5,Docks"), **trained.csv)
    # The same file read with its own options is the same dataset, row for row.
    np.testing.assert_array_equal(read_csv(HOUSES, **trained.csv).x, trained.x)


def test_inspecting_a_file_before_it_is_used():
    data = b"cultivar,alcohol,ash\nBarolo,14.2,2.4\nGrignolino,12.4,2.1\nBarolo,13.9,2.5\nGrignolino,12.1,2.0\n"
    seen = csvfile.inspect_csv(data, name="wines")
    assert seen["columns"] == [{"name": "cultivar", "kind": "text", "categories": 2},
                               {"name": "alcohol", "kind": "numbers"}, {"name": "ash", "kind": "numbers"}]
    assert seen["label"] == "cultivar" and "the first column and the only one of text" in seen["label_note"]
    assert seen["problem"] == "" and seen["max_categories"] == csvfile.MAX_CATEGORIES
    broken = csvfile.inspect_csv(HOUSES.replace(b"Harbour,55", b"Harbour,fifty"))
    assert broken["label"] == "price" and "row 3, column 'area' (3): 'fifty' is not a number" in broken["problem"]
    with pytest.raises(CSVError, match="row 3 has 2 fields"):
        csvfile.inspect_csv(b"a,b,c\n1,2,3\n4,5\n")


def test_two_columns_of_one_name_are_refused_at_the_header():
    """The label and the columns to leave out are chosen by name, and a model file records them so: a name that
    two columns share would read the file another way the next time (the fuzz found ':,:')."""
    with pytest.raises(CSVError, match=r"row 1 \(the header\): columns 1 and 3 are both named 'size'"):
        read_csv(b"size,colour,size,label\n1,red,2,a\n3,blue,4,b\n5,red,6,a\n")
