/**
 * The page's behaviour: what happens when Python is ready, when the user
 * picks a dataset, changes a setting, trains, imports or exports. It holds no
 * DOM code: every change on screen goes through a view.
 */
import { deleteCsv, listCsv, putCsv } from "./csv-store.js";
import { parseScalar } from "./state.js";
import { forgetCode, forgetModel, loadCode, loadModel, saveCode, saveModel } from "./storage.js";
import { TrainingController } from "./training-controller.js";

const MAX_IMPORT_BYTES = 20_000_000;

const PRETRAINED = "models/pretrained.json";
/** As mlp.csvfile.MAX_BYTES: a larger file is refused before it is read. */
const MAX_CSV_BYTES = 50 * 2 ** 20;

/** A site file's response, or an error that names it. */
async function fetchOk(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
  return response;
}

const fetchBytes = async (path) => new Uint8Array(await (await fetchOk(path)).arrayBuffer());
const fetchText = async (path) => (await fetchOk(path)).text();
const WEIGHTS_REFRESH_MS = 700;
/** How long Stop waits for interrupted code to end before it restarts Python instead. */
const STOP_GRACE_MS = 3000;

export class App {
  /**
   * @param {{settings: import("./state.js").Settings, runtime: import("./runtime.js").Runtime, views: object,
   *          drawing: object, datasets: object[]}} parts The datasets are datasets.json's entries.
   */
  constructor({ settings, runtime, views, drawing, datasets }) {
    this.settings = settings;
    this.datasets = datasets;
    /** Your CSVs kept in this browser, by dataset name: {name, bytes, label, task, entry}. */
    this.ownCsv = new Map();
    this.runtime = runtime;
    this.views = views;
    this.drawing = drawing;
    this.ready = false;
    this.modelOrigin = "pretrained model";
    this.runConfig = null; // the config of the run in progress, if any
    this.lastWeights = 0;
    this.stepShown = [0, "train"]; // the sample "Inside one step" follows
    this.sampleIndex = 0;
    this.training = new TrainingController(runtime, {
      onState: () => this.refreshButtons(),
      onChunk: (result, wall) => this.onChunk(result, wall),
      onEnd: (result, outcome) => this.onRunEnd(result, outcome),
      onError: (message) => {
        views.training.say(message, "error");
        this.showCodeError(message);
      },
    });
  }

  get dataset() {
    return this.settings.dataset;
  }

  bind() {
    const { settingsView, training, model, gradcheck, sample, status, dataset, inside } = this.views;
    inside.bind({
      onShow: (index, split) => this.showStep(index, split),
      onTake: (index, split) => this.takeStep(index, split),
    });
    dataset.bind({
      onPick: (name) => this.openDataset(name),
      onCsv: (file) => this.uploadCsv(file),
      onLabel: (label) => this.rereadCsv({ label }),
      onTask: (task) => this.rereadCsv({ task: task || null }),
      onForget: () => this.forgetCsv(),
      onRegenerate: (raw) => this.regenerate(raw),
    });
    settingsView.bind({
      onField: (field, value) => this.edit(() => this.settings.setField(field, value)),
      onOutput: (pair) => this.edit(() => this.settings.setOutput(pair)),
      onLayer: (i, change) => this.edit(() => this.settings.setLayer(i, change)),
      onAddLayer: () => this.edit(() => this.settings.addLayer()),
      onRemoveLayer: (i) => this.edit(() => this.settings.removeLayer(i)),
      onPreset: (name) => this.edit(() => this.settings.applyPreset(name)),
    });
    training.bind({
      train: () => this.train(),
      stop: () => this.training.stop(),
      resume: () => this.training.resume(),
      step: () => this.step(),
      reset: () => this.reset(),
    });
    model.bind({
      onExport: () => this.exportModel(),
      onImport: (file) => this.importModel(file),
      onUsePretrained: () => this.usePretrained(),
    });
    gradcheck.bind(() => this.gradientCheck());
    this.views.code.bind({
      onOpen: (piece) => this.openCode(piece),
      onPiece: (piece) => this.views.code.opened && this.openCode(piece),
      onEdit: (piece, text) => this.keepCode(piece, text),
      onRun: (piece, text) => this.runCode(piece, text),
      onStop: () => this.stopCode(),
      onRestore: (piece) => this.restoreCode(piece),
      onBug: () => this.showTemplate("loss", "bug_2017", "The 2017 post's output delta: the sigmoid's derivative taken at a instead of z. Run it and watch the gradient check."),
      onSwish: () => this.showTemplate("activation", "swish", "A new activation, Swish. Run it: once it passes the gradient check, the network designer offers it."),
    });
    this.views.augment.bind(() => this.showAugmented());
    sample.bindNext(() => {
      this.sampleIndex += 1;
      this.showSample();
    });
    status.bindRetry(() => this.restartPython());
  }

