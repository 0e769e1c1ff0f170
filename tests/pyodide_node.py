"""Run Python inside the built site's Pyodide, under Node: the page's runtime without the page.

For tests of what only happens in Pyodide (the WebAssembly kernel, NumPy
without a BLAS), faster and narrower than a browser. Node is required, as
for building the site (build.py assembles the kernel with it).
"""

import functools
import json
import platform
import subprocess
from pathlib import Path

_RUNNER = """
const [site, codeFile, withKernel] = process.argv.slice(1);
const { readFileSync } = await import("node:fs");
const { pathToFileURL } = await import("node:url");
const manifest = JSON.parse(readFileSync(site + "/build-manifest.json", "utf8"));
const { loadPyodide } = await import(pathToFileURL(site + "/pyodide/pyodide.mjs").href);
const kernelPath = "/lib/mlp_kernel.so";
const py = await loadPyodide({ indexURL: site + "/pyodide/", env: { MLP_KERNEL: kernelPath },
                               stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
await py.loadPackage("numpy", { messageCallback: () => {} });
if (withKernel !== "off") py.FS.writeFile(kernelPath, readFileSync(site + "/" + manifest.kernel[withKernel]));  // as py-worker.js does
py.unpackArchive(new Uint8Array(readFileSync(site + "/" + manifest.mlp_wheel)), "wheel");
const rest = manifest.pyodide.stdlib_rest;  // the page fetches it on first import; here it is on sys.path at once
if (rest) {
  py.FS.writeFile("/lib/python312_rest.zip", readFileSync(site + "/" + rest.file));
  py.runPython("import sys; sys.path.append('/lib/python312_rest.zip')");
}
let result;
try {
  result = py.runPython(readFileSync(codeFile, "utf8"));
} catch (err) {
  process.stderr.write("PYTHON ERROR " + err.message);  // the traceback, not Pyodide's minified source
  process.exit(1);
}
process.stdout.write("\\nRESULT " + result + "\\n");
"""


def run_python(site_dir, code, tmp_path, kernel=True, timeout=300):
    """Run ``code`` in Pyodide; its last expression, a JSON string, is returned parsed.

    ``kernel``: True for the plain kernel, "fused" for its build with fused multiply-adds (Node 20 runs
    relaxed SIMD behind a flag, which is given), False for none.
    """
    script = Path(tmp_path) / "snippet.py"
    script.write_text(code)
    choice = {True: "file", "fused": "fused", False: "off"}[kernel]
    flags = _relaxed_simd_flags() if kernel == "fused" else []
    proc = subprocess.run(
        ["node", *flags, "--input-type=module", "-e", _RUNNER, str(site_dir), str(script), choice],
        capture_output=True, text=True, timeout=timeout,
    )
    if proc.returncode != 0:
        raise AssertionError(f"Pyodide under Node failed:\n{proc.stderr.rpartition('PYTHON ERROR ')[2][-3000:]}")
    return json.loads(proc.stdout.rsplit("RESULT ", 1)[1])


def cpu_has_fma():
    """Whether this machine's CPU does fused multiply-adds, with which the kernel's relaxed-SIMD build rounds
    once per multiply-add: x86 with FMA3 (its "fma" flag), and every 64-bit ARM; None where it cannot tell."""
    if platform.machine().lower() in ("aarch64", "arm64"):
        return True
    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.exists():
        return None
    return " fma " in cpuinfo.read_text().replace("\n", " ")


def expected_backend(kernel):
    """mlp.matmul.BACKEND for a kernel build ("fused" or "plain") on this machine; None where it depends on a CPU
    that cannot be told."""
    fma = cpu_has_fma()
    if kernel == "plain" or fma is False:
        return "wasm-simd"
    return "wasm-simd-fma" if fma else None


@functools.cache
def _relaxed_simd_flags():
    """The flag that lets this Node run relaxed SIMD (Node 20 has it behind one), or none if it needs none."""
    options = subprocess.run(["node", "--v8-options"], capture_output=True, text=True).stdout
    return ["--experimental-wasm-relaxed-simd"] if "--experimental-wasm-relaxed-simd" in options else []
