// Assemble a WebAssembly text file (the kernel, kernel.wat beside this file) into a binary module,
// validated, with WABT's wat2wasm (the JavaScript build of the wabt npm package). Run by build.py
// (its assemble_kernel), once for the kernel as written and once for its fused copy:
//
//   node assemble.mjs WABT_DIR SOURCE OUT [--relaxed-simd]
//
// WABT_DIR: the wabt package's folder (its index.js); SOURCE: the .wat file; OUT: where the .wasm goes;
// --relaxed-simd: accept relaxed-SIMD instructions (the fused copy's relaxed_madd). SIMD is always on.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const [wabtDir, source, out, ...flags] = process.argv.slice(2);
const wabt = await createRequire(wabtDir + "/")("./index.js")();
const module = wabt.parseWat(source, readFileSync(source, "utf8"),
                             { simd: true, relaxed_simd: flags.includes("--relaxed-simd") });
module.validate();
writeFileSync(out, module.toBinary({}).buffer);
