/** The training panel: the Train, Stop, Resume, Step and Reset buttons, the progress bar and training messages. */
import { $, el, say } from "../dom.js";
import { duration } from "../numbers.js";

/** Train / Stop / Resume / Step / Reset, the progress bar and training messages. */
export class TrainingView {
  constructor(root = document) {
    this.root = $('[data-testid="training-panel"]', root);
    this.buttons = {
      train: $('[data-action="train"]', this.root),
      stop: $('[data-action="stop"]', this.root),
      resume: $('[data-action="resume"]', this.root),
      step: $('[data-action="step"]', this.root),
      reset: $('[data-action="reset"]', this.root),
    };
    this.bar = $('[data-testid="progress"]', this.root);
    this.progressText = $('[data-testid="progress-text"]', this.root);
    this.message = $('[data-testid="training-message"]', this.root);
    this.stopNote = $('[data-testid="stop-note"]', this.root);
    this.accuracyChart = $('[data-testid="accuracy-chart"]', this.root);
  }

  /**
   * Enable the buttons that make sense.
   * @param {{state: string, ready: boolean, valid: boolean, canResume: boolean, stopLatencyMs: ?number}} s
   */
  setState({ state, ready, valid, canResume, stopLatencyMs }) {
    const running = state === "running" || state === "stopping";
    this.root.dataset.state = state;
    // How long the last Stop took to take effect, measured in the page.
    if (state === "paused" && stopLatencyMs != null) this.root.dataset.stopMs = stopLatencyMs.toFixed(1);
    this.buttons.train.disabled = !ready || !valid || running;
    this.buttons.stop.disabled = !running || state === "stopping";
    this.buttons.resume.disabled = !ready || !valid || running || !canResume;
    this.buttons.step.disabled = !ready || !valid || running;
    this.buttons.reset.disabled = !ready || !valid || running;
  }

  /** @param {object} p a status dict from mlp.session.Session.train */
  showProgress(p, wallSeconds) {
    const total = p.epochs * (p.samples_per_epoch || 0);
    const done = p.samples_seen || 0;
    const fraction = total ? done / total : 0;
    this.bar.value = fraction;
    this.bar.setAttribute("aria-valuetext", `${Math.round(100 * fraction)} %`);
    const rate = p.seconds > 0 ? done / p.seconds : 0;
    const eta = rate > 0 ? (total - done) / rate : NaN;
    this.root.dataset.epoch = String(p.epoch);
    this.root.dataset.batch = String(p.batch ?? 0);
    if (p.stopped) this.root.dataset.stoppedBy = p.stopped; // why the last chunk ended: time, interrupted, epochs...
    this.root.dataset.seconds = String(p.seconds); // Python's own time, without the page's round trips
    this.root.dataset.wallSeconds = String(wallSeconds ?? p.seconds);
    this.progressText.textContent =
      `Epoch ${Math.min(p.epoch + (p.batch ? 1 : 0), p.epochs)} of ${p.epochs} · ` +
      `${Math.round(rate).toLocaleString("en")} samples/s · ${duration(wallSeconds ?? p.seconds)} elapsed · ` +
      (p.finished ? "done" : `ETA ${duration(eta)}`);
  }

  clearProgress() {
    this.bar.value = 0;
    this.root.dataset.epoch = "0";
    this.progressText.textContent = "Not trained yet.";
  }

  /**
   * Say why Stop may be slow here, if it may.
   * @param {{reason: string, remedy: string}|null} why runtime.whyNotIsolated(): null where Stop reaches Python at once
   */
  showStopLimits(why) {
    this.stopNote.hidden = why === null;
    this.stopNote.textContent = why === null ? "" : `Stop is slower here, as ${why.reason}: it waits for the step in progress `
      + `(about 0.1 s), and ends an endless loop in your code only by restarting Python. ${why.remedy}`.trim();
  }

  /** @param {string} text @param {"info"|"error"} [kind] */
  say(text, kind = "info") {
    say(this.message, text, kind);
  }

  /**
   * Before a run replaces a model the learner would miss: say so, with the two ways on.
   * @param {string} text what would be replaced
   * @param {{onReplace: () => void, onExport: () => void}} handlers
   */
  askReplace(text, { onReplace, onExport }) {
    say(this.message, text, "error");
    const replace = el("button", { text: "Replace it", className: "secondary small", attrs: { type: "button", "data-action": "replace-model" } });
    const keep = el("button", { text: "Export it first", className: "secondary small", attrs: { type: "button" } });
    replace.addEventListener("click", () => {
      this.say("");
      onReplace();
    });
    keep.addEventListener("click", onExport);
    this.message.append(" ", replace, " ", keep);
  }

  /** @param {Record<string, () => void>} handlers keyed by action */
  bind(handlers) {
    for (const [action, button] of Object.entries(this.buttons)) {
      button.addEventListener("click", () => handlers[action]());
    }
  }

  /** Accuracy means something for classification only. */
  setDataset(dataset) {
    this.accuracyChart.hidden = dataset.task === "regression";
  }

  /** Mark what is shown as the model's, made with other settings than the form's (style.css dims it). */
  markStale(stale) {
    this.root.toggleAttribute("data-stale", stale);
  }
}
