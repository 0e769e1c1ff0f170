import { WorkerClient } from "./worker-client.js";

const WORKER_URL = new URL("./py-worker.js", import.meta.url);
const STARTUP_TIMEOUT_MS = 120_000;

/**
 * Owns the Python worker's life: start it, time out a start-up that hangs,
 * and restart it on Retry. Views subscribe through the callbacks.
 */
export class Runtime {
  /**
   * @param {{onStage: Function, onReady: Function, onError: Function}} callbacks
   */
  constructor({ onStage, onReady, onError }) {
    this.callbacks = { onStage, onReady, onError };
    this.client = null;
  }

  /** Start (or restart) the worker and wait for Python to be ready. */
  async start() {
    this.client?.terminate();
    const client = new WorkerClient(WORKER_URL, {
      onEvent: (event) => event.event === "stage" && this.callbacks.onStage(event),
      onCrash: (error) => this.callbacks.onError(error.message),
    });
    this.client = client;
    try {
      const summary = await client.request("init", {}, { timeoutMs: STARTUP_TIMEOUT_MS });
      if (this.client === client) this.callbacks.onReady(summary);
    } catch (err) {
      if (this.client === client) this.callbacks.onError(err.message);
    }
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
