"""Your own data: a CSV file read into a :class:`~mlp.data.Dataset`, or a clear error.

Python's ``csv`` module splits the text (quoted fields may hold the
separator), NumPy holds the numbers. What is handled, and how:

- UTF-8, with or without a byte-order mark; text that is not UTF-8 is read
  as Windows-1252 (what spreadsheets on Windows write), and the source says so;
- the separator: ``,``, ``;`` or a tab, whichever the first lines use; with
  ``;`` a decimal comma (``3,5``) is read as a decimal point;
- a header row, when the first row has text where the next has numbers;
- the label is the last column unless ``label`` names another. When it is
  not named, and the file's only column of text (with at most
  :data:`MAX_CLASSES` values) is not the last, that column is taken instead
  if the last one fails as a label, or if the text comes first and the last
  column would be a number to predict (files often put the class first);
  ``label_note`` says so;
- a feature column that holds only text (a neighbourhood) is one-hot
  encoded: one feature per category, named ``neighbourhood=Harbour``, 1 in
  the rows of that category and 0 elsewhere, when it has at most
  :data:`MAX_CATEGORIES` categories; one with more (a name) is left out, and
  the dataset says so (``ignored_columns``). ``encode`` and ``ignore``
  choose otherwise, column by column. A column of numbers with a stray word is
  refused at that cell (unless it is ignored or encoded);
- the task: classification when the label is text or a few whole numbers
  (at most :data:`MAX_INTEGER_CLASSES` distinct), regression otherwise,
  unless ``task`` says which.

Every refusal is a :class:`CSVError` that names the row (as a spreadsheet
numbers it, the header being row 1) and the column: an empty file or a
header alone, one column, two columns of one name, ragged rows, text or a missing value in a feature
column, a single class, and the limits below.
"""

import csv
import functools
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
MAX_CATEGORIES = 30
"""A text feature column with at most this many categories is one-hot encoded; one with more is left out."""
MISSING = {"", "na", "n/a", "nan", "null", "none", "?", "-"}


class CSVError(ValueError):
    """A CSV file cannot be used as a dataset; the message says where and why."""


def _check_names_differ(header):
    """Refuse a header that names two columns alike: the label and the columns to leave out are chosen by
    name (and a model file records them so), so a name must say which column it is."""
    seen = {}
    for i, name in enumerate(header):
        if name in seen:
            raise CSVError(f"row 1 (the header): columns {seen[name] + 1} and {i + 1} are both named {name!r}; "
                           "give each column its own name")
        seen[name] = i


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


def _column(label, names, n_columns, what="column"):
    """A column's index, from its name (the header's, or ``x1, x2, ...``), a number (0-based, negative from
    the end) or None (the last)."""
    if label is None:
        return n_columns - 1
    if str(label) in names:
        return names.index(str(label))
    try:
        index = int(label)
    except (TypeError, ValueError):
        raise CSVError(f"there is no {what} {label!r}; the columns are {', '.join(names)}") from None
    if not -n_columns <= index < n_columns:
        raise CSVError(f"{what} {index} does not exist: the file has {n_columns} columns (0..{n_columns - 1})")
    return index % n_columns


