/**
 * A small client for the Python worker: every request carries an id, and the
 * promise settles on the reply with the same id ({id, result} or {id, error}).
 * Messages without an id are events (start-up progress) for `onEvent`.
 */
export class WorkerClient {
  /**
   * @param {URL|string} url Module worker script.
   * @param {{onEvent?: (event: object) => void, onCrash?: (error: Error) => void}} [hooks]
   */
  constructor(url, { onEvent = () => {}, onCrash = () => {} } = {}) {
    this.pending = new Map();
    this.nextId = 1;
    this.worker = new Worker(url, { type: "module" });
    this.worker.onmessage = ({ data }) => {
      if (data.id === undefined) return onEvent(data);
      const entry = this.pending.get(data.id);
      if (!entry) return;
      this.pending.delete(data.id);
      clearTimeout(entry.timer);
      if ("error" in data) entry.reject(new Error(data.error));
      else entry.resolve(data.result);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`the Python worker crashed: ${event.message || "unknown error"}`);
      this.failAll(error);
      onCrash(error);
    };
  }

  /**
   * Send a request and wait for its reply.
   * @param {string} type
   * @param {object} [payload]
   * @param {{timeoutMs?: number}} [options] Reject if no reply comes in time.
   * @returns {Promise<any>}
   */
  request(type, payload = {}, { timeoutMs } = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = timeoutMs
        ? setTimeout(() => {
            this.pending.delete(id);
            reject(new Error(`no answer from the Python worker after ${Math.round(timeoutMs / 1000)} s (${type})`));
          }, timeoutMs)
        : undefined;
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, type, ...payload });
    });
  }

  /**
   * Call a method of the Python session (mlp.session.Session).
   * @param {string} method
   * @param {Array} [args]
   * @param {object} [kwargs]
   * @param {{timeoutMs?: number}} [options]
   */
  call(method, args = [], kwargs = {}, options = {}) {
    return this.request("call", { method, args, kwargs }, options);
  }

  /** Reject every outstanding request. */
  failAll(error) {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.pending.clear();
  }

  /** Stop the worker; outstanding requests fail. */
  terminate() {
    this.worker.terminate();
    this.failAll(new Error("the Python worker was stopped"));
  }
}
