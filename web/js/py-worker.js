/**
 * The Python worker: loads Pyodide once, installs NumPy and the mlp wheel,
 * opens a session on the first dataset of data/datasets.json (the digits) and
 * the pretrained model, then answers id-tagged requests. All Python runs
 * here, off the page's main thread.
 *
 * Protocol (see worker-client.js):
 *   page -> worker  {id, type: "init", kernel, cached}     -> {id, result: summary}
 *   page -> worker  {id, type: "call", method, args, kwargs} -> {id, result} | {id, error}
 *   page -> worker  {id, type: "interrupts", buffer}       -> {id, result: true}
 *                   (a shared Uint8Array; the page writes 2 into it to stop training mid-chunk)
 *   page -> worker  {id, type: "memory"}                   -> {id, result: {wasmBytes, jsHeapBytes}}
 *   worker -> page  {event: "stage", stage, state, ms, detail}  (start-up progress, no id)
 *
 * The logic lives in mlp (tested in CPython). At start-up this file imports
 * what it needs to open the session (mlp.session.Session, mlp.data.decode_dataset,
 * and mlp.matmul.BACKEND for the status line); after that it only relays
 * "call" requests, and only to the methods mlp.session declares with
 * @page_method (Session.PAGE_METHODS).
 */

const SITE = new URL("../", import.meta.url);

/**
 * A learner's code runs in this worker ("Run my code"), with all of JavaScript
 * within reach of Python's `js` module. Take away, before anything runs, what
 * neither Pyodide nor mlp needs and what could outlive the visit: the site's
 * Cache Storage (which the service worker serves the page from) and
 * IndexedDB (where the page keeps what the learner made), whose getters live
 * on WorkerGlobalScope.prototype, and the constructors of further workers,
 * which would start without these removals. The service worker checks every
 * file it serves anyway (web/sw.js); this is the second line.
 */
function removeWhatLearnerCodeMustNotReach() {
  for (const name of ["caches", "indexedDB"]) delete WorkerGlobalScope.prototype[name];
  for (const name of ["Worker", "SharedWorker"]) delete self[name];
  if (self.WorkerNavigator) delete self.WorkerNavigator.prototype.serviceWorker;
}
removeWhatLearnerCodeMustNotReach();

let pyodide = null;
let session = null;
/** Session methods the page may call (Session.PAGE_METHODS, declared with @page_method); anything else is refused. */
let pageMethods = new Set();
let startup = null;

function emit(stage, state, extra = {}) {
  self.postMessage({ event: "stage", stage, state, ...extra });
}

let manifest = null;

/** Fetch a site file, or throw an error that names it (missing, unreachable or cut short). */
async function fetchSiteFile(path, kind) {
  const url = new URL(path, SITE);
  let bytes;
  try {
    const response = await fetch(url, { cache: "no-cache" });
    if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    throw err.message.startsWith("could not load") ? err : new Error(`could not load ${path}: ${err.message}`);
  }
  const expected = manifest?.files?.[path]?.bytes;
  if (expected !== undefined && bytes.length !== expected) {
    throw new Error(`${path} is damaged: ${bytes.length} of ${expected} bytes arrived`);
  }
  if (kind === "bytes") return bytes;
  const text = new TextDecoder().decode(bytes);
  return kind === "json" ? JSON.parse(text) : text;
}

/**
 * Pyodide's own loaders fail with messages that do not say which file was
 * at fault; fetch the stage's files again to find the one that is.
 */
async function diagnose(paths) {
  for (const path of paths) {
    try {
      await fetchSiteFile(path, "bytes");
    } catch (err) {
      return err.message;
    }
  }
  return null;
}

/**
 * Pyodide compiles its wasm with instantiateStreaming, which refuses any type
 * but application/wasm and then never settles: ask first, and fail at once
 * with a message that says what to fix. Offline (a HEAD cannot be answered)
 * the check is skipped: the service worker serves the right file.
 */
async function checkWasmType(url) {
  let response;
  try {
    response = await fetch(url, { method: "HEAD", cache: "no-cache" });
  } catch {
    return;
  }
  const name = new URL(url).pathname.split("/").slice(-2).join("/");
  if (!response.ok) throw new Error(`could not load ${name}: HTTP ${response.status}`);
  const type = response.headers.get("Content-Type") || "none";
  if (!type.startsWith("application/wasm")) {
    throw new Error(`${name} is served as "${type}"; WebAssembly needs "application/wasm". Fix the server's MIME types.`);
  }
}

/** Run one named start-up stage, reporting its start, end and duration; `files` are checked if it fails. */
async function stage(name, work, files = []) {
  const t0 = performance.now();
  emit(name, "running");
  try {
    const value = await work();
    emit(name, "done", { ms: performance.now() - t0 });
    return value;
  } catch (err) {
    const found = await diagnose(files);
    const message = found ? `${found} (${name} stage: ${err.message || err})` : `${name} stage failed: ${err.message || err}`;
    emit(name, "failed", { ms: performance.now() - t0, detail: message });
    throw new Error(message, { cause: err });
  }
}

