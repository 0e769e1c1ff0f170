/**
 * The drawing pad's behaviour: live predictions while drawing (throttled, at
 * most one request in flight), held-out digits drawn on the pad, and "Teach
 * it" with a personal set kept in this browser. Views own the DOM.
 */
import { loadPersonal, parsePersonalDigits, savePersonal } from "./storage.js";

const MAX_PERSONAL_BYTES = 5 * 1024 * 1024;

export class Drawing {
  /**
   * @param {{runtime: object, dataset: object, pad: import("./views/draw-pad.js").DrawPad,
   *          prediction: import("./views/prediction-view.js").PredictionView,
   *          teach: import("./views/teach-view.js").TeachView, download: Function,
   *          onModelChanged: Function}} parts
   */
  constructor({ runtime, dataset, pad, prediction, teach, download, onModelChanged }) {
    Object.assign(this, { runtime, dataset, pad, prediction, teach, download, onModelChanged });
    this.ready = false;
    this.visible = true;
    this.inFlight = false;
    this.dirty = false;
    this.lastInput = null;
    /** When the drawing last changed (performance.now()), null before the first stroke. */
    this.changedAt = null;
    const { value, notice } = loadPersonal(dataset);
    this.personal = value ?? [];
    if (notice) teach.say(notice, "error");
  }

  bind() {
    this.pad.bind({ onChange: (kind) => this.changed(kind), onTestDigit: (index) => this.showTestDigit(index) });
    this.teach.bind({
      onAdd: (label) => this.addPersonal(label),
      onFineTune: () => this.fineTune(),
      onExport: () => this.download(JSON.stringify({ format: "mlp-from-scratch/personal-digits", digits: this.personal }), "my-digits.json"),
      onImport: (file) => this.importPersonal(file),
      onForget: () => {
        this.personal = [];
        savePersonal(this.personal, this.dataset);
        this.refresh();
        this.teach.say("Your personal digits were removed from this browser.");
      },
    });
    this.refresh();
  }

  /**
   * Follow the open dataset: the pad reads images of its kind (8x8 counts, MNIST's 28x28 grey levels),
   * with that dataset's own personal set; for other data it is hidden (the model reads no drawings then).
   */
  setDataset(dataset) {
    this.visible = dataset.kind === "image";
    this.pad.setVisible(this.visible);
    if (!this.visible || dataset.name === this.dataset.name) return;
    this.pad.describe(dataset);
    this.dataset = dataset;
    this.prediction.setDataset(dataset);
    this.teach.setDataset(dataset);
    const { value, notice } = loadPersonal(dataset);
    this.personal = value ?? [];
    if (notice) this.teach.say(notice, "error");
    this.lastInput = null;
    this.refresh();
  }

  setReady(ready) {
    this.ready = ready;
    this.refresh();
    if (ready && !this.pad.empty) this.request();
  }

  refresh() {
    this.teach.showCount(this.personal.length);
    this.teach.setEnabled({ canAdd: this.ready && this.lastInput !== null, canTune: this.ready && this.personal.length > 0 });
  }

  changed(kind) {
    if (kind === "clear") {
      this.lastInput = null;
      this.dirty = false;
      this.prediction.clear();
      this.refresh();
      return;
    }
    this.changedAt = performance.now();
    this.request();
  }

  /** Ask for a prediction now, or as soon as the one in flight returns. */
  async request() {
    if (!this.visible) return;
    if (!this.ready) {
      if (!this.pad.empty) this.prediction.waiting(); // setReady(true) reads it
      return;
    }
    if (this.inFlight) {
      this.dirty = true;
      return;
    }
    this.inFlight = true;
    this.dirty = false;
    const asked = this.changedAt ?? performance.now();
    const sampleIndex = this.pad.canvas.dataset.sampleIndex;
    try {
      const { pixels, width, height } = this.pad.ink();
      const result = await this.runtime.call("predict_drawing", [pixels, width, height]);
      if (this.pad.empty) {
        this.prediction.clear();
      } else if (result.empty) {
        this.lastInput = null;
        this.prediction.clear();
      } else {
        this.lastInput = result.input;
        this.prediction.show(result);
        // Which held-out digit (if any) this reading is of, for tests and curious learners.
        if (sampleIndex === undefined) delete this.prediction.digit.dataset.sample;
        else this.prediction.digit.dataset.sample = sampleIndex;
        this.prediction.digit.dataset.latencyMs = (performance.now() - asked).toFixed(1);
      }
    } catch (err) {
      this.teach.say(err.message, "error");
    } finally {
      this.inFlight = false;
      this.refresh();
      if (this.dirty) this.request();
    }
  }

  /** Put held-out digit `index` on the pad; it is then read through the normal drawing path. */
  async showTestDigit(index) {
    try {
      const sample = await this.runtime.call("test_sample_bitmap", [index]);
      this.pad.canvas.dataset.sampleIndex = String(sample.index);
      this.pad.showBitmap(sample.bitmap);
      this.pad.sayTestDigit(`Held-out digit ${sample.index}: a ${sample.label}.`);
    } catch (err) {
      this.pad.sayTestDigit(err.message, "error");
    }
  }

  /** The current model changed: read the drawing again. */
  modelShown() {
    if (this.ready && !this.pad.empty) this.request();
  }

  addPersonal(label) {
    if (this.lastInput === null) return;
    this.personal.push({ input: this.lastInput, label });
    const problem = savePersonal(this.personal, this.dataset);
    this.teach.say(problem ?? `Added a ${label} to your digits.`, problem ? "error" : "info");
    this.refresh();
  }

  async fineTune() {
    this.teach.say("Fine-tuning on your digits and the training digits…");
    try {
      const r = await this.runtime.call("fine_tune", [this.personal]);
      const pct = (v) => `${(100 * v).toFixed(1)} %`;
      this.teach.say(
        `Fine-tuned for ${r.epochs} epochs on ${r.n_samples} of your digits. ` +
          `Your digits: ${pct(r.before.own_accuracy)} → ${pct(r.after.own_accuracy)}. ` +
          `Held-out digits: ${pct(r.before.test_accuracy)} → ${pct(r.after.test_accuracy)}.`,
      );
      await this.onModelChanged();
      if (!this.pad.empty) this.request();
    } catch (err) {
      this.teach.say(err.message, "error");
    }
  }

  async importPersonal(file) {
    if (file.size > MAX_PERSONAL_BYTES) {
      this.teach.say(`${file.name} is too large (over ${MAX_PERSONAL_BYTES / 1e6} MB). Your set is unchanged.`, "error");
      return;
    }
    try {
      const digits = parsePersonalDigits(await file.text(), this.dataset);
      this.personal = this.personal.concat(digits);
      const problem = savePersonal(this.personal, this.dataset);
      this.teach.say(problem ?? `Imported ${digits.length} digits from ${file.name}.`, problem ? "error" : "info");
    } catch (err) {
      this.teach.say(`Could not import ${file.name}: ${err.message}. Your set is unchanged.`, "error");
    }
    this.refresh();
  }
}
