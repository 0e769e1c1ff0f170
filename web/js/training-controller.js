/**
 * Drives training in the worker, one ~100 ms chunk at a time. No DOM here.
 *
 * Each chunk is one request (Session.train with a time budget), so Stop takes
 * effect within one chunk and other requests (a drawing's prediction) wait at
 * most one chunk. The next chunk is asked for as soon as one comes back, and
 * the page draws that one meanwhile, so the worker is not kept waiting for
 * the charts. Where the page is
 * crossOriginIsolated, Stop also writes to Pyodide's interrupt buffer, and the
 * chunk in flight ends at its next batch (a few ms) instead. A chunk that
 * has not ended a while after Stop is stuck in code that does not return (an
 * endless loop in the learner's code, where no interrupt reaches it): the
 * controller gives the run up, and the page restarts Python. States:
 * idle -> running -> (stopping ->) paused | finished, or stopping -> idle when given up.
 */
import { STOP_GRACE_MS } from "./runtime.js";

export const CHUNK_MS = 100;
/** A chunk takes ~100 ms; one that has not come back after this long means the worker is gone. */
const CHUNK_TIMEOUT_MS = 60_000;

export class TrainingController {
  /**
   * @param {{call: Function}} runtime
   * @param {{onState: Function, onChunk: Function, onEnd: Function, onError: Function, onStuck: Function}} listener
   *   onStuck: the chunk in flight did not end within STOP_GRACE_MS of Stop; the run is given up.
   */
  constructor(runtime, listener) {
    this.runtime = runtime;
    this.listener = listener;
    this.state = "idle";
    this.stopRequested = false;
    this.stopPressedAt = 0;
    /** Milliseconds from the last Stop to the paused state (null if the run ended by itself). */
    this.stopLatencyMs = null;
    this.wallSeconds = 0;
    /** After Stop: the timer that gives the run up if the chunk in flight does not end. */
    this.stopTimer = null;
    /** Whether the run was given up: its chunk's late answer (or failure) is ignored. */
    this.givenUp = false;
  }

  setState(state) {
    this.state = state;
    this.listener.onState(state);
  }

  get busy() {
    return this.state === "running" || this.state === "stopping";
  }

  /** Start a fresh run with `config` (re-initialised from its seed). */
  async start(config) {
    await this.fresh(config);
    return this.loop();
  }

  /** A fresh network for `config`, not trained yet. */
  async fresh(config) {
    await this.runtime.call("configure", [config]);
    const status = await this.runtime.call("reset");
    this.wallSeconds = 0;
    this.setState("idle");
    return status;
  }

  /** Continue the current run. */
  resume() {
    return this.loop();
  }

  /** Train one more epoch of the current run, in chunks like any run (so Stop works here too). */
  step() {
    return this.loop({ untilEpochEnd: true });
  }

  /** Ask the loop to stop: at the chunk in flight's next batch if Python can be interrupted, else after it. */
  stop() {
    if (this.state !== "running") return;
    this.stopRequested = true;
    this.stopPressedAt = performance.now();
    this.runtime.interrupt();
    this.setState("stopping");
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => {
      if (this.state !== "stopping") return;
      this.givenUp = true;
      this.setState("idle");
      this.listener.onStuck();
    }, STOP_GRACE_MS);
  }

  /** One training request; an interrupt left over from an earlier Stop must not end it. */
  trainChunk(kwargs, options) {
    this.runtime.clearInterrupt();
    return this.runtime.call("train", [], kwargs, options);
  }

  /**
   * Send one chunk; `arrived` is set when its reply comes, so a run's wall time counts
   * the worker's chunks, not the page's drawing of them.
   */
  sendChunk(untilEpochEnd) {
    const chunk = { sent: performance.now(), arrived: null };
    chunk.reply = this.trainChunk({ max_ms: CHUNK_MS, until_epoch_end: untilEpochEnd }, { timeoutMs: CHUNK_TIMEOUT_MS })
      .finally(() => {
        chunk.arrived = performance.now();
      });
    chunk.reply.catch(() => {}); // awaited in loop; until then a failure is not an unhandled rejection
    return chunk;
  }

  /**
   * Chunk after chunk until the run ends. The next chunk is sent before the page draws the
   * last one, so the worker trains while the page draws: the requests the drawing makes (the
   * diagram, the weights) wait behind that chunk and show the network as it is then.
   */
  async loop({ untilEpochEnd = false } = {}) {
    this.stopRequested = false;
    this.givenUp = false;
    this.setState("running");
    let chunk = this.sendChunk(untilEpochEnd);
    for (;;) {
      let result;
      try {
        result = await chunk.reply;
      } catch (err) {
        if (this.givenUp) return; // the page restarted Python, which failed this chunk
        clearTimeout(this.stopTimer);
        this.setState("idle");
        this.listener.onError(err.message);
        if (err.message.startsWith("no answer")) this.runtime.lost(`The Python worker stopped answering (${err.message}).`);
        return;
      }
      if (this.givenUp) return;
      this.wallSeconds += (chunk.arrived - chunk.sent) / 1000;
      const outcome = this.outcome(result, untilEpochEnd);
      const next = outcome === null ? this.sendChunk(untilEpochEnd) : null;
      try {
        await this.listener.onChunk(result, this.wallSeconds);
      } catch (err) {
        await next?.reply.catch(() => {}); // no chunk left running behind the error
        throw err;
      }
      if (outcome !== null) return this.finish(result, outcome);
      chunk = next;
    }
  }

  /** How the run ends with this chunk ("finished" or "paused"), or null if it goes on. */
  outcome(result, untilEpochEnd) {
    if (result.error) return "paused";
    if (result.finished) return "finished";
    if (this.stopRequested || (untilEpochEnd && result.stopped === "epochs")) return "paused";
    return null;
  }

  /**
   * End the run. Its end is shown first (onEnd: the model saved, the final evaluation
   * drawn), then the state changes, so "finished" or "paused" means the page shows the final model.
   */
  async finish(result, outcome) {
    clearTimeout(this.stopTimer);
    this.stopLatencyMs = this.stopRequested && !result.finished ? performance.now() - this.stopPressedAt : null;
    if (result.error) this.listener.onError(result.error);
    await this.listener.onEnd(result, outcome);
    this.setState(outcome);
  }
}
