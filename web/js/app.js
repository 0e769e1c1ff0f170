/**
 * The page's behaviour: what happens when Python is ready, when a setting
 * changes, when the user trains, imports or exports. It holds no DOM code:
 * every change on screen goes through a view.
 */
import { forgetModel, loadModel, saveModel } from "./storage.js";
import { TrainingController } from "./training-controller.js";

const MAX_IMPORT_BYTES = 20_000_000;
const WEIGHTS_REFRESH_MS = 700;

export class App {
  /**
   * @param {{settings: import("./state.js").Settings, runtime: import("./runtime.js").Runtime, views: object}} parts
   */
  constructor({ settings, runtime, views, drawing }) {
    this.settings = settings;
    this.runtime = runtime;
    this.views = views;
    this.drawing = drawing;
    this.ready = false;
    this.modelOrigin = "pretrained model";
    this.runConfig = null; // the config of the run in progress, if any
    this.lastWeights = 0;
    this.sampleIndex = 0;
    this.training = new TrainingController(runtime, {
      onState: () => this.refreshButtons(),
      onChunk: (result, wall) => this.onChunk(result, wall),
      onEnd: (result) => this.onRunEnd(result),
      onError: (message) => views.training.say(message, "error"),
    });
  }

  bind() {
    const { settingsView, training, model, gradcheck, sample, status } = this.views;
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
    sample.bindNext(() => {
      this.sampleIndex += 1;
      this.showSample();
    });
    status.bindRetry(() => {
      status.reset();
      this.ready = false;
      this.refreshButtons();
      this.runtime.start();
    });
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
  }

  // -- start-up ---------------------------------------------------------------
  async onReady(summary) {
    this.ready = true;
    const { status, sample, model } = this.views;
    status.setState("ready", `Python ready in ${(summary.ms / 1000).toFixed(1)} s (Pyodide ${summary.pyodideVersion})`);
    sample.setNote(
      `Pretrained model: ${summary.model.dimensions.join("-")}, ${(100 * summary.pretrainedAccuracy).toFixed(1)} % on held-out digits.`,
    );
    this.modelOrigin = "pretrained model";
    const stored = loadModel();
    if (stored.notice) model.say(stored.notice, stored.text ? "info" : "error");
    if (stored.text) {
      try {
        await this.runtime.call("import_model", [stored.text]);
        this.modelOrigin = "your last trained model";
        model.say("Restored your last trained model from this browser.");
      } catch (err) {
        forgetModel();
        model.say(`A saved model could not be used and was discarded (${err.message}); using the pretrained model.`, "error");
      }
    }
    this.refreshButtons();
    await this.showModel();
    this.views.status.showMemory(await this.runtime.memory());
  }

  /** The current model changed in the worker (fine-tuned): show it and keep it. */
  async modelChanged(origin) {
    this.modelOrigin = origin;
    await this.showModel();
    const problem = saveModel(await this.runtime.call("export_model"));
    if (problem) this.views.model.say(problem, "error");
  }

  /** Refresh everything that depends on the current model. */
  async showModel() {
    const { evaluation, weights, model } = this.views;
    try {
      model.show(await this.runtime.call("model_summary"), this.modelOrigin);
      evaluation.show(await this.runtime.call("evaluate"), this.modelOrigin);
      weights.show(await this.runtime.call("first_layer_weights"));
      await this.showSample();
      this.drawing?.modelShown();
    } catch (err) {
      model.say(err.message, "error");
    }
  }

  async showSample() {
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
    if (performance.now() - this.lastWeights > WEIGHTS_REFRESH_MS) {
      this.lastWeights = performance.now();
      weights.show(await this.runtime.call("first_layer_weights"));
    }
  }

  async onRunEnd(result) {
    // Keep the model first: a reload right after training must find it.
    const problem = saveModel(await this.runtime.call("export_model"));
    if (problem) this.views.model.say(problem, "error");
    else if (!result?.error) {
      // (After an error, such as divergence, the controller's message stays in view.)
      const finished = this.training.state === "finished";
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
      saveModel(text);
      model.say(`Imported ${file.name}.`);
      await this.showModel();
    } catch (err) {
      model.say(`Could not import ${file.name}: ${err.message}. The current model is kept.`, "error");
    }
  }

  async usePretrained() {
    const text = await fetch("models/pretrained.json").then((r) => {
      if (!r.ok) throw new Error(`could not load models/pretrained.json: HTTP ${r.status}`);
      return r.text();
    });
    await this.runtime.call("import_model", [text]);
    forgetModel();
    this.modelOrigin = "pretrained model";
    this.views.model.say("Back to the pretrained model.");
    await this.showModel();
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