/**
 * Where the WebAssembly kernel (web/wasm/kernel.wat) goes in Pyodide's file
 * system; Python finds it through $MLP_KERNEL and opens it with ctypes
 * (mlp/kernel.py). Without the file (?kernel=off, or it could not be
 * fetched) Python uses NumPy alone.
 */
const KERNEL_PATH = "/lib/mlp_kernel.so";

/**
 * The stdlib modules the page does not import at start-up are in a second
 * archive (build.py: STDLIB_REST), 0.8 MB the start does not wait for. This
 * finder, last on sys.meta_path, fetches it on the first import of one of
 * them (synchronously: an import cannot wait for a promise, and a worker may
 * block), puts it on sys.path and steps aside. A failed fetch is an
 * ImportError that names the file; the next import tries again.
 */
const REST_OF_STDLIB = `
import sys
from importlib.machinery import PathFinder
from js import XMLHttpRequest


class RestOfStdlib:
    def __init__(self, url, file, size, path, modules):
        self.url, self.file, self.size, self.path, self.modules = url, file, size, path, frozenset(modules)

    def find_spec(self, name, path=None, target=None):
        if path is not None or name not in self.modules:  # a submodule, or not in the archive
            return None
        request = XMLHttpRequest.new()
        request.open("GET", self.url, False)
        request.responseType = "arraybuffer"
        request.timeout = 60_000  # a stalled server would otherwise block Python for good
        request.setRequestHeader("Cache-Control", "no-cache")  # this build's file, not an older one the browser kept
        try:
            request.send()
        except Exception as err:
            raise ImportError(f"could not load {self.file} for 'import {name}': {err}", name=name) from None
        if request.status != 200:
            raise ImportError(f"could not load {self.file} for 'import {name}': HTTP {request.status}", name=name)
        data = request.response.to_bytes()
        if len(data) != self.size:
            raise ImportError(f"{self.file} is damaged: {len(data)} of {self.size} bytes arrived", name=name)
        with open(self.path, "wb") as f:
            f.write(data)
        sys.meta_path.remove(self)
        sys.path.append(self.path)
        return PathFinder.find_spec(name)


def install(*args):
    sys.meta_path.append(RestOfStdlib(*args))


install
`;

/** Put the rest of the stdlib (manifest.pyodide.stdlib_rest, if the build split it) within import's reach. */
function installRestOfStdlib(py, rest) {
  if (!rest?.file) return;
  const install = py.runPython(REST_OF_STDLIB);
  const modules = py.toPy(rest.modules);
  try {
    install(new URL(rest.file, SITE).href, rest.file, manifest.files[rest.file].bytes, "/lib/python312_rest.zip", modules);
  } finally {
    install.destroy();
    modules.destroy();
  }
}

/**
 * The kernel's bytes, or null (then Python multiplies with NumPy alone). "auto": the
 * build with fused multiply-adds where this engine has relaxed SIMD, else the
 * plain one; "plain": the plain one; "off": none. A file that does not arrive or
 * that this engine cannot compile (no SIMD) counts as missing.
 */
async function fetchKernel(choice) {
  const choices = new Map([["off", []], ["plain", [manifest.kernel.file]]]);
  const files = choices.get(choice) ?? [manifest.kernel.fused, manifest.kernel.file];
  for (const file of files) {
    const bytes = await fetchSiteFile(file, "bytes").catch(() => null);
    if (bytes && WebAssembly.validate(bytes)) return bytes;
  }
  return null;
}

/**
 * NumPy's wheel in a vendored build (the one whose sha256 the served lock
 * has). The worker fetches it alongside Pyodide and unpacks it as it does the
 * mlp wheel. loadPackage("numpy") would fetch it only once Python has started,
 * then compile all 19 of NumPy's extension modules; unpacked, each is
 * compiled when Python first imports it, and a start imports 3. From the CDN,
 * loadPackage it is.
 */
const NUMPY_WHEEL = /^pyodide\/numpy-.*\.whl$/;

/**
 * Start Python: `kernel` is fetchKernel's choice; `cached` (the page is
 * served by the service worker, from this build's cache) skips checking the
 * server's MIME type for the wasm, so a warm visit sends no request at all.
 */
