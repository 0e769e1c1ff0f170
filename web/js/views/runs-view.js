/**
 * The runs table: one row per run of the open dataset, newest first, with the settings that vary
 * between runs as columns (a value that differs from the run before is highlighted), the scores and
 * the time; a box per row to draw the run's curves on the charts, "Use these settings" and Delete.
 * And the legend under the charts that names each drawn run by what differs.
 */
import { $, el, say, swatch } from "../dom.js";
import { duration, fixed, inUnits, short } from "../numbers.js";

/** The scores a task's runs show, by their key in a run's metrics (runs.js metricsOf). */
const METRICS = {
  classification: [["accuracy", "Held-out accuracy", (v) => `${fixed(100 * v, 2)} %`], ["loss", "Held-out loss", (v) => short(v)]],
  regression: [["mae", "MAE", inUnits], ["rmse", "RMSE", inUnits], ["r2", "R²", (v) => fixed(v, 3)], ["loss", "Held-out loss", (v) => short(v)]],
};

const clock = (iso) => new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

/** How a run ended, in words. */
function outcomeOf(run) {
  if (run.outcome === "stopped") return `stopped ${run.position ?? ""}`.trim();
  return run.outcome;
}

export class RunsView {
  constructor(root = document) {
    this.root = $('[data-testid="runs-card"]', root);
    this.table = $('[data-testid="runs-table"]', this.root);
    this.empty = $('[data-testid="runs-empty"]', this.root);
    this.message = $('[data-testid="runs-message"]', this.root);
    this.exportButton = $('[data-action="export-runs"]', this.root);
    this.legend = $('[data-testid="runs-legend"]', root);
    this.task = "classification";
  }

  /**
   * @param {{onSelect: (id: string, on: boolean) => void, onUse: (id: string) => void, onDelete: (id: string) => void,
   *          onExport: () => void}} handlers
   */
  bind({ onSelect, onUse, onDelete, onExport }) {
    this.exportButton.addEventListener("click", onExport);
    this.table.addEventListener("change", (event) => {
      const box = event.target.closest('input[type="checkbox"]');
      if (box) onSelect(box.closest("tr").dataset.runId, box.checked);
    });
    this.table.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (!button) return;
      const id = button.closest("tr").dataset.runId;
      if (button.dataset.action === "use-run") onUse(id);
      else if (button.dataset.action === "delete-run") onDelete(id);
    });
  }

  /** The scores shown are the dataset's task's. */
  setDataset(dataset) {
    this.task = dataset.task === "regression" ? "regression" : "classification";
    this.dataset = dataset.title ?? dataset.name;
  }

  /**
   * Draw the table.
   * @param {import("../runs.js").RunLog} log
   * @param {Map<string, string>} colours the runs drawn on the charts: id -> colour
   */
  show(log, colours) {
    const { runs } = log;
    const columns = ["hidden_layers", ...log.varying().filter((key) => key !== "hidden_layers")];
    const metrics = METRICS[this.task];
    const head = el("tr");
    const headings = ["Compare", "Run", ...columns.map((key) => log.label(key)), "Outcome", ...metrics.map(([, label]) => label), "Epochs", "Time", "Actions"];
    for (const text of headings) head.append(el("th", { text, attrs: { scope: "col" } }));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    for (let index = runs.length - 1; index >= 0; index--) {
      tbody.append(this.row(log, index, columns, metrics, colours));
    }
    const caption = el("caption", { text: `Runs on ${this.dataset}, newest first` });
    this.table.replaceChildren(caption, thead, tbody);
    this.table.hidden = runs.length === 0;
    this.empty.hidden = runs.length > 0;
    this.exportButton.disabled = runs.length === 0;
  }

  row(log, index, columns, metrics, colours) {
    const run = log.runs[index];
    const settings = log.settingsOf(run);
    const changed = log.changedFromBefore(index);
    const tr = el("tr", { attrs: { "data-testid": "run-row", "data-run-id": run.id, "data-outcome": run.outcome } });
    const colour = colours.get(run.id);
    const pick = el("td", { className: "run-pick" });
    const box = el("input", { attrs: { type: "checkbox", "aria-label": `Compare run #${run.number} on the charts` } });
    box.checked = Boolean(colour);
    pick.append(box);
    if (colour) pick.append(swatch(colour));
    const name = el("th", { attrs: { scope: "row" } });
    name.append(el("span", { text: `#${run.number}` }), el("span", { className: "run-when", text: clock(run.started) }));
    tr.append(pick, name);
    for (const key of columns) {
      const cell = el("td", { className: "run-setting", text: settings.get(key) ?? "", attrs: { "data-setting": key } });
      if (changed.has(key)) {
        cell.dataset.changed = "";
        cell.append(el("span", { className: "visually-hidden", text: " (changed)" }));
      }
      tr.append(cell);
    }
    tr.append(el("td", { className: "run-outcome", text: outcomeOf(run) }));
    for (const [key, , format] of metrics) {
      const value = run.metrics[key];
      tr.append(el("td", { text: Number.isFinite(value) ? format(value) : "–", attrs: { "data-metric": key } }));
    }
    tr.append(el("td", { className: "run-epochs", text: String(run.epochs) }), el("td", { className: "run-time", text: duration(run.seconds) }));
    const actions = el("td", { className: "run-actions" });
    actions.append(
      el("button", { text: "Use these settings", className: "secondary small",
        attrs: { type: "button", "data-action": "use-run", "aria-label": `Use these settings: run #${run.number}'s` } }),
      el("button", { text: "Delete", className: "secondary small",
        attrs: { type: "button", "data-action": "delete-run", "aria-label": `Delete run #${run.number}` } }),
    );
    tr.append(actions);
    return tr;
  }

  /**
   * Name the runs drawn on the charts by what differs between them.
   * @param {{colour: string, number: number, text: string}[]} items
   */
  showLegend(items) {
    this.legend.hidden = items.length === 0;
    this.legend.replaceChildren(...items.map(({ colour, number, text }) => {
      const item = el("span", { className: "runs-legend-item" });
      item.append(swatch(colour), el("span", { text: `#${number}${text ? `: ${text}` : ""}` }));
      return item;
    }));
    if (items.length) this.legend.prepend(el("span", { className: "note", text: "Drawn on the charts (train solid, held-out dashed): " }));
  }

  /** @param {string} text @param {"info"|"error"} [kind] */
  say(text, kind = "info") {
    say(this.message, text, kind);
  }

  /** A message with an Undo button beside it (a deleted run). */
  offerUndo(text, onUndo) {
    this.say(text);
    const undo = el("button", { text: "Undo", className: "secondary small", attrs: { type: "button", "data-action": "undo-delete-run" } });
    undo.addEventListener("click", () => {
      this.say("");
      onUndo();
    }, { once: true });
    this.message.append(" ", undo);
  }
}
