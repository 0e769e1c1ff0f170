/** The dataset flow: open a named dataset, generate a 2-D set again, or read, keep and remove your own CSV. */
import { deleteCsv, listCsv, putCsv } from "./csv-store.js";
import { fetchBytes } from "./site-files.js";
import { csvLimits, parseScalar, planeSettingsFor } from "./state.js";
import { forgetModel, loadModel, saveModel } from "./storage.js";

/** A CSV's record with one choice changed; a column chosen as the label is no longer one to ignore. */
function withChoice(record, change) {
  const next = { ...record, ...change };
  return { ...next, ignore: (next.ignore ?? []).filter((column) => column !== next.label) };
}

/**
 * Which data the page trains on: a named dataset (its file, or a 2-D set
 * generated again with other settings), or your own CSV, kept in this browser
 * until you remove it. No DOM here: the picker is a DatasetView.
 *
 * A switch asks the worker first; only once Python has opened the data does
 * the page follow (the settings, the views, the dataset's model). If anything
 * fails, the dataset that was open stays open.
 */
export class DatasetController {
  /**
   * @param {{call: Function}} runtime
   * @param {{settings: import("./state.js").Settings, view: import("./views/dataset-view.js").DatasetView,
   *          entries: object[]}} parts The entries are datasets.json's.
   * @param {{busy: () => boolean, onDataset: (entry: object) => void, onOpened: () => Promise<void>,
   *          onDone: () => void}} listener
   *   busy: whether a switch must wait (training runs); onDataset: the settings now hold the new dataset,
   *   for the other views to follow; onOpened: the dataset's views are shown, start its model;
   *   onDone: a switch ended, opened or not.
   */
  constructor(runtime, { settings, view, entries }, listener) {
    this.runtime = runtime;
    this.settings = settings;
    this.view = view;
    this.entries = entries;
    this.listener = listener;
    /** Your CSVs kept in this browser, by dataset name: {name, bytes, label, task, ignore, columns, entry}. */
    this.ownCsv = new Map();
    /** A CSV picked but not used yet, while its label, task and columns are chosen: a record and what it holds. */
    this.pending = null;
  }

  /** The dataset that is open (the settings hold it). */
  get dataset() {
    return this.settings.dataset;
  }

  bind() {
    this.view.bind({
      onPick: (name) => this.open(name),
      onCsv: (file) => this.uploadCsv(file),
      onLabel: (label) => this.changeCsv({ label }),
      onTask: (task) => this.changeCsv({ task: task || null }),
      onIgnore: (ignore) => this.changeCsv({ ignore }),
      onUseCsv: () => this.usePending(),
      onForget: () => this.forgetCsv(),
      onRegenerate: (raw) => this.regenerate(raw),
    });
  }