class _Table:
    """A CSV file split into its cells: the column names (the header's, or ``x1, x2, ...``) and the data rows
    as (row number, cells), with how the text was read."""

    def __init__(self, data):
        text, self.encoding = _decode(data)
        self.separator = _separator(text)
        self.decimal_comma = self.separator == ";"
        rows = _rows(text, self.separator)
        if not rows:
            raise CSVError("the file is empty: it has no rows")
        header = None
        first = rows[0][1]
        if len(rows) > 1 and any(
            not self.number(a) and self.number(b) for a, b in zip(first, rows[1][1], strict=False)  # a short row is named later
        ) or (len(rows) == 1 and not any(self.number(c) for c in first)):
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
                f"the file has one column (read with {self.separator!r} as the separator); a dataset needs "
                "at least one feature column and a label column"
            )
        for number, row in rows:
            if len(row) != n_columns:
                what = "the header has" if header is not None else "the first row has"
                raise CSVError(f"row {number} has {len(row)} fields, but {what} {n_columns}")
        if header is not None:
            _check_names_differ(header)
        self.header = header is not None
        self.names = header or [f"x{i + 1}" for i in range(n_columns)]
        self.rows = rows
        self.text = [i for i in range(n_columns) if _all_text((row[i] for _, row in rows), self.decimal_comma)]
        """The columns that hold text only."""

    def number(self, cell):
        return _is_number(cell, self.decimal_comma)

    def column(self, key, what="column"):
        return _column(key, self.names, len(self.names), what)

    def categories(self, i):
        """The distinct values of column ``i`` (missing ones aside), sorted: its one-hot encoding's categories."""
        return sorted({row[i].strip() for _, row in self.rows if row[i].strip().lower() not in MISSING})

    def kinds(self):
        """Each column's ``name``, ``kind`` ("numbers" or "text") and, for text, its number of ``categories``."""
        columns = [{"name": n, "kind": "text" if i in self.text else "numbers"} for i, n in enumerate(self.names)]
        for i in self.text:
            columns[i]["categories"] = len(self.categories(i))
        return columns

    def only_text_column(self, ignored):
        """The column a label-less read may offer as the label: the only column of text (ignored ones aside),
        not the last, with few enough values to be classes; else None."""
        text = [i for i in self.text if i not in ignored]
        if len(text) == 1 and text[0] != len(self.names) - 1 and len(self.categories(text[0])) <= MAX_CLASSES:
            return text[0]
        return None


