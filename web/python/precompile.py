"""Byte-compile the site's Python in Pyodide's own Python: the stdlib, NumPy and mlp modules the page imports at start-up.

Run by precompile.mjs (beside this file), inside Pyodide under Node, not by
CPython: the .pyc must come from Pyodide's Python (3.12), whose magic number
it checks. precompile.mjs runs this file, then calls

    main(inputs, outputs, settings)

``inputs`` is a folder in Pyodide's file system holding ``python_stdlib.zip``,
``numpy.whl`` and ``mlp.whl`` (the mlp wheel also unpacked in ``HOME``, and
NumPy loaded); ``settings`` is JSON: ``{"startup_imports": [...],
"numpy_unused": [...]}`` (build.py's STARTUP_IMPORTS and NUMPY_UNUSED).
``main`` imports the start-up modules, then writes to the ``outputs`` folder
each archive with every module that was loaded replaced by its .pyc
(unchecked hash-based: used without a source to check against), the stdlib
the start does not import as ``python_stdlib_rest.zip``, the names of its
modules as ``stdlib_rest.json``, and how many modules were compiled as
``counts.json``. Other modules stay as source and compile when first imported.

build.py imports this file too, for :func:`record_line` (its wheel's RECORD)
and so the tests can reach :func:`top_level`. Everything this file imports
is loaded before the start-up modules are, and so is precompiled with them:
import nothing more without checking that the site's archives stay the same.
"""

import ast
import base64
import contextlib
import hashlib
import importlib
import importlib.util
import json
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

STDLIB, SITE = "/lib/python312.zip/", "/lib/python3.12/site-packages/"
HOME = "/home/pyodide/"  # where unpackArchive puts the mlp wheel, as py-worker.js does


class _Docstrings(ast.NodeTransformer):
    """Empties the docstrings of a module, its classes and functions. Unlike `python -OO`, which
    makes them None, this keeps `assert`s, and code that passes `__doc__` on (NumPy's
    `add_docstring`, which refuses None unless -OO is on) still gets a string."""

    def _drop(self, node):
        self.generic_visit(node)
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body[0].value.value = ""
        return node

    visit_Module = visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _drop


def compiled(source, filename, docstrings=True):
    """The bytes of an unchecked hash-based .pyc of ``source``, compiled by the running Python."""
    tree = ast.parse(source, filename)
    if not docstrings:
        tree = _Docstrings().visit(tree)
    code = compile(tree, filename, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def top_level(member):
    """The top-level module or package an archive member belongs to: "json" for "json/decoder.py",
    "abc" for "abc.py" or its "abc.pyc"."""
    return member.split("/")[0].removesuffix(".pyc").removesuffix(".py")


def record_line(name, data):
    """A wheel's RECORD line for a member: its name, the urlsafe base64 of its sha256 without padding, its size."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def rewrite(src_path, out_path, prefix, compression, loaded, keep_source=False, unused=(), docstrings=True,
            rest_path=None):
    """Copy an archive with each member a start-up module came from compiled: its .pyc in place of
    the .py, or with ``keep_source`` beside it in __pycache__. ``loaded``: the files the start-up
    modules came from, ``prefix`` where the archive's members are found among them. Members under an
    ``unused`` folder or with an ``unused`` ending are left out; without ``docstrings`` the .pyc have
    none. With ``rest_path``, the top-level modules and packages of which nothing was imported go to
    that archive instead, unchanged. A wheel's RECORD is redone. Returns how many modules were compiled."""
    count, record, record_info = 0, [], None
    folders = tuple(u for u in unused if u.endswith("/"))
    endings = tuple(u for u in unused if not u.endswith("/"))
    imported = {top_level(f[len(prefix):]) for f in loaded if f.startswith(prefix)}
    with contextlib.ExitStack() as stack:
        src = stack.enter_context(zipfile.ZipFile(src_path))
        out = stack.enter_context(zipfile.ZipFile(out_path, "w", compression))
        rest = stack.enter_context(zipfile.ZipFile(rest_path, "w", compression)) if rest_path else None
        for info in src.infolist():
            if info.filename.startswith(folders) or info.filename.endswith(endings):
                continue
            data = src.read(info.filename)
            if rest is not None and top_level(info.filename) not in imported:
                rest.writestr(info, data, compress_type=compression)
                continue
            if info.filename.endswith(".dist-info/RECORD"):
                record_info = info
                continue
            members = [(info, data)]
            if info.filename.endswith(".py") and prefix + info.filename in loaded:
                name = importlib.util.cache_from_source(info.filename) if keep_source else info.filename[:-3] + ".pyc"
                pyc = zipfile.ZipInfo(name, info.date_time)
                pyc.external_attr = info.external_attr
                members = [*members[:keep_source], (pyc, compiled(data, prefix + info.filename, docstrings))]
                count += 1
            for member, payload in members:
                out.writestr(member, payload, compress_type=compression)
                record.append(record_line(member.filename, payload))
        if record_info is not None:
            out.writestr(record_info, "\n".join([*record, f"{record_info.filename},,"]) + "\n", compress_type=compression)
    return count


def modules_in(path):
    """The top-level modules and packages an archive holds."""
    with zipfile.ZipFile(path) as archive:
        return sorted({top_level(m) for m in archive.namelist() if m.endswith(".py")})


def main(inputs, outputs, settings):
    """Import the start-up modules, then write the archives with them compiled (see the module's docstring)."""
    settings = json.loads(settings)
    for name in settings["startup_imports"]:
        importlib.import_module(name)
    loaded = {m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)}
    stored = zipfile.ZIP_STORED  # build.py deflates them if asked (its ``packed``)
    counts = {
        "stdlib": rewrite(f"{inputs}/python_stdlib.zip", f"{outputs}/python_stdlib.zip", STDLIB, stored, loaded,
                          docstrings=False, rest_path=f"{outputs}/python_stdlib_rest.zip"),
        "numpy": rewrite(f"{inputs}/numpy.whl", f"{outputs}/numpy.whl", SITE, stored, loaded,
                         unused=settings["numpy_unused"], docstrings=False),
        "mlp": rewrite(f"{inputs}/mlp.whl", f"{outputs}/mlp.whl", HOME, stored, loaded, keep_source=True),
    }
    with open(f"{outputs}/stdlib_rest.json", "w") as fh:
        json.dump(modules_in(f"{outputs}/python_stdlib_rest.zip"), fh)
    with open(f"{outputs}/counts.json", "w") as fh:
        json.dump(counts, fh)
    return counts
