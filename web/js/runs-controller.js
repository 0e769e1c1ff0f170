/**
 * The runs flow: each run is recorded as it ends (runs.js), the open dataset's table is shown
 * (RunsView), and the runs ticked there are drawn over the live run's charts. No DOM here.
 */
import { MAX_RUNS, RunLog, curvesOf, metricsOf } from "./runs.js";

/** The overlays' colours (Okabe and Ito's, without the live run's blue and orange): one per run drawn. */
const COLOURS = ["#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#6a3d9a", "#000000"];

const runId = () => `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export class RunsController {
  /**
   * @param {{schema: object, view: import("./views/runs-view.js").RunsView,
   *          charts: import("./charts/line-chart.js").LineChart[], download: (text: string, name: string) => void}} parts
   * @param {{onUse: (run: object) => Promise<void>}} listener onUse: put a run's settings in the form and the link
   */
  constructor({ schema, view, charts, download }, listener) {
    this.schema = schema;
    this.view = view;
    this.charts = charts;
    this.download = download;
    this.listener = listener;
    this.log = null;
    /** The runs drawn on the charts: id -> colour. */
    this.colours = new Map();
    /** The run in progress: its record so far, and every epoch record it has had. */
    this.current = null;
    /** What the charts draw over the live run, in short: they are drawn again only when it changes. */
    this.overlaid = "";
  }

  bind() {
    this.view.bind({
      onSelect: (id, on) => this.select(id, on),
      onUse: (id) => this.use(id),
      onDelete: (id) => this.remove(id),
      onExport: () => this.exportTable(),
    });
  }

  /** Show the table of another dataset (none of its runs drawn yet). */
  setDataset(dataset) {
    if (this.log?.dataset === dataset.name) return;
    this.log = new RunLog(this.schema, dataset.name);
    this.colours.clear();
    this.current = null;
    this.view.setDataset(dataset);
    this.view.say(this.log.notice ?? "", this.log.notice ? "error" : "info");
    this.render();
  }

  /**
   * A run starts (Train, or the first Step of a fresh network).
   * @param {{config: object, hash: string, plane: ?object, csv: ?string, kernel: ?string}} details what the run trains, and where
   */
  begin({ config, hash, plane, csv, kernel }) {
    this.current = {
      history: [],
      run: { id: runId(), number: this.log.nextNumber, started: new Date().toISOString(), dataset: this.log.dataset,
        plane, csv, config, hash, kernel },
    };
  }

  /** @param {object[]} history the epoch records a chunk completed */
  progress(history) {
    this.current?.history.push(...history);
  }

  /**
   * The run ended (for now: Resume or Step carries it on): record it, and show the table.
   * @param {{outcome: "finished"|"stopped"|"diverged", position?: string, scores: ?object, seconds: number}} end
   *   scores: Session.evaluate's for the model the run left (null if Python could not score it)
   */
  end({ outcome, position = null, scores, seconds }) {
    if (!this.current) return;
    const { run, history } = this.current;
    const curves = curvesOf(history);
    const record = { ...run, outcome, position, seconds, epochs: history.at(-1)?.epoch ?? 0, curves, metrics: metricsOf(scores, curves) };
    const { dropped, problem } = this.log.record(record);
    if (problem) this.view.say(problem, "error");
    else if (dropped) {
      this.view.say(`The table keeps the last ${MAX_RUNS} runs of each dataset: run #${dropped.number}, the oldest, was dropped.`);
    }
    this.render();
  }

  select(id, on) {
    if (!on) this.colours.delete(id);
    else if (this.colours.size >= COLOURS.length) {
      this.view.say(`At most ${COLOURS.length} runs are drawn at once: untick one first.`, "error");
    } else {
      this.colours.set(id, COLOURS.find((c) => ![...this.colours.values()].includes(c)));
    }
    this.render();
  }

  async use(id) {
    const run = this.log.find(id);
    if (run) await this.listener.onUse(run);
  }

  remove(id) {
    const removed = this.log.remove(id);
    if (!removed) return;
    this.render();
    this.view.offerUndo(`Run #${removed.run.number} was deleted.`, () => {
      this.log.restore(removed);
      this.render();
    });
  }

  exportTable() {
    this.download(this.log.toCSV(), `runs-${this.log.dataset}.csv`);
    this.view.say(`The table is in runs-${this.log.dataset}.csv: one row per run, every setting and score.`);
  }

  /** The table, the runs drawn on the charts, and their legend. */
  render() {
    const picked = this.log.runs.filter((run) => this.colours.has(run.id));
    for (const id of this.colours.keys()) if (!this.log.find(id)) this.colours.delete(id);
    this.view.show(this.log, this.colours);
    const overlaid = picked.map((run) => `${run.id} ${this.colours.get(run.id)} ${run.curves.epoch.length}`).join();
    if (overlaid === this.overlaid) return;
    this.overlaid = overlaid;
    for (const chart of this.charts) {
      chart.setOverlays(picked.map((run) => ({
        label: `#${run.number}`,
        stroke: this.colours.get(run.id),
        epochs: run.curves.epoch,
        values: chart.series.map((s) => run.curves[s.key] ?? run.curves.epoch.map(() => null)),
      })));
    }
    const differing = this.log.varying(picked);
    this.view.showLegend(picked.map((run) => {
      const settings = this.log.settingsOf(run);
      return { colour: this.colours.get(run.id), number: run.number,
        text: differing.map((key) => `${this.log.label(key).toLowerCase()} ${settings.get(key)}`).join(", ") };
    }));
  }
}
