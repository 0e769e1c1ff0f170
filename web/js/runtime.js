import { WorkerClient } from "./worker-client.js";

const WORKER_URL = new URL("./py-worker.js", import.meta.url);
const STARTUP_TIMEOUT_MS = 120_000;

/**
 * Owns the Python worker's life: start it, time out a start-up that hangs,
 * and restart it on Retry. Views subscribe through the callbacks.
 */
export class Runtime {
  /**
   * @param {{onStage: Function, onReady: Function, onError: Function, kernel?: boolean}} options
   *   kernel: false makes Python multiply with NumPy alone (the page's "?kernel=off").
   */
  constructor({ onStage, onReady, onError, kernel = true }) {
    this.callbacks = { onStage, onReady, onError };
    this.kernel = kernel;
    this.client = null;
    this.interruptBuffer = null;
  }

  /** Start (or restart) the worker and wait for Python to be ready. */
  async start() {
    this.client?.terminate();
    const client = new WorkerClient(WORKER_URL, {
      onEvent: (event) => event.event === "stage" && this.callbacks.onStage(event),
      onCrash: (error) => this.callbacks.onError(error.message),
    });
    this.client = client;
    this.interruptBuffer = null;
    try {
      const summary = await client.request("init", { kernel: this.kernel }, { timeoutMs: STARTUP_TIMEOUT_MS });
      if (this.client !== client) return;
      if (self.crossOriginIsolated) {
        // Pyodide's interrupt buffer: writing 2 (SIGINT) stops a training
        // chunk at its next batch instead of at the end of its ~100 ms.
        const buffer = new Uint8Array(new SharedArrayBuffer(1));
        await client.request("interrupts", { buffer });
        this.interruptBuffer = buffer;
      }
      if (this.client === client) this.callbacks.onReady(summary);
    } catch (err) {
      if (this.client === client) this.callbacks.onError(err.message);
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
    this.callbacks.onError(message);
  }
}
