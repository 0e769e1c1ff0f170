"""Your own data: a CSV file read into a :class:`~mlp.data.Dataset`, or a clear error.

Python's ``csv`` module splits the text (quoted fields may hold the
separator), NumPy holds the numbers. What is handled, and how:

- UTF-8, with or without a byte-order mark; text that is not UTF-8 is read
  as Windows-1252 (what spreadsheets on Windows write), and the source says so;
- the separator: ``,``, ``;`` or a tab, whichever the first lines use; with
  ``;`` a decimal comma (``3,5``) is read as a decimal point;
- a header row, when the first row has text where the next has numbers;
- the label is the last column unless ``label`` names another;
- a feature column that holds only text (a name, a neighbourhood, a class
  name in the first column) is left out, and the dataset says so
  (``ignored_columns``): the network reads numbers, and the file opens, so
  the page can offer that column as the label. A column of numbers with a
  stray word is refused at that cell;
- the task: classification when the label is text or a few whole numbers
  (at most :data:`MAX_INTEGER_CLASSES` distinct), regression otherwise,
  unless ``task`` says which.

Every refusal is a :class:`CSVError` that names the row (as a spreadsheet
numbers it, the header being row 1) and the column: an empty file or a
header alone, one column, ragged rows, text or a missing value in a feature
column, a single class, and the limits below.
"""

import csv
import hashlib
import io
import math
from pathlib import Path

import numpy as np

from .data import Dataset
from .datasets import dataset_names

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
MAX_CLASSES = 256
MAX_INTEGER_CLASSES = 20
"""Whole-number labels with more distinct values than this are taken as a regression target."""
MISSING = {"", "na", "n/a", "nan", "null", "none", "?", "-"}


class CSVError(ValueError):
    """A CSV file cannot be used as a dataset; the message says where and why."""


def _decode(data):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252 (it is not UTF-8)"
    except UnicodeDecodeError as exc:
        raise CSVError(
            f"the file is not text: byte 0x{data[exc.start]:02x} at offset {exc.start} is neither "
            "UTF-8 nor Windows-1252; save it as CSV (UTF-8)"
        ) from None


def _separator(text):
    sample = "\n".join(text[:1 << 16].splitlines()[:20])  # the first lines, without splitting the whole file
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


class _NotFinite(ValueError):
    """A number no float holds (1e309) or infinity written out."""


def _number(cell, decimal_comma):
    """The cell as a float, None when it is missing, or raise ValueError when it is text
    (:class:`_NotFinite` when it is a number too large for a float, or infinity)."""
    text = cell.strip()
    if text.lower() in MISSING:
        return None
    if decimal_comma and text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def _rows(text, separator):
    """The file's non-blank rows as (row number, cells); a line break inside an unquoted field named by its row.

    The row and column limits are enforced while reading, so a file far over
    them is refused at once, and what is held stays within them (in the page,
    WebAssembly memory never shrinks: the peak is what counts).
    """
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    rows, number = [], 0
    try:
        for number, row in enumerate(reader, 1):
            if len(row) > MAX_COLUMNS:
                raise CSVError(f"row {number} has {len(row):,} columns; the limit is {MAX_COLUMNS:,}")
            if any(cell.strip() for cell in row):
                rows.append((number, row))
                if len(rows) > MAX_ROWS + 1:  # one more than the limit, and a header
                    raise CSVError(f"the file has more than {MAX_ROWS:,} data rows; the limit is {MAX_ROWS:,}")
    except csv.Error as exc:
        if "new-line character" in str(exc):
            raise CSVError(f"row {number + 1}: a line break (a lone carriage return) inside a field that is not "
                           "in quotes; put the field in quotes, or save the file again with ordinary line ends") from None
        raise CSVError(f"row {number + 1}: {exc}") from None
    return rows


def _is_number(cell, decimal_comma):
    try:
        return _number(cell, decimal_comma) is not None
    except ValueError:
        return False


