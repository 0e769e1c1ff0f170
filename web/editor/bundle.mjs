// Bundle the page's code editor (editor.js, beside this file, with the CodeMirror packages it imports)
// into one minified ES module with esbuild's WebAssembly build. Run by build.py (its bundle_editor):
//
//   node bundle.mjs NODE_MODULES ENTRY OUT
//
// NODE_MODULES: the node_modules folder `npm ci` filled from package-lock.json (esbuild-wasm is among them);
// ENTRY: the entry module (web/editor/editor.js); OUT: where the bundle goes.
import { createRequire } from "node:module";

const [modules, entry, out] = process.argv.slice(2);
const { build } = createRequire(modules + "/")("esbuild-wasm");
await build({ entryPoints: [entry], bundle: true, format: "esm", minify: true, target: "es2020",
              outfile: out, nodePaths: [modules], logLevel: "warning" });
