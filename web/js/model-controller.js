/**
 * The current model's life in the page: brought back from this browser when
 * a dataset opens, kept after every change, exported, imported, and back to
 * the pretrained one. No DOM here: the model card is a ModelView.
 *
 * A model made with the learner's code carries that code in its file
 * (`metadata.code`, written by the session: mlp.session.Session.record_code).
 * Where such a model comes back (a reload, an import), the page shows its
 * code and offers to run it; it never runs code without a click. A model that
 * cannot be used without its code (an activation that is not built in) is
 * kept, not discarded, until its code runs.
 */
import { fetchText } from "./site-files.js";
import { forgetModel, loadModel, saveModel } from "./storage.js";

const MAX_IMPORT_BYTES = 20_000_000;
export const PRETRAINED = "models/pretrained.json";

/**
 * The learner's code a model file carries, as [piece, source] pairs; none if
 * it carries none or the file cannot be read (Python checks the file on import).
 * @param {string} text a model file
 * @returns {Array<[string, string]>}
 */
export function carriedCode(text) {
  let code;
  try {
    code = JSON.parse(text)?.metadata?.code;
  } catch {
    return [];
  }
  if (typeof code !== "object" || code === null || Array.isArray(code)) return [];
  return Object.entries(code).filter(([, source]) => typeof source === "string");
}

export class ModelController {
  /**
   * @param {{call: Function}} runtime
   * @param {{settings: import("./state.js").Settings, view: import("./views/model-view.js").ModelView,
   *          code: import("./code-controller.js").CodeController}} parts
   * @param {{show: () => Promise<void>}} listener show: refresh everything that depends on the current model.
   */
  constructor(runtime, { settings, view, code }, listener) {
    this.runtime = runtime;
    this.settings = settings;
    this.view = view;
    this.code = code;
    this.listener = listener;
    /** Where the current model comes from, in words ("pretrained model", "imported a.json", ...). */
    this.origin = "pretrained model";
    /** The origin of a model safe to replace: exported to a file, or let go when asked. */
    this.safeOrigin = null;
    /**
     * A model that came back with the learner's code whose code has not run: {text, code, what, origin, inUse},
     * inUse false while the page cannot use it without its code (another model stands in). Null if none.
     */
    this.waiting = null;
  }

  bind() {
    this.view.bind({
      onExport: () => this.exportModel(),
      onImport: (file) => this.importModel(file),
      onUsePretrained: () => this.usePretrained(),
      onRunCode: () => this.runItsCode(),
    });
  }

  /**
   * Whose model is kept in this browser: the open dataset's name; for a 2-D set with a number of classes
   * (mlp.planes.K_CLASS), one model per number, so that one trained with 4 classes is not lost to 5.
   */
  get dataset() {
    const { name } = this.settings.dataset;
    return this.settings.plane.classes === undefined ? name : `${name}.${this.settings.plane.classes}-classes`;
  }

  /**
   * Keep the current model in this browser, its file with the code it carries.
   * @param {{replacing?: boolean}} [options] replacing: the current model is a new one (trained, imported,
   *   changed by hand), which takes the place of a model waiting for its code; false for a save that only
   *   guards against a restart (before the learner's code runs), which must not overwrite a waiting model.
   * @returns {Promise<string|null>} a problem, or null when kept
   */
  async keep({ replacing = true } = {}) {
    if (this.waiting && !this.waiting.inUse && !replacing) return null;
    if (replacing) this.wait(null);
    return saveModel(await this.runtime.call("export_model"), this.dataset);
  }

  /**
   * The model to start a dataset with: the one last kept for it in this browser, if usable or if it
   * waits for its code; else, for the digits, the pretrained model. Otherwise the caller starts a fresh network.
   * @param {{pretrainedLoaded?: boolean}} [options] The worker opened with the pretrained model already.
   * @returns {Promise<boolean>} whether there is a model
   */
  async restore({ pretrainedLoaded = false } = {}) {
    const { view } = this;
    const digits = this.dataset === "digits";
    const stored = loadModel(this.dataset);
    this.wait(null);
    if (stored.notice) view.say(stored.notice, stored.text ? "info" : "error");
    if (stored.text) {
      const what = "Your last trained model";
      try {
        await this.runtime.call("import_model", [stored.text]);
        this.origin = "your last trained model";
        view.say("Restored your last trained model from this browser.");
        this.offerCode(stored.text, what, this.origin, true);
        return true;
      } catch (err) {
        if (this.offerCode(stored.text, what, "your last trained model", false)) {
          // kept in this browser: its code is what it lacks
        } else {
          forgetModel(this.dataset);
          const fallback = digits ? "using the pretrained model" : "starting a fresh network";
          view.say(`A saved model could not be used and was discarded (${err.message}); ${fallback}.`, "error");
        }
      }
    }
    if (!digits) return false;
    if (!pretrainedLoaded) await this.runtime.call("import_model", [await fetchText(PRETRAINED)]);
    this.origin = "pretrained model";
    return true;
  }

