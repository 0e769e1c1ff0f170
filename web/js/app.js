/**
 * The page's behaviour: what happens when Python is ready, when the user
 * changes a setting, trains, or looks inside one step. The dataset flow, the
 * model's life (kept, restored, imported, exported) and the code-editor flow
 * are controllers of their own, as training is; this composes them and holds
 * what they share (the settings, whether Python is ready). It holds no DOM code:
 * every change on screen goes through a view.
 */
import { CodeController } from "./code-controller.js";
import { DatasetController } from "./dataset-controller.js";
import { ExportController } from "./export-controller.js";
import { ModelController } from "./model-controller.js";
import { RunsController } from "./runs-controller.js";
import { STOP_GRACE_MS, whyNotIsolated } from "./runtime.js";
import { saveLastVisit } from "./storage.js";
import { TrainingController } from "./training-controller.js";

const WEIGHTS_REFRESH_MS = 700;

export class App {
  /**
   * @param {{settings: import("./state.js").Settings, runtime: import("./runtime.js").Runtime, views: object,
   *          drawing: object, datasets: object[], linkSettings: boolean}} parts The datasets are datasets.json's
   *   entries; linkSettings: whether the page was opened with a link's settings (they win over a kept model's);
   *   resumeCsv: your CSV that was open when you last left, to open again once Python is up.
   */
  constructor({ settings, runtime, views, drawing, datasets, linkSettings = false, resumeCsv = null }) {
    this.settings = settings;
    this.runtime = runtime;
    this.views = views;
    this.drawing = drawing;
    this.ready = false;
    this.runConfig = null; // the config of the run in progress, if any
    this.lastWeights = 0;
    this.stepShown = [0, "train"]; // the sample "Inside one step" follows
    this.sampleIndex = 0;
    this.afterRestart = null; // why Python restarted after Stop, said again once it is back
    this.modelConfig = null; // the settings the model on screen was made with (its metadata.config), if it says
    this.linkSettings = linkSettings;
    this.resumeCsv = resumeCsv;
    this.training = new TrainingController(runtime, {
      onState: () => this.refreshButtons(),
      onChunk: (result, wall) => this.onChunk(result, wall),
      onEnd: (result, outcome) => this.onRunEnd(result, outcome),
      onError: (message) => {
        views.training.say(message, "error");
        this.code.showTrainingError(message);
      },
      onStuck: () => this.restartAfterStop(),
    });
    this.datasets = new DatasetController(runtime, { settings, view: views.dataset, entries: datasets }, {
      busy: () => this.training.busy,
      onDataset: (entry) => this.followDataset(entry),
      onOpened: () => this.startModel(),
      onDone: () => this.refreshButtons(),
    });
    this.code = new CodeController(runtime, { settings, view: views.code, gradcheck: views.gradcheck, settingsView: views.settingsView }, {
      idle: () => this.ready && !this.training.busy,
      onState: () => this.refreshButtons(),
      restart: () => this.restartPython(),
      keepModel: () => this.models.keep({ replacing: false }),
    });
    this.models = new ModelController(runtime, { settings, view: views.model, code: this.code }, {
      show: () => this.showModel({ follow: true }),
    });
    this.exports = new ExportController(runtime, { view: views.model });
    this.runs = new RunsController({
      schema: settings.schema,
      view: views.runs,
      charts: [views.lossChart, views.accuracyChart],
      download: (text, name) => views.model.download(text, name, "text/csv"),
    }, { onUse: (run) => this.useRun(run) });
    this.runs.setDataset(settings.dataset);
    this.kernel = null; // which code multiplies matrices in Python (mlp.matmul.BACKEND), once it is up
  }

  get dataset() {
    return this.settings.dataset;
  }