def _column(label, header, n_columns):
    """The label column's index, from a header name, a number (0-based, negative from the end) or None."""
    if label is None:
        return n_columns - 1
    if header is not None and str(label) in header:
        return header.index(str(label))
    try:
        index = int(label)
    except (TypeError, ValueError):
        known = f"; the columns are {', '.join(header)}" if header else " (the file has no header row)"
        raise CSVError(f"there is no column {label!r}{known}") from None
    if not -n_columns <= index < n_columns:
        raise CSVError(f"column {index} does not exist: the file has {n_columns} columns (0..{n_columns - 1})")
    return index % n_columns


def read_csv(source, label=None, task=None, name=None):
    """Read a CSV file into a dataset.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the file's bytes (what the browser hands over).
    label : str or int, optional
        The label column: a header name, or a position (0-based; -1 is the
        last). The last column by default.
    task : {"classification", "regression"}, optional
        Guessed from the labels when omitted (see the module docstring).
    name : str, optional
        The dataset's name; the file's name (without ``.csv``) by default,
        with ``_csv`` added when that is already a named dataset's (so a
        ``digits.csv`` is never taken for the digits).

    Returns
    -------
    Dataset
        Of kind ``tabular``, with the header's names (or ``x1, x2, ...``)
        for features; ``source`` says how the file was read, ``columns``
        lists every column's name, ``label_column`` the label's and
        ``ignored_columns`` the text columns left out.

    Raises
    ------
    CSVError
        Naming the row and column of the first problem found.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CSVError(f"{path.name} is {size / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB")
        data, name = path.read_bytes(), name or path.stem
        file = path.name
    else:
        data = bytes(source)
        file = f"{name or 'my_data'}.csv"
    name = name or "my_data"
    # How to read this file again (mlp.export): the file, and every choice made for it.
    origin = {"kind": "csv", "file": file, "sha256": hashlib.sha256(data).hexdigest(), "name": name,
              "label": label, "task": task}
    if name in dataset_names():
        name = f"{name}_csv"
    if len(data) > MAX_BYTES:
        raise CSVError(f"the file is {len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB")
    if task not in (None, "classification", "regression"):
        raise CSVError(f"task must be classification or regression, got {task!r}")
    text, encoding = _decode(data)
    separator = _separator(text)
    decimal_comma = separator == ";"
    rows = _rows(text, separator)
    if not rows:
        raise CSVError("the file is empty: it has no rows")
    header = None
    first = rows[0][1]
    if len(rows) > 1 and any(
        not _is_number(a, decimal_comma) and _is_number(b, decimal_comma) for a, b in zip(first, rows[1][1], strict=False)  # a short row is named later
    ) or (len(rows) == 1 and not any(_is_number(c, decimal_comma) for c in first)):
        header = [cell.strip() or f"column {i + 1}" for i, cell in enumerate(first)]
        rows = rows[1:]
    if not rows:
        raise CSVError("the file has a header row but no data rows")
    if len(rows) > MAX_ROWS:
        raise CSVError(f"the file has {len(rows):,} data rows; the limit is {MAX_ROWS:,}")
    n_columns = len(header) if header is not None else len(rows[0][1])
    if n_columns > MAX_COLUMNS:
        raise CSVError(f"the file has {n_columns:,} columns; the limit is {MAX_COLUMNS:,}")
    if n_columns < 2:
        raise CSVError(
            f"the file has one column (read with {separator!r} as the separator); a dataset needs "
            "at least one feature column and a label column"
        )
    for number, row in rows:
        if len(row) != n_columns:
            what = "the header has" if header is not None else "the first row has"
            raise CSVError(f"row {number} has {len(row)} fields, but {what} {n_columns}")
    names = header or [f"x{i + 1}" for i in range(n_columns)]
    text = [i for i in range(n_columns) if _all_text((row[i] for _, row in rows), decimal_comma)]
    target = _column(label, header, n_columns)
    ignored = [i for i in text if i != target]
    features = [i for i in range(n_columns) if i != target and i not in ignored]
    if not features:
        raise CSVError(f"no feature column holds numbers: {', '.join(repr(names[i]) for i in ignored)} hold text; "
                       "a network reads numbers")

    x = np.empty((len(rows), len(features)))
    for r, (number, row) in enumerate(rows):
        for c, i in enumerate(features):
            try:
                value = _number(row[i], decimal_comma)
            except _NotFinite:
                raise CSVError(
                    f"row {number}, column {names[i]!r} ({i + 1}): {row[i].strip()!r} is not a finite number "
                    "(a float holds at most about 1.8e308)"
                ) from None
            except ValueError:
                raise CSVError(
                    f"row {number}, column {names[i]!r} ({i + 1}): {row[i].strip()!r} is not a number; "
                    "every column but the label must hold numbers"
                ) from None
            if value is None:
                raise CSVError(f"row {number}, column {names[i]!r} ({i + 1}): the value is missing")
            x[r, c] = value

    if len(x) and x.min() == x.max():
        raise CSVError(
            f"no feature varies: every value in the feature columns is {x.flat[0]:g}; "
            "a model needs at least one feature that changes from row to row"
        )

    cells = [row[target].strip() for _, row in rows]
    for (number, _), cell in zip(rows, cells, strict=True):
        if cell.lower() in MISSING:
            raise CSVError(f"row {number}, label column {names[target]!r} ({target + 1}): the label is missing")
    numeric = all(_is_number(cell, decimal_comma) for cell in cells)
    values = np.array([_number(c, decimal_comma) for c in cells]) if numeric else None
    if task is None:
        few_whole = numeric and np.all(values == np.round(values)) and len(np.unique(values)) <= MAX_INTEGER_CLASSES
        task = "classification" if not numeric or few_whole else "regression"
    how = (f"{name}: a CSV file read as {encoding}, {separator!r}-separated, "
           f"{'with a header row' if header is not None else 'with no header row'}, "
           f"label column {names[target]!r}, {task}"
           + (f"; left out, as text: {', '.join(repr(names[i]) for i in ignored)}" if ignored else ""))
    common = dict(name=name, kind="tabular", task=task, feature_names=[names[i] for i in features],
                  title=name, noun="rows", source=how, licence="your own data")
    if task == "regression":
        if not numeric:
            number, cell = next((n, c) for (n, _), c in zip(rows, cells, strict=True) if not _is_number(c, decimal_comma))
            raise CSVError(
                f"row {number}, label column {names[target]!r} ({target + 1}): {cell!r} is not a number, "
                "and regression needs a number in every row"
            )
        return _with_layout(Dataset(x, values, target_name=names[target], **common), names, target, ignored, origin)
    keys = sorted(set(values)) if numeric else sorted(set(cells))
    if len(keys) < 2:
        raise CSVError(
            f"the label column {names[target]!r} ({target + 1}) holds one class only "
            f"({cells[0]!r}); classification needs at least two"
        )
    if len(keys) > MAX_CLASSES:
        raise CSVError(
            f"the label column {names[target]!r} ({target + 1}) holds {len(keys)} different values; "
            f"at most {MAX_CLASSES} classes are allowed (for a numeric target, choose regression)"
        )
    index = {key: i for i, key in enumerate(keys)}
    y = [index[v] for v in (values if numeric else cells)]
    classes = [f"{k:g}" if numeric else k for k in keys]
    return _with_layout(Dataset(x, y, classes=classes, **common), names, target, ignored, origin)


def _with_layout(dataset, names, target, ignored, origin):
    """Note the file's columns on the dataset, so a page can offer another label column and say what it left out,
    and how it was read (``origin``, with the label column and the columns left out)."""
    dataset.columns, dataset.label_column = list(names), names[target]
    dataset.ignored_columns = [names[i] for i in ignored]
    dataset.origin = {**origin, "label_column": dataset.label_column, "ignored": dataset.ignored_columns}
    return dataset


def _all_text(cells, decimal_comma):
    """Whether a column holds text only: some value, and none that is a number (missing values aside)."""
    seen = False
    for cell in cells:
        cell = cell.strip()
        if cell.lower() in MISSING:
            continue
        if _is_number(cell, decimal_comma):
            return False
        seen = True
    return seen