  /**
   * If the model file carries the learner's code, show that code and offer to run it.
   * @param {string} text the model file @param {string} what the model, in words, as a sentence's subject
   * @param {string} origin the model's origin once in use
   * @param {boolean} inUse whether the model is the current one already (else it waits for its code)
   * @returns {boolean} whether it carries code
   */
  offerCode(text, what, origin, inUse) {
    const code = carriedCode(text);
    if (!code.length) return false;
    this.wait({ text, code, what, origin, inUse });
    const pieces = code.map(([piece]) => piece).join(" and ");
    const missing = this.missingActivations(text);
    const names = missing.map((name) => `“${name}”`).join(", ");
    const needs = missing.length ? `; it uses ${names}, which ${missing.length > 1 ? "are" : "is"} not built in` : "";
    this.view.offerCode(inUse
      ? `${what} was made with your code (${pieces}), shown under Your code. The shipped code runs until you run it again.`
      : `${what} needs the code it was made with (${pieces}${needs}), shown under Your code. It is kept; until its code runs, the page shows another model.`,
    inUse ? "Run its code" : "Run its code and use the model");
    this.code.showKept(code, `${what} was made with this code. It has not run: “Run its code”, under Model, runs it.`);
    return true;
  }

  /** The model file's hidden activations that this page does not know (yet): they need the learner's code. */
  missingActivations(text) {
    const known = this.settings.fields.activations.choices;
    const activations = JSON.parse(text).activations;
    if (!Array.isArray(activations)) return [];
    return [...new Set(activations.slice(0, -1).filter((name) => !known.includes(name)))];
  }

  /** A model waiting for its code (or null), and the card's offer with it. */
  wait(waiting) {
    this.waiting = waiting;
    if (!waiting) this.view.offerCode(null);
  }

  /** Run the waiting model's code, each piece as Run my code would; then use the model if it waited. */
  async runItsCode() {
    const waiting = this.waiting;
    if (!waiting || this.code.running) return;
    const { view } = this;
    for (const [piece, source] of waiting.code) {
      if (!(await this.code.run(piece, source))) {
        view.say(`Its ${piece} code did not run (see Your code); nothing changed.`, "error");
        return;
      }
    }
    if (this.waiting !== waiting) return; // another model came meanwhile
    this.wait(null);
    if (waiting.inUse) {
      view.say("Its code runs again.");
      return;
    }
    try {
      await this.runtime.call("import_model", [waiting.text]);
    } catch (err) {
      view.say(`Its code ran, but the model still cannot be used: ${err.message}`, "error");
      return;
    }
    this.origin = waiting.origin;
    const problem = await this.keep();
    view.say(problem ?? "Its code runs again, and the model is back.", problem ? "error" : "info");
    await this.listener.show();
  }

  /** The current model changed in the worker (fine-tuned, a step by hand): show it and keep it. */
  async changed(origin) {
    this.origin = origin;
    await this.listener.show();
    const problem = await this.keep();
    if (problem) this.view.say(problem, "error");
  }

  /**
   * The model on screen, in words, if Train or Step would replace something the learner cannot make
   * again with a click: a model brought back from an earlier visit, imported, fine-tuned on your digits
   * or stepped by hand, and not exported since. Else null (the pretrained model, this visit's runs).
   */
  get irreplaceable() {
    const kept = /^(your last trained model|imported |your fine-tuned model|your model, one step)/.test(this.origin);
    return kept && this.safeOrigin !== this.origin ? this.origin : null;
  }

  /** The learner chose to replace the model on screen: it needs no more asking. */
  letGo() {
    this.safeOrigin = this.origin;
  }

  async exportModel() {
    const text = await this.runtime.call("export_model");
    this.safeOrigin = this.origin;
    this.view.download(text, "mlp-model.json");
    this.view.say("Model exported as mlp-model.json. Load it in Python with mlp.load().");
  }

  async importModel(file) {
    const { view } = this;
    if (file.size > MAX_IMPORT_BYTES) {
      view.say(`${file.name} is ${(file.size / 1e6).toFixed(1)} MB; a model file may be at most ${MAX_IMPORT_BYTES / 1e6} MB. The current model is kept.`, "error");
      return;
    }
    let text = "";
    try {
      text = await file.text();
      await this.runtime.call("import_model", [text]);
    } catch (err) {
      const waits = text && this.offerCode(text, file.name, `imported ${file.name}`, false);
      view.say(waits ? `${file.name} cannot be used before its code runs. The current model is kept.`
        : `Could not import ${file.name}: ${err.message}. The current model is kept.`, "error");
      return;
    }
    this.origin = `imported ${file.name}`;
    const problem = await this.keep(); // too large for this browser's storage: this visit only
    view.say(problem ? `Imported ${file.name}, for this visit only. ${problem}` : `Imported ${file.name}.`, problem ? "error" : undefined);
    this.offerCode(text, file.name, this.origin, true);
    await this.listener.show();
  }

  async usePretrained() {
    await this.runtime.call("import_model", [await fetchText(PRETRAINED)]);
    forgetModel(this.dataset);
    this.wait(null);
    this.origin = "pretrained model";
    this.view.say("Back to the pretrained model.");
    await this.listener.show();
  }
}