def _read_source(source, name):
    """The file's bytes, its file name and the dataset's name, with the size limit checked first."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CSVError(f"{path.name} is {size / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB")
        return path.read_bytes(), path.name, name or path.stem
    data = bytes(source)
    if len(data) > MAX_BYTES:
        raise CSVError(f"the file is {len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB")
    return data, f"{name or 'my_data'}.csv", name or "my_data"


def read_csv(source, label=None, task=None, name=None, ignore=(), encode=None):
    """Read a CSV file into a dataset.

    Parameters
    ----------
    source : str, Path or bytes
        A path, or the file's bytes (what the browser hands over).
    label : str or int, optional
        The label column: a column's name (the header's, or ``x1, x2, ...``
        without one), or a position (0-based; -1 is the last). The last
        column by default, or the only column of text when the last fails or
        the text comes first (see the module docstring; ``label_note`` says why).
    task : {"classification", "regression"}, optional
        Guessed from the labels when omitted (see the module docstring).
    name : str, optional
        The dataset's name; the file's name (without ``.csv``) by default,
        with ``_csv`` added when that is already a named dataset's (so a
        ``digits.csv`` is never taken for the digits).
    ignore : list of str or int, default=()
        Columns to leave out, by name or position: a network never sees them.
    encode : list or dict, optional
        The columns to one-hot encode. By default every text feature column
        with at most :data:`MAX_CATEGORIES` categories (its distinct values,
        sorted); one with more is left out. A list names the columns to
        encode (text or numbers; other text columns are left out), each with
        its categories as found in the file. A dict maps each such column to
        its categories, in order, as a model file keeps them
        (``network.dataset["csv"]``): a value outside them is refused.

    Returns
    -------
    Dataset
        Of kind ``tabular``, with the header's names (or ``x1, x2, ...``)
        for features, and ``column=category`` for each one-hot feature;
        ``source`` says how the file was read, ``columns`` lists every
        column's name, ``label_column`` the label's, ``encoded_columns``
        each encoded column's categories, ``ignored_columns`` the columns
        left out, ``label_note`` why the label is not the last column when
        it was not asked for (else None), and ``csv`` the options that read
        this file the same way again (``read_csv(source, **dataset.csv)``).

    Raises
    ------
    CSVError
        Naming the row and column of the first problem found.
    """
    data, file, name = _read_source(source, name)
    # How to read this file again (mlp.export): the file, and every choice made for it.
    origin = {"kind": "csv", "file": file, "sha256": hashlib.sha256(data).hexdigest(), "name": name}
    if name in dataset_names():
        name = f"{name}_csv"
    if task not in (None, "classification", "regression"):
        raise CSVError(f"task must be classification or regression, got {task!r}")
    table = _Table(data)
    ignore = [ignore] if isinstance(ignore, (str, int)) else list(ignore or ())
    ignored = sorted({table.column(key, "column to ignore") for key in ignore})
    offer = table.only_text_column(ignored) if label is None else None
    read = functools.partial(_read, table, name=name, task=task, ignored=ignored, encode=encode, origin=origin)
    if offer is None:
        return read(label)
    last = table.names[-1]
    try:
        dataset = read(None)
    except CSVError as exc:
        try:
            dataset = read(offer)
        except CSVError:
            raise exc from None
        dataset.label_note = (f"The label is {table.names[offer]!r}, the only column of text: the last column, "
                              f"{last!r}, cannot be the label ({exc}).")
        return dataset
    if offer != 0 or task is not None or dataset.task != "regression":
        return dataset
    dataset = read(offer)
    dataset.label_note = (f"The label is {table.names[offer]!r}, the first column and the only one of text, as files "
                          f"often put the class first; the last column, {last!r}, would be a number to predict. "
                          "Choose another label if you mean another.")
    return dataset


def inspect_csv(source, name=None):
    """What a page shows about a file before it is used: its columns, and the label a plain read takes.

    Returns
    -------
    dict
        ``columns``: for each column, its ``name``, its ``kind`` ("numbers"
        or "text") and, for text, its number of ``categories``; ``label``:
        the column :func:`read_csv` takes without being told, with
        ``label_note`` saying why when it is not the last (else "");
        ``problem``: the error that plain read gives ("" when it reads), so
        the learner can choose otherwise before using the file;
        ``max_categories``: :data:`MAX_CATEGORIES`.

    Raises
    ------
    CSVError
        When the file cannot be split into columns (empty, ragged, too large).
    """
    data, _, _ = _read_source(source, name)
    table = _Table(data)
    columns = table.kinds()
    try:
        dataset = read_csv(data, name=name)
    except CSVError as exc:
        label, note, problem = table.names[-1], "", str(exc)
    else:
        label, note, problem = dataset.label_column, dataset.label_note or "", ""
    return {"columns": columns, "label": label, "label_note": note, "problem": problem,
            "max_categories": MAX_CATEGORIES}


def _encoding(table, encode, target, ignored):
    """Each encoded column's index and categories (see ``encode`` in :func:`read_csv`), and the text columns
    left out for having too many categories."""
    names = table.names
    if encode is None:
        encoded, crowded = {}, []
        for i in table.text:
            if i != target and i not in ignored:
                categories = table.categories(i)
                if len(categories) <= MAX_CATEGORIES:
                    encoded[i] = categories
                else:
                    crowded.append(i)
        return encoded, crowded
    encoded = {}
    if isinstance(encode, dict):
        for key, categories in encode.items():
            i = table.column(key, "column to encode")
            if (not isinstance(categories, (list, tuple)) or not categories
                    or not all(isinstance(c, str) for c in categories) or len(set(categories)) != len(categories)):
                raise CSVError(f"the categories of column {names[i]!r} ({i + 1}) must be a list of distinct "
                               f"strings, got {categories!r}")
            encoded[i] = list(categories)
    else:
        for key in [encode] if isinstance(encode, (str, int)) else encode:
            i = table.column(key, "column to encode")
            categories = table.categories(i)
            if len(categories) > MAX_CATEGORIES:
                raise CSVError(f"column {names[i]!r} ({i + 1}) has {len(categories)} categories; at most "
                               f"{MAX_CATEGORIES} can be one-hot encoded: ignore it instead")
            if not categories:
                raise CSVError(f"column {names[i]!r} ({i + 1}) has no values to encode")
            encoded[i] = categories
    for i in encoded:
        if i == target:
            raise CSVError(f"column {names[i]!r} ({i + 1}) is the label; it cannot be a one-hot feature too")
        if i in ignored:
            raise CSVError(f"column {names[i]!r} ({i + 1}) is both ignored and encoded; choose one")
    return encoded, []


def _read(table, label, *, name, task, ignored, encode, origin):
    """The dataset from a table, with ``label`` as its label column (None: the last)."""
    names, rows, decimal_comma = table.names, table.rows, table.decimal_comma
    target = table.column(label)
    if target in ignored:
        last = "" if label is not None else " (the last column, unless another is named)"
        raise CSVError(f"column {names[target]!r} ({target + 1}) is the label{last}; it cannot be ignored too")
    encoded, crowded = _encoding(table, encode, target, ignored)
    # Text columns not encoded are left out: the ignored, the crowded, and any other when ``encode`` is given.
    left_out = sorted(set(ignored) | {i for i in table.text if i != target and i not in encoded})
    features = [i for i in range(len(names)) if i != target and i not in left_out]
    if not features:
        said = ", ".join(repr(names[i]) for i in left_out)
        raise CSVError(f"no feature column holds numbers: {said} hold text or are ignored; a network reads numbers")

    feature_names = [f"{names[i]}={c}" if i in encoded else names[i] for i in features
                     for c in (encoded[i] if i in encoded else [None])]
    x = np.zeros((len(rows), len(feature_names)))
    for r, (number, row) in enumerate(rows):
        c = 0
        for i in features:
            if i in encoded:
                _one_hot(x[r, c:c + len(encoded[i])], row[i].strip(), encoded[i], number, f"{names[i]!r} ({i + 1})")
                c += len(encoded[i])
                continue
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
                    "every feature column must hold numbers, or text to one-hot encode (or be ignored)"
                ) from None
            if value is None:
                raise CSVError(f"row {number}, column {names[i]!r} ({i + 1}): the value is missing")
            x[r, c] = value
            c += 1

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
    said = [f"one-hot: {', '.join(f'{names[i]!r} ({len(c)} categories)' for i, c in encoded.items())}"] if encoded else []
    if crowded:
        said.append(f"left out, as text with more than {MAX_CATEGORIES} categories: "
                    f"{', '.join(repr(names[i]) for i in crowded)}")
    others = [i for i in left_out if i not in crowded]
    if others:
        said.append(f"left out: {', '.join(repr(names[i]) for i in others)}")
    how = (f"{name}: a CSV file read as {table.encoding}, {table.separator!r}-separated, "
           f"{'with a header row' if table.header else 'with no header row'}, "
           f"label column {names[target]!r}, {task}" + "".join(f"; {s}" for s in said))
    common = dict(name=name, kind="tabular", task=task, feature_names=feature_names,
                  title=name, noun="rows", source=how, licence="your own data")
    layout = dict(table=table, target=target, left_out=left_out, encoded=encoded, ignored=ignored, origin=origin)
    if task == "regression":
        if not numeric:
            number, cell = next((n, c) for (n, _), c in zip(rows, cells, strict=True) if not _is_number(c, decimal_comma))
            raise CSVError(
                f"row {number}, label column {names[target]!r} ({target + 1}): {cell!r} is not a number, "
                "and regression needs a number in every row"
            )
        return _with_layout(Dataset(x, values, target_name=names[target], **common), **layout)
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
    return _with_layout(Dataset(x, y, classes=classes, **common), **layout)


def _one_hot(out, cell, categories, number, where):
    """Write ``cell``'s one-hot code (a 1 at its category) into ``out``, or say what is wrong with it."""
    if cell.lower() in MISSING:
        raise CSVError(f"row {number}, column {where}: the value is missing; fill it in, or ignore the column")
    try:
        out[categories.index(cell)] = 1.0
    except ValueError:
        shown = ", ".join(map(repr, categories[:8])) + (", ..." if len(categories) > 8 else "")
        raise CSVError(f"row {number}, column {where}: {cell!r} is not one of the column's categories "
                       f"({shown})") from None


def _with_layout(dataset, *, table, target, left_out, encoded, ignored, origin):
    """Note the file's columns on the dataset (``column_kinds``: :meth:`_Table.kinds`), so a page can offer
    another label column and say what it left out; the options that read the file the same way again (``csv``,
    which a model file keeps); and how it was read (``origin``: the file, and those options)."""
    names = table.names
    dataset.columns, dataset.label_column = list(names), names[target]
    dataset.column_kinds = table.kinds()
    dataset.ignored_columns = [names[i] for i in left_out]
    dataset.encoded_columns = {names[i]: list(c) for i, c in encoded.items()}
    dataset.label_note = None
    dataset.csv = {"name": origin["name"], "label": names[target], "task": dataset.task,
                   "ignore": [names[i] for i in ignored], "encode": dataset.encoded_columns}
    dataset.origin = {**origin, **dataset.csv, "label_column": dataset.label_column, "ignored": dataset.ignored_columns}
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
