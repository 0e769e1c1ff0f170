/** The Python worker's life: start it, time a hung start-up out, restart it on Retry, and pass calls to it. */
import { WorkerClient } from "./worker-client.js";

const WORKER_URL = new URL("./py-worker.js", import.meta.url);
const STARTUP_TIMEOUT_MS = 120_000;
/** How long Stop waits for Python to end what it runs before it restarts Python instead. */
export const STOP_GRACE_MS = 3000;

/**
 * Why Stop cannot reach Python in the middle of a call here, if it cannot.
 * It can where the page is cross-origin isolated: only then does the page
 * have SharedArrayBuffer, which Pyodide's interrupt buffer needs. The service
 * worker adds the headers that isolate the page on any host, but only to the
 * pages it serves: from the second visit on.
 * @returns {{reason: string, remedy: string}|null} null where the page is isolated; else why not,
 *   as a clause ("as ..."), and what would help, as a sentence ("" if nothing the learner can do)
 */
export function whyNotIsolated() {
  if (self.crossOriginIsolated) return null;
  if (!("serviceWorker" in self.navigator)) return { reason: "this browser runs no service worker here", remedy: "" };
  if (!self.navigator.serviceWorker.controller) {
    return { reason: "this is your first visit", remedy: "From your next visit (or a reload), Stop is instant." };
  }
  return { reason: "this browser does not allow it here", remedy: "" };
}

/**
 * Owns the Python worker's life: start it, time out a start-up that hangs,
 * and restart it on Retry. Views subscribe through the callbacks.
 *
 * The page starts Python before its views exist (boot.js), so whatever
 * happens before `listen` (start-up stages, ready or an error) is kept and
 * replayed to the callbacks when they arrive.
 */
export class Runtime {
  /**
   * @param {{onStage?: Function, onReady?: Function, onError?: Function, kernel?: string}} options
   *   kernel: "auto" (the kernel with fused multiply-adds where the engine has them), "plain" (the kernel
   *   without them) or "off" (NumPy alone): the page's "?kernel=".
   */
  constructor({ onStage, onReady, onError, kernel = "auto" } = {}) {
    this.callbacks = null;
    this.missed = [];
    if (onStage || onReady || onError) this.listen({ onStage, onReady, onError });
    this.kernel = kernel;
    this.client = null;
    this.interruptBuffer = null;
  }

  /** Set the callbacks, and give them what happened before they were set, in order. */
  listen({ onStage = () => {}, onReady = () => {}, onError = () => {} }) {
    this.callbacks = { onStage, onReady, onError };
    for (const [name, value] of this.missed.splice(0)) this.callbacks[name](value);
  }

  /** Call a callback now, or keep the call for `listen`. */
  tell(name, value) {
    if (this.callbacks) this.callbacks[name](value);
    else this.missed.push([name, value]);
  }

  /** Start (or restart) the worker and wait for Python to be ready. */
  async start() {
    this.client?.terminate();
    const client = new WorkerClient(WORKER_URL, {
      onEvent: (event) => event.event === "stage" && this.tell("onStage", event),
      onCrash: (error) => this.tell("onError", error.message),
    });
    this.client = client;
    this.interruptBuffer = null;
    try {
      // With a service worker in charge, every file comes from this build's cache, already checked.
      const cached = Boolean(self.navigator.serviceWorker?.controller);
      const summary = await client.request("init", { kernel: this.kernel, cached }, { timeoutMs: STARTUP_TIMEOUT_MS });
      if (this.client !== client) return;
      if (self.crossOriginIsolated) {
        // Pyodide's interrupt buffer: writing 2 (SIGINT) stops a training
        // chunk at its next batch instead of at the end of its ~100 ms.
        const buffer = new Uint8Array(new SharedArrayBuffer(1));
        await client.request("interrupts", { buffer });
        this.interruptBuffer = buffer;
      }
      if (this.client === client) this.tell("onReady", summary);
    } catch (err) {
      if (this.client === client) this.tell("onError", err.message);
    }
  }

  /** Whether Stop can reach Python mid-chunk (only where SharedArrayBuffer exists, i.e. crossOriginIsolated). */
  get interruptible() {
    return this.interruptBuffer !== null;
  }

  /** Signal SIGINT to Python: the training chunk in progress ends at its next batch. */
  interrupt() {
    if (this.interruptBuffer) Atomics.store(this.interruptBuffer, 0, 2);
  }

  /** Forget an interrupt that found no chunk to stop, before starting the next one. */
  clearInterrupt() {
    if (this.interruptBuffer) Atomics.store(this.interruptBuffer, 0, 0);
  }

  /** Memory the worker uses: {wasmBytes, jsHeapBytes}. */
  memory() {
    return this.client.request("memory");
  }

  /** Call a session method in the worker. */
  call(method, args, kwargs, options) {
    return this.client.call(method, args, kwargs, options);
  }

  /** The worker stopped answering: treat it as a crash, so the page offers Retry. */
  lost(message) {
    this.client?.terminate();
    this.tell("onError", message);
  }
}