  /** Open a dataset by its name: a named one (its file, or a 2-D set regenerated), or one of your CSVs. */
  open(name, { keepSettings = false, note = "", plane: chosen = null } = {}) {
    this.pending = null; // a CSV not used yet is dropped for the dataset picked
    if (this.ownCsv.has(name)) return this.openCsv(this.ownCsv.get(name));
    const entry = this.entries.find((d) => d.name === name);
    if (!entry) return false;
    // A 2-D set: the link's generator settings, or those just chosen, else the defaults it was built with.
    const { function: _, ...built } = entry.generator ?? {};
    const plane = chosen ?? (keepSettings ? this.settings.plane : built);
    return this.switchTo(
      async () => (entry.kind === "plane"
        ? this.runtime.call("open_dataset", [entry], { plane })
        : this.runtime.call("open_dataset", [entry, await fetchBytes(`data/${entry.file}`)])),
      {
        // A k-class set's classes are those of the points generated (their number is a generator setting).
        entry: (opened) => (entry.kind === "plane" ? { ...entry, classes: opened.dataset.classes } : entry),
        keepSettings,
        note,
        failure: (message) => this.view.showError(`Could not open ${entry.title}: ${message}. ${this.dataset.title} stays open.`),
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
    const { view, settings } = this;
    if (this.listener.busy()) return null;
    view.setEnabled(false);
    try {
      const opened = await open();
      const entry = entryFor(opened);
      await onOpened(opened, entry); // before the controls are enabled again, and before the page shows it open
      if (!keepSettings) settings.setDataset(entry);
      else settings.dataset = entry;
      if (opened.plane) settings.plane = opened.plane;
      this.listener.onDataset(entry);
      if (entry.own) view.addOwn(entry);
      view.show(entry, opened, note);
      view.showPlane(settings.plane);
      await this.listener.onOpened();
      return opened;
    } catch (err) {
      failure(err.message);
      view.showSelected(this.dataset.name);
      return null;
    } finally {
      this.listener.onDone();
    }
  }

  /** Generate the open 2-D set again with other settings (as typed: checked here, and again in Python). */
  regenerate(raw) {
    const plane = {};
    try {
      for (const [key, spec] of planeSettingsFor(this.settings.schema, this.dataset)) {
        try {
          plane[key] = parseScalar(spec, raw[key]);
        } catch (err) {
          throw new Error(`${spec.label} ${err.message}`, { cause: err });
        }
      }
    } catch (err) {
      this.view.showError(`${err.message}. The points stay as they are.`);
      return null;
    }
    return this.open(this.dataset.name, { keepSettings: true, plane });
  }

  // -- your own CSV -------------------------------------------------------------
  /** The CSVs kept in this browser, offered in the picker. */
  restoreCsvs() {
    this.restoring = this.listCsvs();
    return this.restoring;
  }

  async listCsvs() {
    const { records, problem } = await listCsv();
    if (problem) this.view.showError(problem);
    for (const record of records) {
      this.ownCsv.set(record.name, record);
      this.view.addOwn(record.entry);
    }
    this.view.showSelected(this.dataset.name);
  }

  /**
   * A file the learner picked: refused here if too large to read (Python checks every limit again), else read
   * for its columns and shown, not used yet, so its label column, task and columns are chosen first.
   */
  async uploadCsv(file) {
    const limits = csvLimits(this.settings.schema);
    if (file.size > limits.bytes) {
      this.view.showError(`${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MB; a CSV may be at most ${limits.megabytes} MB. ${this.dataset.title} stays open.`);
      return;
    }
    if (this.listener.busy()) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const name = file.name.replace(/\.[^.]*$/, "") || "my_data";
    let seen;
    this.view.setEnabled(false);
    try {
      seen = await this.runtime.call("inspect_csv", [bytes], { name });
    } catch (err) {
      this.view.showError(`Could not use ${file.name}: ${err.message}. ${this.dataset.title} stays open.`);
      return;
    } finally {
      this.view.setEnabled(true);
    }
    this.pending = { name, bytes, file: file.name, label: seen.label, task: null, ignore: [], columns: seen.columns,
      label_note: seen.label_note, problem: seen.problem };
    this.view.showPending(this.pending); // once the controls are enabled again, so Use this file takes the focus
  }

  /** A choice for a CSV: kept for the file not used yet, or the open CSV read again with it. */
  changeCsv(change) {
    if (!this.pending) return this.rereadCsv(change);
    this.pending = withChoice(this.pending, change);
    this.view.showCsvChoices(this.pending);
    return null;
  }

  /** Use the file picked, with the choices made: open it and keep it in this browser; if it fails, it waits. */
  async usePending() {
    const pending = this.pending;
    if (!pending) return null;
    // Not pending from here: the controls come back before the file is kept, and a choice made then reads it again.
    this.pending = null;
    const opened = await this.openCsv(pending, pending.file);
    if (!opened) this.pending ??= pending; // it failed: the file waits, with its choices
    return opened;
  }

  /**
   * Read a CSV in the worker and, if it is good, open it and keep it in this browser.
   * @param {{name: string, bytes: Uint8Array, label: ?string, task: ?string, ignore?: string[]}} record
   */
  async openCsv(record, shownName = `${record.name}.csv`) {
    let kept = null;
    let problem = null; // why it could not be kept in this browser, if it could not
    const opened = await this.switchTo(
      () => this.runtime.call("open_csv", [record.bytes], { name: record.name, label: record.label, task: record.task || null,
        ignore: record.ignore ?? [] }),
      {
        entry: (answer) => ({ ...answer.dataset, own: true }),
        failure: (message) => this.view.showError(`Could not use ${shownName}: ${message}. ${this.dataset.title} stays open.`),
        // Kept in this browser before the page shows it open: a reload the moment it shows finds it.
        opened: async (answer, entry) => {
          kept = { name: entry.name, bytes: record.bytes, label: answer.label, task: record.task, ignore: answer.ignore,
            columns: answer.column_kinds, entry };
          this.ownCsv.set(kept.name, kept);
          problem = await putCsv(kept);
        },
      },
    );
    if (!opened) return null;
    if (problem) this.view.showError(problem);
    return opened;
  }

  /** Read the open CSV again with another label column, task or columns; if that fails, the choices go back. */
  async rereadCsv(change) {
    const record = this.ownCsv.get(this.dataset.name);
    if (record && !(await this.openCsv(withChoice(record, change)))) this.view.showCsvChoices(record);
  }

  /**
   * Remove the open CSV (and its model) from this browser, and go back to the digits.
   * Until the next removal or reload, Undo brings both back.
   */
  async forgetCsv() {
    const name = this.dataset.name;
    const record = this.ownCsv.get(name);
    if (!record) return;
    const model = loadModel(name).text;
    this.ownCsv.delete(name);
    this.view.removeOwn(name);
    forgetModel(name);
    const problem = await deleteCsv(name);
    await this.open("digits", { note: problem ? "" : ` (${name} was removed from this browser.)` });
    if (problem) this.view.showError(problem);
    else this.view.offerUndo(name, () => this.undoForget(record, model));
  }

  /** Put a removed CSV and its model back, and open it. */
  async undoForget(record, model) {
    if (model) saveModel(model, record.name);
    this.view.addOwn(record.entry);
    await this.openCsv(record);
  }
}