  /** Start Python again (Retry, or Stop on code that cannot be interrupted); onReady restores the model. */
  restartPython() {
    this.views.status.reset();
    this.ready = false;
    this.refreshButtons();
    this.runtime.start();
  }

  /** The worker crashed or stopped: nothing can run until Retry restarts it (and restores the saved model). */
  runtimeLost() {
    const wasTraining = this.training.busy;
    this.ready = false;
    if (wasTraining) this.training.setState("idle");
    this.refreshButtons();
    if (wasTraining || this.runConfig) {
      this.views.training.say("Python stopped. Press Retry to restart it; the last model kept in this browser will be restored.", "error");
    }
  }

  /** Show the settings from the URL (never starts training by itself). */
  showSettings(notices) {
    this.views.settingsView.render(this.settings);
    if (notices.length) this.views.notice(`Some settings in the link were not valid: ${notices.join(" ")}`);
    this.refreshButtons();
  }

  edit(change) {
    change();
    this.views.settingsView.render(this.settings);
    history.replaceState(null, "", this.settings.toHash());
    this.refreshButtons();
    if (this.views.augment.open) this.showAugmented();
  }

  /** The form's config's augmented copies of a few training images (image data). */
  async showAugmented() {
    const { augment } = this.views;
    if (!this.ready) return augment.say("Python is still starting; the examples appear once it is ready.");
    if (!this.settings.valid) return augment.say("Fix the settings marked in the form to see their examples.");
    try {
      augment.show(await this.runtime.call("augmented_examples", [], { count: 6, config: this.settings.toConfig() }));
    } catch (err) {
      augment.say(err.message);
    }
  }

  refreshButtons() {
    const state = this.training.state;
    this.views.training.setState({
      state,
      ready: this.ready,
      valid: this.settings.valid,
      canResume: state === "paused",
      stopLatencyMs: this.training.stopLatencyMs,
    });
    const idle = this.ready && !this.training.busy;
    this.views.model.setEnabled(idle);
    this.views.gradcheck.setEnabled(idle);
    this.views.inside.setEnabled(idle);
    this.views.code.setEnabled(idle && !this.codeRunning);
    this.views.dataset.setEnabled(idle);
  }

  // -- start-up ---------------------------------------------------------------
  /** Python is up, on the digits with the pretrained model; open the dataset the link asks for, if another. */
  async onReady(summary) {
    this.ready = true;
    const { status, sample } = this.views;
    status.setState("ready", `Python ready in ${(summary.ms / 1000).toFixed(1)} s (Pyodide ${summary.pyodideVersion})`);
    status.showBackend(summary.matmul);
    sample.setNote(
      `Pretrained model: ${summary.model.dimensions.join("-")}, ${(100 * summary.pretrainedAccuracy).toFixed(1)} % on held-out digits.`,
    );
    if (this.dataset.name === "digits") {
      this.views.dataset.show(this.dataset, summary.split);
      await this.restoreModel({ pretrainedLoaded: true });
      this.refreshButtons();
      await this.showModel();
    } else {
      await this.openDataset(this.dataset.name, { keepSettings: true });
    }
    this.views.status.showMemory(await this.runtime.memory());
    if (this.views.augment.open) await this.showAugmented(); // opened while Python was starting
    if (this.codeRestart) {
      this.codeRestart = false;
      this.shippedCode = null;
      this.views.code.say("Python restarted after Stop: the model is back, and your code is kept in the editor (not run).");
    }
  }

  /**
   * The model to start a dataset with: the one last trained on it in this browser, if any and
   * usable; else, for the digits, the pretrained model. Otherwise the caller starts a fresh network.
   * @param {{pretrainedLoaded?: boolean}} [options] The worker opened with the pretrained model already.
   * @returns {Promise<boolean>} whether there is a model
   */
  async restoreModel({ pretrainedLoaded = false } = {}) {
    const { model } = this.views;
    const digits = this.dataset.name === "digits";
    const stored = loadModel(this.dataset.name);
    if (stored.notice) model.say(stored.notice, stored.text ? "info" : "error");
    if (stored.text) {
      try {
        await this.runtime.call("import_model", [stored.text]);
        this.modelOrigin = "your last trained model";
        model.say("Restored your last trained model from this browser.");
        return true;
      } catch (err) {
        forgetModel(this.dataset.name);
        const fallback = digits ? "using the pretrained model" : "starting a fresh network";
        model.say(`A saved model could not be used and was discarded (${err.message}); ${fallback}.`, "error");
      }
    }
    if (!digits) return false;
    if (!pretrainedLoaded) await this.runtime.call("import_model", [await fetchText(PRETRAINED)]);
    this.modelOrigin = "pretrained model";
    return true;
  }

