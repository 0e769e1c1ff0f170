/**
 * The runs of one dataset, to compare: each training run's settings, curves and
 * scores, kept in this browser (not its weights). No DOM here: the table is a
 * RunsView, and RunsController feeds both.
 *
 * A run is recorded when it ends, whether it finished, was stopped or
 * diverged; Resume or Step carry on the same run, so its record grows. The
 * last MAX_RUNS of each dataset are kept; the oldest goes first.
 *
 * A record: {id, number, started, outcome ("finished" | "stopped" | "diverged"),
 * position (where a stopped run stopped), dataset, plane (a 2-D set's generator
 * settings) or csv (your CSV's name), config (Python's names), hash (the run's
 * link), kernel (mlp.matmul.BACKEND), seconds, epochs, curves {epoch, loss,
 * test_loss, ...} (the epoch records of mlp.training.History, to SIGNIFICANT
 * digits, at most MAX_POINTS per curve) and metrics (held-out: accuracy and
 * loss, or mae, rmse, r2 and loss)}.
 */
import { scalarFields } from "./state.js";
import { loadRuns, saveRuns } from "./storage.js";

export const MAX_RUNS = 50;
/** Digits a curve's values keep: far more than a chart shows, and a small record. */
const SIGNIFICANT = 6;
/** Points a curve keeps (every epoch up to this many; beyond, evenly thinned, the last kept). */
const MAX_POINTS = 400;

const round = (v) => (typeof v === "number" && Number.isFinite(v) ? Number(v.toPrecision(SIGNIFICANT)) : null);

/**
 * A run's curves, as the record keeps them: one array per number the epoch records hold, by epoch.
 * @param {object[]} history mlp.training.History's records, oldest first
 */
export function curvesOf(history) {
  const step = Math.max(1, Math.ceil(history.length / MAX_POINTS));
  const kept = history.filter((_, i) => i % step === 0 || i === history.length - 1);
  const keys = [...new Set(kept.flatMap((r) => Object.keys(r).filter((k) => k !== "seconds" && typeof r[k] === "number")))];
  return Object.fromEntries(keys.map((key) => [key, kept.map((r) => (key === "epoch" ? r.epoch : round(r[key])))]));
}

/**
 * The held-out scores a run ends with: from Session.evaluate where the run's model was scored, else
 * (a run Python could not finish) its last epoch's.
 * @param {object|null} scores mlp.evaluation.evaluate's answer
 * @param {object} curves curvesOf's
 */
export function metricsOf(scores, curves) {
  const last = (key) => curves[key]?.at(-1) ?? null;
  const loss = last("test_loss");
  if (scores?.task === "regression") return { mae: scores.mae, rmse: scores.rmse, r2: scores.r2, loss };
  return { accuracy: scores?.accuracy ?? last("test_accuracy"), loss };
}

/** A setting's value in words, for the table and the legend. */
export const showValue = (value) => (Array.isArray(value) ? value.join(", ") : String(value));

export class RunLog {
  /**
   * @param {object} schema config-schema.json: the settings' labels and the generator's
   * @param {string} dataset the dataset's name
   */
  constructor(schema, dataset) {
    this.schema = schema;
    this.dataset = dataset;
    const { runs, notice } = loadRuns(dataset);
    this.runs = runs;
    /** Why the kept runs could not be read, if they could not. */
    this.notice = notice;
  }

  find(id) {
    return this.runs.find((run) => run.id === id) ?? null;
  }

  /** The number the next run is shown with: one more than any run kept. */
  get nextNumber() {
    return Math.max(0, ...this.runs.map((run) => run.number)) + 1;
  }

  /**
   * Add a run, or update it (the same id: resumed or stepped on), and keep the table.
   * @returns {{dropped: ?object, problem: ?string}} the oldest run, if it made room; why the table is not kept, if not
   */
  record(run) {
    const at = this.runs.findIndex((r) => r.id === run.id);
    let dropped = null;
    if (at >= 0) this.runs[at] = run;
    else {
      this.runs.push(run);
      if (this.runs.length > MAX_RUNS) dropped = this.runs.shift();
    }
    return { dropped, problem: this.save() };
  }

  /** Delete a run. @returns {?{run: object, index: number}} what restore() needs to put it back */
  remove(id) {
    const index = this.runs.findIndex((r) => r.id === id);
    if (index < 0) return null;
    const [run] = this.runs.splice(index, 1);
    this.save();
    return { run, index };
  }

  /** Put a deleted run back where it was. */
  restore({ run, index }) {
    if (this.find(run.id)) return;
    this.runs.splice(Math.min(index, this.runs.length), 0, run);
    this.save();
  }

  save() {
    return saveRuns(this.dataset, this.runs);
  }

  /**
   * Every setting of a run that can differ between two runs of this dataset, by key: the config's
   * (Python's names), the 2-D generator's ("plane.noise", ...) and the kernel. Values in words.
   * @returns {Map<string, string>}
   */
  settingsOf(run) {
    const settings = new Map([
      ["hidden_layers", showValue(run.config.hidden_layers)],
      ["activations", showValue(run.config.activations)],
      ["output", `${run.config.output_activation} + ${run.config.loss}`],
    ]);
    for (const field of scalarFields(this.schema)) if (Object.hasOwn(run.config, field)) settings.set(field, showValue(run.config[field]));
    for (const [key, value] of Object.entries(run.plane ?? {})) settings.set(`plane.${key}`, showValue(value));
    settings.set("kernel", run.kernel ?? "");
    return settings;
  }

  /** What a setting's key is called on the page (the form's label). */
  label(key) {
    if (key === "output") return "Output and loss";
    if (key === "kernel") return "Kernel";
    if (key.startsWith("plane.")) return this.schema.plane_settings[key.slice(6)]?.label ?? key;
    return this.schema.fields[key]?.label ?? key;
  }

  /** The settings whose values are not all the same across `runs` (all the table's, by default), in the form's order. */
  varying(runs = this.runs) {
    const all = runs.map((run) => this.settingsOf(run));
    const keys = [...new Set(all.flatMap((s) => [...s.keys()]))];
    return keys.filter((key) => new Set(all.map((s) => s.get(key) ?? "")).size > 1);
  }

  /** The settings of the run at `index` that differ from the run before it in the table. */
  changedFromBefore(index) {
    if (index < 1) return new Set();
    return new Set(this.varying([this.runs[index - 1], this.runs[index]]));
  }

  /**
   * The table as CSV text: one row per run, every setting (Python's names) and score. The spreadsheet
   * of your experiments: "run,started,outcome,epochs,seconds,accuracy,...".
   */
  toCSV() {
    const settingKeys = [...new Set(this.runs.flatMap((run) => [...this.settingsOf(run).keys()]))];
    const metricKeys = [...new Set(this.runs.flatMap((run) => Object.keys(run.metrics)))];
    const header = ["run", "started", "outcome", "epochs", "seconds", ...metricKeys, "dataset", "csv", ...settingKeys];
    const rows = this.runs.map((run) => {
      const settings = this.settingsOf(run);
      return [run.number, run.started, run.outcome, run.epochs, run.seconds.toFixed(2), ...metricKeys.map((k) => run.metrics[k] ?? ""),
        run.dataset, run.csv ?? "", ...settingKeys.map((k) => settings.get(k) ?? "")];
    });
    return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
  }
}

/**
 * One CSV field: quoted when it holds a separator, a quote or a line break (RFC 4180). Text a
 * spreadsheet would run as a formula (a CSV named "=cmd|...") gets a leading apostrophe.
 */
function csvField(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !Number.isFinite(Number(text))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
