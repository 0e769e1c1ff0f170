/**
 * The page's first script: it starts Python at once, so Pyodide downloads and
 * compiles in its worker while the views' modules are still loading. main.js
 * imports the same runtime and listens to it (Runtime.listen replays what it
 * missed).
 */
import { Runtime } from "./runtime.js";

/** To compare: ?kernel=off, Python multiplies with NumPy alone; ?kernel=plain, the kernel without fused multiply-adds. */
export const runtime = new Runtime({ kernel: new URLSearchParams(location.search).get("kernel") ?? "auto" });
runtime.start();