  /** Open a dataset by its name: a named one (its file, or a 2-D set regenerated), or one of your CSVs. */
  openDataset(name, { keepSettings = false, note = "", plane: chosen = null } = {}) {
    if (this.ownCsv.has(name)) return this.openCsv(this.ownCsv.get(name));
    const entry = this.datasets.find((d) => d.name === name);
    if (!entry) return false;
    // A 2-D set: the link's generator settings, or those just chosen, else the defaults it was built with.
    const { function: _, ...built } = entry.generator ?? {};
    const plane = chosen ?? (keepSettings ? this.settings.plane : built);
    return this.switchTo(
      async () => (entry.kind === "plane"
        ? this.runtime.call("open_dataset", [entry], { plane })
        : this.runtime.call("open_dataset", [entry, await fetchBytes(`data/${entry.file}`)])),
      {
        entry: () => entry,
        keepSettings,
        note,
        failure: (message) => this.views.dataset.showError(`Could not open ${entry.title}: ${message}. ${this.dataset.title} stays open.`),
      },
    );
  }

  /**
   * Switch the worker to a dataset with `open` (a call that answers Session.describe()), then
   * the page: the dataset's preset in the form (unless a link's settings are to be kept), its
   * views, and its last model (or a fresh network). On any error the open dataset stays, untouched.
   * @returns {Promise<?object>} what the worker answered, or null if it failed
   */
  async switchTo(open, { entry: entryFor, keepSettings = false, note = "", failure, opened: onOpened = () => {} }) {
    const { dataset: picker, training } = this.views;
    if (this.training.busy) return null;
    picker.setEnabled(false);
    try {
      const opened = await open();
      const entry = entryFor(opened);
      onOpened(opened, entry); // before the controls are enabled again
      if (!keepSettings) this.settings.setDataset(entry);
      else this.settings.dataset = entry;
      if (opened.plane) this.settings.plane = opened.plane;
      for (const view of ["settingsView", "training", "evaluation", "weights", "augment", "sample", "model", "plane", "network", "inside"]) {
        this.views[view].setDataset(entry);
      }
      this.drawing?.setVisible(entry.name === "digits");
      this.edit(() => {});
      if (entry.own) picker.addOwn(entry);
      picker.show(entry, opened, note);
      picker.showPlane(this.settings.plane);
      this.runConfig = null;
      this.clearRun();
      training.say("");
      if (!(await this.restoreModel())) {
        await this.training.fresh(this.settings.toConfig());
        this.modelOrigin = "untrained network";
      }
      if (this.views.plane.visible) this.views.plane.showPoints(await this.runtime.call("points"));
      await this.showModel();
      return opened;
    } catch (err) {
      failure(err.message);
      picker.showSelected(this.dataset.name);
      return null;
    } finally {
      this.refreshButtons();
    }
  }

  /** Generate the open 2-D set again with other settings (as typed: checked here, and again in Python). */
  regenerate(raw) {
    const plane = {};
    try {
      for (const [key, spec] of Object.entries(this.settings.schema.plane_settings)) {
        try {
          plane[key] = parseScalar(spec, raw[key]);
        } catch (err) {
          throw new Error(`${spec.label} ${err.message}`);
        }
      }
    } catch (err) {
      this.views.dataset.showError(`${err.message}. The points stay as they are.`);
      return null;
    }
    return this.openDataset(this.dataset.name, { keepSettings: true, plane });
  }

  // -- your own CSV -------------------------------------------------------------
  /** The CSVs kept in this browser, offered in the picker. */
  async restoreCsvs() {
    const { records, problem } = await listCsv();
    if (problem) this.views.dataset.showError(problem);
    for (const record of records) {
      this.ownCsv.set(record.name, record);
      this.views.dataset.addOwn(record.entry);
    }
    this.views.dataset.showSelected(this.dataset.name);
  }