  bind() {
    const { settingsView, training, gradcheck, sample, status, inside } = this.views;
    inside.bind({
      onShow: (index, split) => this.showStep(index, split),
      onTake: (index, split) => this.takeStep(index, split),
    });
    this.datasets.bind();
    settingsView.bind({
      onField: (field, value) => this.edit(() => this.settings.setField(field, value)),
      onOutput: (pair) => this.edit(() => this.settings.setOutput(pair)),
      onLayer: (i, change) => this.edit(() => this.settings.setLayer(i, change)),
      onAddLayer: () => this.edit(() => this.settings.addLayer()),
      onRemoveLayer: (i) => this.edit(() => this.settings.removeLayer(i)),
      onPreset: (name) => this.edit(() => this.settings.applyPreset(name)),
      onUseModelSettings: () => this.edit(() => this.settings.useConfig(this.modelConfig)),
    });
    training.bind({
      train: () => this.train(),
      stop: () => this.training.stop(),
      resume: () => this.training.resume(),
      step: () => this.step(),
      reset: () => this.reset(),
    });
    this.models.bind();
    this.exports.bind();
    this.runs.bind();
    gradcheck.bind(() => this.gradientCheck());
    this.code.bind();
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

  /** Stop did not end the run: Python is stuck in code that does not return. Restart it; the saved model comes back. */
  restartAfterStop() {
    const why = whyNotIsolated();
    const reason = why ? `Python cannot be interrupted here, as ${why.reason}` : "Python did not stop at the interrupt";
    this.afterRestart = `The run did not stop within ${STOP_GRACE_MS / 1000} s of Stop; your code may loop forever. ${reason}. `
      + "So Python restarted: the model last kept in this browser is back, and this run's progress is lost.";
    this.views.training.say(this.afterRestart, "error");
    this.runs.end({ outcome: "stopped", position: "when Python restarted", scores: null, seconds: this.training.wallSeconds });
    this.restartPython();
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
    this.sayLinkNotices(notices);
    this.refreshButtons();
  }

  /** The link's values that could not apply, said once above the page (state.js Settings.loadHash's notices). */
  sayLinkNotices(notices) {
    if (notices.length) this.views.notice(`Some settings in the link were not valid: ${notices.join(" ")}`);
  }

  edit(change) {
    change();
    this.views.settingsView.render(this.settings);
    const hash = this.settings.toHash();
    history.replaceState(null, "", hash);
    saveLastVisit(this.dataset.name, hash);
    this.showDifferences();
    this.refreshButtons();
    if (this.views.augment.open) this.showAugmented();
  }

  /**
   * The form shows the settings of the model on screen: a model restored, imported or chosen brings its
   * own into the form. Only a link's settings, on the page's first model, stay; the form then says how
   * they differ.
   */
  followModel() {
    const linked = this.linkSettings;
    this.linkSettings = false;
    if (this.modelConfig && !linked) this.edit(() => this.settings.useConfig(this.modelConfig));
    else this.showDifferences();
  }

  /** Where the form and the model on screen differ, said in the form; the results, charts and diagram marked as the model's. */
  showDifferences() {
    const differences = this.modelConfig && !this.training.busy ? this.settings.differences(this.modelConfig) : [];
    this.views.settingsView.showDifferences(differences);
    for (const view of ["training", "evaluation", "network"]) this.views[view].markStale(differences.length > 0);
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
    this.views.code.setEnabled(idle && !this.code.running);
    this.views.dataset.setEnabled(idle);
  }

  // -- start-up ---------------------------------------------------------------
  /** Python is up, on the digits with the pretrained model; open the dataset the link asks for, if another. */
  async onReady(summary) {
    this.ready = true;
    const { status, sample } = this.views;
    status.setState("ready", `Python ready in ${(summary.ms / 1000).toFixed(1)} s (Pyodide ${summary.pyodideVersion})`);
    this.views.training.showStopLimits(this.runtime.interruptible ? null : whyNotIsolated());
    status.showBackend(summary.matmul);
    this.kernel = summary.matmul;
    sample.setNote(
      `Pretrained model: ${summary.model.dimensions.join("-")}, ${(100 * summary.pretrainedAccuracy).toFixed(1)} % on held-out digits.`,
    );
    if (this.dataset.name === "digits") {
      this.views.dataset.show(this.dataset, summary.split);
      await this.models.restore({ pretrainedLoaded: true });
      this.refreshButtons();
      await this.showModel({ follow: true });
    } else {
      await this.datasets.open(this.dataset.name, { keepSettings: true });
    }
    if (this.resumeCsv) {
      await this.datasets.restoring;
      if (this.datasets.ownCsv.has(this.resumeCsv)) await this.datasets.open(this.resumeCsv);
      this.resumeCsv = null;
    }
    status.markModelShown();
    this.views.status.showMemory(await this.runtime.memory());
    if (this.views.augment.open) await this.showAugmented(); // opened while Python was starting
    this.code.pythonReady();
    if (this.afterRestart) this.views.training.say(this.afterRestart, "error"); // opening the dataset cleared it
    this.afterRestart = null;
    this.warmUp();
  }

  /**
   * While the learner reads, the worker makes the training set of the form's config
   * (Session.prepare_training_set: the augmented copies, slowest the first time), so the
   * first Train's click waits no longer than the next ones'. A Train clicked meanwhile waits
   * for it in the worker's queue, and then takes what it made.
   */
  async warmUp() {
    try {
      if (this.settings.valid) await this.runtime.call("prepare_training_set", [this.settings.toConfig()]);
    } catch {
      // Only a speed-up: without it, the first Train does the same work itself.
    }
    this.views.status.markIdle();
  }

  /**
   * A link pasted or followed into the open page (hashchange): its dataset and settings apply as on
   * a fresh load, without one. Not during a run, and a dataset that cannot be opened leaves the page
   * as it was. The page's own address updates (replaceState) fire no hashchange.
   */
  async followLink(hash) {
    if (hash === this.settings.toHash()) return;
    if (!this.ready || this.training.busy) {
      this.views.notice("The link was not applied: Python is busy. Stop the run (or wait until Python is up), then open the link again.");
      history.replaceState(null, "", this.settings.toHash()); // the address stays this page's
      return;
    }
    const name = new URLSearchParams(hash.replace(/^#/, "")).get("dataset");
    if (!name) { // settings alone (your CSV's links have no dataset): for the dataset that is open
      let notices = [];
      this.edit(() => {
        notices = this.settings.loadHash(hash);
      });
      this.sayLinkNotices(notices);
      return;
    }
    const entry = this.datasets.entries.find((d) => d.name === name);
    if (!entry) {
      this.views.notice(`The link was not applied: dataset "${name}" is not one of the datasets.`);
      history.replaceState(null, "", this.settings.toHash());
      return;
    }
    const { settings } = this;
    const before = settings.snapshot();
    settings.setDataset(entry);
    const notices = settings.loadHash(hash);
    this.linkSettings = true; // the link's settings stay, even where a kept model differs
    const opened = await this.datasets.open(name, { keepSettings: true });
    if (!opened) {
      settings.restore(before);
      this.linkSettings = false;
      this.edit(() => {});
      return;
    }
    this.sayLinkNotices(notices);
  }

  // -- a dataset switch, the page's side (DatasetController asks the worker first) ------
  /** The settings hold a newly opened dataset: the views follow it, and the form and the link show its settings. */
  followDataset(entry) {
    this.modelConfig = null; // the last dataset's model is not on screen any more
    for (const view of ["dataset", "settingsView", "training", "evaluation", "weights", "augment", "sample", "model", "plane", "network", "inside"]) {
      this.views[view].setDataset(entry);
    }
    this.runs.setDataset(entry);
    this.drawing?.setDataset(entry);
    this.edit(() => {});
  }

  /** The dataset is open and shown: no run in progress, and its last model here, or a fresh network. */
  async startModel() {
    this.runConfig = null;
    this.clearRun();
    this.views.training.say("");
    if (!(await this.models.restore())) {
      await this.training.fresh(this.settings.toConfig());
      this.models.origin = "untrained network";
    }
    if (this.views.plane.visible) this.views.plane.showPoints(await this.runtime.call("points"));
    await this.showModel({ follow: true });
  }

  /**
   * Refresh everything that depends on the current model.
   * @param {{follow?: boolean}} [options] follow: the model is new on screen (restored, imported, chosen), and the form takes its settings
   * @returns {Promise<?{scores: object}>} what was shown: the model's held-out scores (null if it could not be shown)
   */
  async showModel({ follow = false } = {}) {
    const { evaluation, weights, model, network } = this.views;
    try {
      // Asked all at once: the worker computes the next answer while the page draws the last.
      const call = (method) => this.runtime.call(method);
      const replies = [call("model_summary"), call("evaluate"), call("first_layer_weights"), call("diagram")];
      for (const reply of replies) reply.catch(() => {}); // the first failure is shown below
      const [summary, scores, firstLayer, diagram] = replies;
      const shown = await summary;
      model.show(shown, this.models.origin);
      this.modelConfig = shown.metadata?.config ?? null;
      if (follow) this.followModel();
      else this.showDifferences();
      evaluation.show(await scores, this.models.origin);
      weights.show(await firstLayer);
      network.show(await diagram);
      await this.showBoundary();
      await this.showSample();
      if (this.views.inside.shown) await this.showStep(...this.stepShown);
      this.drawing?.modelShown();
      return { scores: await scores };
    } catch (err) {
      model.say(err.message, "error");
      return null;
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
  /**
   * Whether a run may replace the model on screen now. A model the learner would miss (ModelController.irreplaceable)
   * is replaced only once they say so; Export keeps it in a file first.
   */
  mayReplace(action, again) {
    const precious = this.models.irreplaceable;
    if (!precious) return true;
    this.views.training.askReplace(`${action} would replace ${precious}, which is not exported: it would be lost.`, {
      onReplace: () => {
        this.models.letGo(); // asked and answered: replace it
        again();
      },
      onExport: () => this.models.exportModel(),
    });
    return false;
  }

  /**
   * Generator settings typed but not applied: the points they describe are the ones to train on, so
   * Train and Step generate them first. @returns {Promise<boolean>} whether the run may go on
   */
  async applyPendingPlane() {
    const { dataset } = this.views;
    return !dataset.planePending || Boolean(await this.datasets.regenerate(dataset.planeRaw));
  }

  async train() {
    if (!this.settings.valid || !this.mayReplace("Train", () => this.train())) return;
    if (!(await this.applyPendingPlane())) return;
    this.runConfig = this.settings.toConfig();
    this.clearRun();
    this.runs.begin(this.runDetails());
    try {
      await this.training.start(this.runConfig);
    } catch (err) {
      this.views.training.say(err.message, "error");
      this.training.setState("idle");
    }
  }

  async step() {
    if (!(await this.applyPendingPlane())) return;
    const config = this.settings.toConfig();
    const sameRun = this.runConfig && JSON.stringify(config) === JSON.stringify(this.runConfig);
    if ((!sameRun || this.training.state === "finished") && !this.mayReplace("Step one epoch", () => this.step())) return;
    try {
      if (!sameRun || this.training.state === "finished") {
        this.runConfig = config;
        this.clearRun();
        this.runs.begin(this.runDetails());
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
      this.models.origin = "untrained network";
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
    for (const chart of [lossChart, accuracyChart]) {
      chart.reset();
      chart.showSeries("validation", (this.runConfig?.validation_fraction ?? 0) > 0);
    }
    this.models.origin = "network in training";
  }

  /** What the runs table records of a run as it starts: the form's settings (the run's config) and the data. */
  runDetails() {
    const { settings } = this;
    return {
      config: this.runConfig,
      hash: settings.toHash(),
      plane: settings.dataset.kind === "plane" ? { ...settings.plane } : null,
      csv: settings.dataset.own ? settings.dataset.name : null,
      kernel: this.kernel,
    };
  }

  /** A run's settings (the runs table's "Use these settings") in the form and the link, its points too on a 2-D set. */
  async useRun(run) {
    if (this.training.busy) return this.views.runs.say("Stop the run first: the form cannot change while it trains.", "error");
    const plane = run.plane && JSON.stringify(run.plane) !== JSON.stringify(this.settings.plane);
    if (plane && !(await this.datasets.regenerate(run.plane))) return;
    let used = false;
    this.edit(() => {
      used = this.settings.useConfig(run.config);
    });
    if (!used) return this.views.runs.say(`Run #${run.number}'s settings are not valid for this data any more; the form is unchanged.`, "error");
    this.views.runs.say(`The form and the link hold run #${run.number}'s settings${plane ? ", and its points are back" : ""}. Train to run them again.`);
  }

  async onChunk(result, wallSeconds) {
    const { training, lossChart, accuracyChart, evaluation, weights } = this.views;
    training.showProgress(result, wallSeconds);
    this.runs.progress(result.history || []);
    for (const r of result.history || []) {
      lossChart.addDataPoint(r.epoch, [r.loss, r.val_loss, r.test_loss]);
      accuracyChart.addDataPoint(r.epoch, [r.accuracy, r.val_accuracy, r.test_accuracy]);
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
    const problem = await this.models.keep();
    if (problem) this.views.model.say(problem, "error");
    else if (!result?.error) {
      // (After an error, such as divergence, the controller's message stays in view.)
      const finished = outcome === "finished";
      const early = result?.stopped === "early_stopping" ? ` It stopped early after epoch ${result.epoch}: no better validation loss in ${this.runConfig?.patience} epochs.` : "";
      const what = finished ? `Training finished.${early} The model is kept in this browser.` : `Stopped ${result.position}. The model so far is kept in this browser; Resume continues.`;
      this.views.training.say(what);
    }
    this.models.origin = "your trained model";
    const shown = await this.showModel();
    const how = result?.stopped === "diverged" ? "diverged" : outcome === "finished" ? "finished" : "stopped";
    this.runs.end({ outcome: how, position: how === "stopped" ? result?.position : null, scores: shown?.scores ?? null,
      seconds: this.training.wallSeconds });
    this.views.status.showMemory(await this.runtime.memory());
    this.refreshButtons();
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
      await this.models.changed("your model, one step taken by hand");
      this.views.inside.showTaken(taken);
    } catch (err) {
      this.views.inside.say(err.message, "error");
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
