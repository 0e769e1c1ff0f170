import { $, el } from "../dom.js";

const STAGE_LABELS = {
  manifest: "build manifest",
  runtime: "Python runtime",
  numpy: "NumPy",
  mlp: "mlp package",
  data: "digits data",
  model: "pretrained model",
};

/** mlp.matmul.BACKEND, in words. */
const BACKEND_LABELS = {
  "wasm-simd-fma": "Matrix products (with fused multiply-adds), ReLU and Adam: this site's WebAssembly SIMD kernel (web/wasm/kernel.wat)",
  "wasm-simd": "Matrix products, ReLU and Adam: this site's WebAssembly SIMD kernel (web/wasm/kernel.wat)",
  "numpy-einsum": "Matrix products: NumPy alone (no BLAS here; the SIMD kernel is off or could not load)",
  "numpy-blas": "Matrix products: NumPy with a BLAS",
};

/** The runtime line: overall state; on demand, one chip per start-up stage; errors and Retry. */
export class StatusView {
  constructor(root = document) {
    this.status = $('[data-testid="runtime-status"]', root);
    this.text = $(".status-text", this.status);
    this.stages = $(".stages", root);
    this.errorBox = $(".error-box", root);
    this.errorText = $(".error-text", root);
    this.retryButton = $(".retry-button", root);
    this.memoryLine = $('[data-testid="memory"]', root);
    this.backendLine = $('[data-testid="matmul-backend"]', root);
    this.detailsButton = $('[data-action="runtime-details"]', root);
    this.details = $("#runtime-details", root);
    this.detailsButton.addEventListener("click", () => this.showDetails(this.details.hidden));
    this.items = new Map();
  }

  /** Open or fold the start-up details (the stages' times, memory, the kernel) under the status line. */
  showDetails(open) {
    this.details.hidden = !open;
    this.detailsButton.setAttribute("aria-expanded", String(open));
  }

  /** Back to "loading" with no stages shown. */
  reset() {
    this.stages.replaceChildren();
    this.items.clear();
    this.errorBox.hidden = true;
    delete this.status.dataset.modelShownMs;
    delete this.status.dataset.idleMs;
    this.setState("loading", "Starting Python…");
  }

  /**
   * @param {"loading"|"ready"|"error"} state
   * @param {string} message
   */
  setState(state, message) {
    this.status.dataset.state = state;
    this.text.textContent = message;
    // Milliseconds from opening the page to ready: what the benchmarks read.
    if (state === "ready") this.status.dataset.readyMs = performance.now().toFixed(0);
  }

  /** The model is on screen (its summary, evaluation and pictures): when a learner can start. */
  markModelShown() {
    // Milliseconds from opening the page to the model shown: what the benchmarks read as a start's wait.
    this.status.dataset.modelShownMs = performance.now().toFixed(0);
  }

  /** The start-up's work is done, the first Train's training set included (App.warmUp): the worker waits for the learner. */
  markIdle() {
    this.status.dataset.idleMs = performance.now().toFixed(0);
  }

  /** Show a stage's progress: {stage, state: running|done|failed, ms}. */
  showStage({ stage, state, ms }) {
    let item = this.items.get(stage);
    if (!item) {
      item = el("li", { attrs: { "data-stage": stage } });
      this.items.set(stage, item);
      this.stages.append(item);
    }
    item.dataset.state = state;
    const label = STAGE_LABELS[stage] || stage;
    item.textContent = state === "running" ? `${label}…` : `${label} ${state === "done" ? "✓" : "✗"} ${(ms / 1000).toFixed(2)} s`;
    if (state === "running") this.text.textContent = `Loading ${label}…`;
  }

  /** Say which code multiplies matrices in Python (mlp.matmul.BACKEND). */
  showBackend(backend) {
    this.backendLine.dataset.backend = backend;
    this.backendLine.textContent = BACKEND_LABELS[backend] ?? `Matrix products: ${backend}`;
  }

  /** @param {{wasmBytes: number, jsHeapBytes: number|null}} m */
  showMemory(m) {
    const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
    this.memoryLine.dataset.wasmBytes = String(m.wasmBytes);
    if (m.jsHeapBytes != null) this.memoryLine.dataset.jsHeapBytes = String(m.jsHeapBytes);
    this.memoryLine.textContent = `Python's memory: ${mb(m.wasmBytes)}` + (m.jsHeapBytes != null ? `, worker JS heap ${mb(m.jsHeapBytes)}` : "");
  }

  /** Show an error and offer Retry. */
  showError(message) {
    this.setState("error", "Python could not start");
    this.errorText.textContent = message;
    this.errorBox.hidden = false;
    this.showDetails(true); // which stage failed
    this.retryButton.focus();
  }

  /** @param {() => void} handler */
  bindRetry(handler) {
    this.retryButton.addEventListener("click", handler);
  }
}