  async uploadCsv(file) {
    const { dataset: picker } = this.views;
    if (file.size > MAX_CSV_BYTES) {
      picker.showError(`${file.name} is ${(file.size / 1e6).toFixed(1)} MB; a CSV may be at most ${MAX_CSV_BYTES / 2 ** 20} MB. ${this.dataset.title} stays open.`);
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    await this.openCsv({ name: file.name.replace(/\.[^.]*$/, "") || "my_data", bytes, label: null, task: null }, file.name);
  }

  /**
   * Read a CSV in the worker and, if it is good, open it and keep it in this browser.
   * @param {{name: string, bytes: Uint8Array, label: ?string, task: ?string}} record
   */
  async openCsv(record, shownName = `${record.name}.csv`) {
    let kept = null;
    const opened = await this.switchTo(
      () => this.runtime.call("open_csv", [record.bytes], { name: record.name, label: record.label, task: record.task || null }),
      {
        entry: (answer) => ({ ...answer.dataset, own: true }),
        failure: (message) => this.views.dataset.showError(`Could not use ${shownName}: ${message}. ${this.dataset.title} stays open.`),
        opened: (answer, entry) => {
          kept = { name: entry.name, bytes: record.bytes, label: answer.label, task: record.task, entry };
          this.ownCsv.set(kept.name, kept);
        },
      },
    );
    if (!opened) return null;
    const problem = await putCsv(kept);
    if (problem) this.views.dataset.showError(problem);
    return opened;
  }

  /** Read the open CSV again with another label column or task; if that fails, the choices go back. */
  async rereadCsv(change) {
    const record = this.ownCsv.get(this.dataset.name);
    if (record && !(await this.openCsv({ ...record, ...change }))) this.views.dataset.showCsvChoices(record);
  }

  async forgetCsv() {
    const name = this.dataset.name;
    if (!this.ownCsv.has(name)) return;
    this.ownCsv.delete(name);
    this.views.dataset.removeOwn(name);
    forgetModel(name);
    const problem = await deleteCsv(name);
    await this.openDataset("digits", { note: problem ? "" : ` (${name} was removed from this browser.)` });
    if (problem) this.views.dataset.showError(problem);
  }

  /** The current model changed in the worker (fine-tuned): show it and keep it. */
  async modelChanged(origin) {
    this.modelOrigin = origin;
    await this.showModel();
    const problem = saveModel(await this.runtime.call("export_model"), this.dataset.name);
    if (problem) this.views.model.say(problem, "error");
  }

  /** Refresh everything that depends on the current model. */
  async showModel() {
    const { evaluation, weights, model } = this.views;
    try {
      model.show(await this.runtime.call("model_summary"), this.modelOrigin);
      evaluation.show(await this.runtime.call("evaluate"), this.modelOrigin);
      weights.show(await this.runtime.call("first_layer_weights"));
      this.views.network.show(await this.runtime.call("diagram"));
      await this.showBoundary();
      await this.showSample();
      if (this.views.inside.shown) await this.showStep(...this.stepShown);
      this.drawing?.modelShown();
    } catch (err) {
      model.say(err.message, "error");
    }
  }

  /** The network's output over the plane, for 2-D datasets. */
  async showBoundary() {
    if (this.views.plane.visible) this.views.plane.show(await this.runtime.call("boundary"));
  }

  async showSample() {
    if (!this.views.sample.wanted) return;
    const sample = await this.runtime.call("test_sample", [this.sampleIndex % 50]);
    const prediction = await this.runtime.call("predict", [sample.features]);
    this.views.sample.show(sample, prediction);
  }

  // -- training ---------------------------------------------------------------
  async train() {
    if (!this.settings.valid) return;
    this.runConfig = this.settings.toConfig();
    this.clearRun();
    try {
      await this.training.start(this.runConfig);
    } catch (err) {
      this.views.training.say(err.message, "error");
      this.training.setState("idle");
    }
  }

  async step() {
    const config = this.settings.toConfig();
    const sameRun = this.runConfig && JSON.stringify(config) === JSON.stringify(this.runConfig);
    try {
      if (!sameRun || this.training.state === "finished") {
        this.runConfig = config;
        this.clearRun();
        await this.training.fresh(config);
      }
      await this.training.step();
    } catch (err) {
      this.views.training.say(err.message, "error");
      this.training.setState("paused");
    }
  }

  async reset() {
    this.runConfig = this.settings.toConfig();
    this.clearRun();
    try {
      await this.training.fresh(this.runConfig);
      this.modelOrigin = "untrained network";
      await this.showModel();
      this.views.training.say("A fresh network, initialised from the seed. Train or step to start.");
    } catch (err) {
      this.views.training.say(err.message, "error");
    }
  }

  clearRun() {
    const { training, lossChart, accuracyChart } = this.views;
    training.clearProgress();
    training.say("");
    lossChart.reset();
    accuracyChart.reset();
    this.modelOrigin = "network in training";
  }

  async onChunk(result, wallSeconds) {
    const { training, lossChart, accuracyChart, evaluation, weights } = this.views;
    training.showProgress(result, wallSeconds);
    for (const r of result.history || []) {
      lossChart.addDataPoint(r.epoch, [r.loss, r.val_loss]);
      accuracyChart.addDataPoint(r.epoch, [r.accuracy, r.val_accuracy]);
      evaluation.showLive(r);
    }
    await this.showBoundary(); // a 50x50 grid is one forward pass of 2,500 points: a few ms
    this.views.network.show(await this.runtime.call("diagram"));
    if (performance.now() - this.lastWeights > WEIGHTS_REFRESH_MS) {
      this.lastWeights = performance.now();
      weights.show(await this.runtime.call("first_layer_weights"));
    }
  }

  /** @param {object} result the last chunk's @param {"finished"|"paused"} outcome the state the run ends in */
  async onRunEnd(result, outcome) {
    // Keep the model first: a reload right after training must find it.
    const problem = saveModel(await this.runtime.call("export_model"), this.dataset.name);
    if (problem) this.views.model.say(problem, "error");
    else if (!result?.error) {
      // (After an error, such as divergence, the controller's message stays in view.)
      const finished = outcome === "finished";
      const what = finished ? "Training finished. The model is kept in this browser." : `Stopped ${result.position}. The model so far is kept in this browser; Resume continues.`;
      this.views.training.say(what);
    }
    this.modelOrigin = "your trained model";
    await this.showModel();
    this.views.status.showMemory(await this.runtime.memory());
    this.refreshButtons();
  }

  // -- models -----------------------------------------------------------------
  async exportModel() {
    const text = await this.runtime.call("export_model");
    this.views.model.download(text, "mlp-model.json");
    this.views.model.say("Model exported as mlp-model.json. Load it in Python with mlp.load().");
  }

  async importModel(file) {
    const { model } = this.views;
    if (file.size > MAX_IMPORT_BYTES) {
      model.say(`${file.name} is ${(file.size / 1e6).toFixed(1)} MB; a model file may be at most ${MAX_IMPORT_BYTES / 1e6} MB. The current model is kept.`, "error");
      return;
    }
    try {
      const text = await file.text();
      await this.runtime.call("import_model", [text]);
      this.modelOrigin = `imported ${file.name}`;
      saveModel(text, this.dataset.name);
      model.say(`Imported ${file.name}.`);
      await this.showModel();
    } catch (err) {
      model.say(`Could not import ${file.name}: ${err.message}. The current model is kept.`, "error");
    }
  }

  async usePretrained() {
    await this.runtime.call("import_model", [await fetchText(PRETRAINED)]);
    forgetModel(this.dataset.name);
    this.modelOrigin = "pretrained model";
    this.views.model.say("Back to the pretrained model.");
    await this.showModel();
  }

  // -- inside one step ------------------------------------------------------------
  /** One sample through the current model, equation by equation. */
  async showStep(index, split) {
    try {
      this.views.inside.show(await this.runtime.call("inside_step", [Number(index)], { split }));
      this.stepShown = [index, split];
    } catch (err) {
      this.views.inside.say(err.message, "error");
    }
  }

  /** One plain SGD step on that sample: the model changes, and is kept. */
  async takeStep(index, split) {
    try {
      const taken = await this.runtime.call("take_step", [Number(index)], { split });
      this.stepShown = [index, split];
      await this.modelChanged("your model, one step taken by hand");
      this.views.inside.showTaken(taken);
    } catch (err) {
      this.views.inside.say(err.message, "error");
    }
  }

  // -- your code ---------------------------------------------------------------------------

  /** The shipped sources and templates, asked of Python once. */
  async codeBase() {
    this.shippedCode ??= await this.runtime.call("code");
    return this.shippedCode;
  }

  /** Show a piece in the editor: your kept edit of it if any, else the shipped code. Nothing runs. */
  async openCode(piece) {
    const { code } = this.views;
    try {
      const kept = loadCode()[piece];
      await code.show(piece, kept ?? (await this.codeBase()).sources[piece]);
      code.say(kept ? "Your edited version, kept in this browser. It has not run: press Run my code to run it."
        : "The code that runs now. Edit it, then Run my code (Control+Enter).");
    } catch (err) {
      code.say(err.message, "error");
    }
  }

  async showTemplate(piece, name, note) {
    const { code } = this.views;
    try {
      await code.show(piece, (await this.codeBase()).templates[name]);
      this.keepCode(piece, code.text);
      code.say(note);
    } catch (err) {
      code.say(err.message, "error");
    }
  }

  keepCode(piece, text) {
    const problem = saveCode({ ...loadCode(), [piece]: text });
    if (problem) this.views.code.say(problem, "error");
  }

  /** Run the editor's code in the worker in place of the piece; the gradient check referees it. */
  async runCode(piece, text) {
    const { code, gradcheck, settingsView } = this.views;
    if (!this.ready || this.training.busy || this.codeRunning) return;
    this.codeRunning = true;
    code.setRunning(true);
    code.mark([]);
    code.say("Running your code…");
    this.refreshButtons();
    try {
      const kept = saveModel(await this.runtime.call("export_model"), this.dataset.name); // Stop may restart Python
      if (kept) code.say(kept, "error");
      const result = await this.runtime.call("run_code", [piece, text]);
      if (!result.ok) {
        code.mark(result.line ? [{ line: result.line, message: result.error }] : []);
        code.say(`${result.line ? `Line ${result.line}: ` : ""}${result.error}. The model is unchanged.`, "error");
        return;
      }
      gradcheck.show(result.gradcheck, result.name, "your code's gradient");
      const passes = result.max_error < 1e-6;
      let note = passes ? `Your ${result.name} passes the gradient check.` : `Your ${result.name} fails the gradient check: see the table below.`;
      if (piece === "activation" && passes && !this.settings.fields.activations.choices.includes(result.name)) {
        this.settings.addActivation(result.name);
        settingsView.addActivationChoice(result.name);
        note += ` “${result.name}” is now a choice for every hidden layer in the designer.`;
      }
      note += result.trains ? " Train uses it from now on." : ` Train uses it when the settings use “${result.name}”.`;
      code.say(note, passes ? "info" : "error");
    } catch (err) {
      if (!this.codeRestart) code.say(err.message, "error"); // else Stop's own message stays
    } finally {
      clearTimeout(this.stopTimer);
      this.codeRunning = false;
      code.setRunning(false);
      this.refreshButtons();
    }
  }

  /** An error from your code while training ("line N: ..."): marked in the editor too. */
  showCodeError(message) {
    const line = /^line (\d+): /.exec(message);
    if (!line || !this.views.code.opened) return;
    this.views.code.mark([{ line: Number(line[1]), message }]);
    this.views.code.say(`While training, ${message}`, "error");
  }

  /** Stop code that runs too long: SIGINT where Python can be interrupted, else a restart that restores the model. */
  stopCode() {
    if (this.runtime.interruptible) {
      this.runtime.interrupt();
      // An interrupt that lands before the code starts (Python still busy with an earlier call) is spent
      // on that call: if the code still runs after a while, restart instead.
      clearTimeout(this.stopTimer);
      this.stopTimer = setTimeout(() => this.codeRunning && this.restartForCode("Your code did not stop at the interrupt, so Python is restarting."), STOP_GRACE_MS);
      return;
    }
    this.restartForCode("Python cannot be interrupted on this page (it is not cross-origin isolated), so it is restarting.");
  }

  restartForCode(why) {
    this.codeRestart = true;
    this.views.code.say(`${why} The model comes back from this browser; your code is kept.`, "error");
    this.restartPython();
  }

  async restoreCode(piece) {
    const { code } = this.views;
    try {
      await this.runtime.call("restore_code", [piece]);
      forgetCode(piece);
      await code.show(piece, (await this.codeBase()).sources[piece]);
      code.say("The shipped code is back, and runs again.");
    } catch (err) {
      code.say(err.message, "error");
    }
  }

  async gradientCheck() {
    const { gradcheck } = this.views;
    gradcheck.setBusy(true);
    try {
      const summary = await this.runtime.call("model_summary");
      const rows = await this.runtime.call("gradient_check", [5]);
      gradcheck.show(rows, summary.loss || this.settings.values.loss);
    } catch (err) {
      gradcheck.showError(err.message);
    } finally {
      gradcheck.setBusy(false);
      this.refreshButtons();
    }
  }
}
