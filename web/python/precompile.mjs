// Byte-compile the site's Python in Pyodide under Node: start Pyodide as its npm package ships it,
// load NumPy, unpack the mlp wheel where py-worker.js does, and run precompile.py (beside this file)
// on the stdlib zip and the two wheels. Run by build.py (its _compile_in_pyodide):
//
//   node precompile.mjs RUNTIME_DIR NUMPY_WHEEL MLP_WHEEL OUT_DIR SETTINGS_JSON
//
// RUNTIME_DIR: Pyodide's core files, with NumPy's wheel beside them under the name NUMPY_WHEEL
// (where loadPackage("numpy") looks for it); MLP_WHEEL: the path of the mlp wheel;
// OUT_DIR: an existing folder, which gets the files precompile.py's main() writes;
// SETTINGS_JSON: what main() reads (startup_imports, numpy_unused).
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [runtimeDir, numpyWheel, mlpWheel, outDir, settings] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(runtimeDir + "/pyodide.mjs").href);
const py = await loadPyodide({ indexURL: runtimeDir + "/" });
await py.loadPackage("numpy", { messageCallback: () => {} });
py.unpackArchive(new Uint8Array(readFileSync(mlpWheel)), "wheel");
const inputs = "/tmp/in", outputs = "/tmp/out";
py.FS.mkdirTree(inputs);
py.FS.mkdirTree(outputs);
py.FS.writeFile(inputs + "/python_stdlib.zip", readFileSync(runtimeDir + "/python_stdlib.zip"));
py.FS.writeFile(inputs + "/numpy.whl", readFileSync(runtimeDir + "/" + numpyWheel));
py.FS.writeFile(inputs + "/mlp.whl", readFileSync(mlpWheel));
py.runPython(readFileSync(new URL("precompile.py", import.meta.url), "utf8"));
py.globals.get("main")(inputs, outputs, settings);
for (const name of py.FS.readdir(outputs).filter((n) => n !== "." && n !== "..")) {
  writeFileSync(outDir + "/" + name, py.FS.readFile(outputs + "/" + name));
}