async function start({ kernel: kernelChoice = "auto", cached = false } = {}) {
  const t0 = performance.now();
  manifest = await stage("manifest", () => fetchSiteFile("build-manifest.json", "json"));
  const pyodideFiles = (pattern) => Object.keys(manifest.files).filter((f) => pattern.test(f));
  // Start every download now; each stage awaits its own when it needs it.
  const numpyFile = pyodideFiles(NUMPY_WHEEL)[0]; // none when Pyodide comes from its CDN
  const numpyWheel = numpyFile ? fetchSiteFile(numpyFile, "bytes") : null;
  const wheel = fetchSiteFile(manifest.mlp_wheel, "bytes");
  const datasetIndex = fetchSiteFile("data/datasets.json", "json");
  const dataset = fetchSiteFile(manifest.datasets[0].file, "bytes");
  const model = fetchSiteFile(manifest.pretrained_model.file, "text");
  for (const p of [numpyWheel, wheel, datasetIndex, dataset, model]) p?.catch(() => {});
  const kernel = fetchKernel(kernelChoice);

  const indexURL = new URL(manifest.pyodide.index_url, SITE).href;
  pyodide = await stage("runtime", async () => {
    // Checked alongside, not before: a wrong type rejects at once, while loadPyodide would hang.
    const typeChecked = cached ? null : checkWasmType(indexURL + "pyodide.asm.wasm");
    const { loadPyodide } = await import(indexURL + "pyodide.mjs");
    const [, loaded] = await Promise.all([typeChecked, loadPyodide({ indexURL, env: { MLP_KERNEL: KERNEL_PATH } })]);
    installRestOfStdlib(loaded, manifest.pyodide.stdlib_rest);
    return loaded;
  }, pyodideFiles(/^pyodide\/(pyodide\.(mjs|asm\.js|asm\.wasm)|python_stdlib\.zip|pyodide-lock\.json)$/));
  await stage("numpy", async () => {
    if (numpyWheel) pyodide.unpackArchive(await numpyWheel, "wheel");
    else await pyodide.loadPackage("numpy", { messageCallback: () => {}, errorCallback: () => {} });
    pyodide.runPython("import numpy");
  }, numpyFile ? [numpyFile] : []);
  const [Session, decodeDataset, backend] = await stage("mlp", async () => {
    const kernelBytes = await kernel; // mlp.kernel opens it when imported
    if (kernelBytes) pyodide.FS.writeFile(KERNEL_PATH, kernelBytes);
    pyodide.unpackArchive(await wheel, "wheel");
    return [pyodide.pyimport("mlp.session.Session"), pyodide.pyimport("mlp.data.decode_dataset"),
      pyodide.pyimport("mlp.matmul").BACKEND];
  });
  const names = Session.PAGE_METHODS;
  pageMethods = new Set(names);
  session = await stage("data", async () => {
    const entry = (await datasetIndex).datasets.find((d) => `data/${d.file}` === manifest.datasets[0].file);
    const proxies = [pyodide.toPy(await dataset), pyodide.toPy(entry)];
    try {
      proxies.push(decodeDataset(...proxies));
      return Session(proxies[2]);
    } finally {
      for (const p of proxies) p.destroy();
    }
  });
  for (const p of [names, Session, decodeDataset]) p.destroy();
  const summary = await stage("model", async () => callSession("import_model", [await model]));
  const { n_train, n_test } = callSession("describe");
  return {
    model: summary,
    split: { n_train, n_test },
    pretrainedAccuracy: manifest.pretrained_model.test_accuracy,
    pyodideVersion: pyodide.version,
    matmul: backend,
    crossOriginIsolated: self.crossOriginIsolated === true,
    ms: performance.now() - t0,
  };
}

/** Convert a Python result to plain JS and free the proxy. */
function toJs(value) {
  if (value && typeof value.toJs === "function") {
    const js = value.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
    value.destroy();
    return js;
  }
  return value;
}

/** A Python error's message for the user: the traceback's last line, without the exception's class ("mlp.csvfile.CSVError: "). */
function pythonMessage(err) {
  const text = String((err && err.message) || err).trim();
  return err && err.type ? text.split("\n").pop().replace(/^(\w+\.)*\w+: /, "") : text;
}

function callSession(method, args = [], kwargs = {}) {
  if (!pageMethods.has(method)) throw new Error(`unknown session method ${method}`);
  const proxies = [];
  const toPy = (v) => {
    if (v !== null && typeof v === "object") {
      const p = pyodide.toPy(v);
      proxies.push(p);
      return p;
    }
    return v;
  };
  const fn = session[method];
  try {
    const pyKwargs = Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, toPy(v)]));
    return toJs(fn.callKwargs(...args.map(toPy), pyKwargs));
  } finally {
    fn.destroy();
    for (const p of proxies) p.destroy();
  }
}

/** Memory in use: the wasm heap (Python and NumPy live there) and, where the browser tells, the JS heap. */
function memory() {
  return {
    wasmBytes: pyodide._module.HEAP8.buffer.byteLength,
    jsHeapBytes: self.performance?.memory?.usedJSHeapSize ?? null,
  };
}

const handlers = new Map([
  ["init", (options) => (startup ??= start(options))],
  ["memory", async () => {
    await startup;
    return memory();
  }],
  ["interrupts", async ({ buffer }) => {
    await startup;
    pyodide.setInterruptBuffer(buffer);
    // SIGINT now stops training at its next batch instead of raising KeyboardInterrupt.
    callSession("handle_interrupts");
    return true;
  }],
  ["call", async ({ method, args, kwargs }) => {
    await startup;
    return callSession(method, args, kwargs);
  }],
]);

self.onmessage = async (event) => {
  const { id, type, ...payload } = event.data;
  try {
    const handler = handlers.get(type);
    if (!handler) throw new Error(`unknown request type ${type}`);
    self.postMessage({ id, result: await handler(payload) });
  } catch (err) {
    self.postMessage({ id, error: pythonMessage(err) });
  }
};
