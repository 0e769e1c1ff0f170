import { $, el } from "../dom.js";
import { drawDigit } from "../digit-image.js";

const pct = (v) => `${(100 * v).toFixed(2)} %`;

/** Held-out accuracy, the confusion matrix, the per-class report and the mistakes. */
export class EvaluationView {
  constructor(root = document) {
    this.accuracy = $('[data-testid="test-accuracy"]', root);
    this.caption = $('[data-testid="test-accuracy-caption"]', root);
    this.matrix = $('[data-testid="confusion-matrix"]', root);
    this.report = $('[data-testid="class-report"]', root);
    this.gallery = $('[data-testid="misclassified"]', root);
  }

  /** Live held-out accuracy from an epoch record, while training runs. */
  showLive(record) {
    if (record.val_accuracy == null) return;
    this.setAccuracy(record.val_accuracy, `after epoch ${record.epoch}, on held-out digits (live)`);
  }

  setAccuracy(value, caption) {
    this.accuracy.dataset.value = String(value);
    this.accuracy.textContent = pct(value);
    this.caption.textContent = caption;
  }

  /** @param {object} ev result of Session.evaluate */
  show(ev, modelName) {
    this.setAccuracy(ev.accuracy, `${modelName}, on ${ev.n_test} held-out digits`);
    this.showMatrix(ev.confusion_matrix);
    this.showReport(ev.report);
    this.showMistakes(ev.misclassified);
  }

  showMatrix(matrix) {
    const max = Math.max(1, ...matrix.flat());
    const head = el("tr");
    head.append(el("th", { text: "true \\ predicted", attrs: { scope: "col" } }));
    matrix.forEach((_, j) => head.append(el("th", { text: String(j), attrs: { scope: "col" } })));
    const rows = matrix.map((row, i) => {
      const tr = el("tr");
      tr.append(el("th", { text: String(i), attrs: { scope: "row" } }));
      row.forEach((count, j) => {
        const td = el("td", { text: String(count), attrs: { title: `true ${i}, predicted ${j}: ${count}` } });
        const strength = count / max;
        // Light tints only, so the dark count stays readable (WCAG contrast).
        td.style.backgroundColor = i === j ? `rgba(46, 125, 50, ${0.1 + 0.4 * strength})` : count ? `rgba(198, 40, 40, ${0.15 + 0.35 * strength})` : "";
        tr.append(td);
      });
      return tr;
    });
    const table = el("table", { className: "matrix" });
    table.append(el("caption", { text: "Confusion matrix: rows are true labels, columns predictions" }));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    tbody.append(...rows);
    table.append(thead, tbody);
    this.matrix.replaceChildren(table);
  }

  showReport(report) {
    const table = el("table", { className: "report" });
    table.append(el("caption", { text: "Per-class precision, recall, F1 and support (held-out)" }));
    const head = el("tr");
    for (const h of ["class", "precision", "recall", "f1-score", "support"]) head.append(el("th", { text: h, attrs: { scope: "col" } }));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    for (const [name, row] of Object.entries(report)) {
      if (name === "accuracy") continue;
      const tr = el("tr");
      tr.append(el("th", { text: name, attrs: { scope: "row" } }));
      for (const k of ["precision", "recall", "f1-score"]) tr.append(el("td", { text: row[k].toFixed(3) }));
      tr.append(el("td", { text: String(row.support) }));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    this.report.replaceChildren(table);
  }

  showMistakes(items) {
    if (!items.length) {
      this.gallery.replaceChildren(el("p", { text: "No held-out digit is misclassified." }));
      return;
    }
    this.gallery.replaceChildren(
      ...items.map((m) => {
        const figure = el("figure", { className: "mistake" });
        const canvas = el("canvas", {
          className: "digit-canvas small",
          attrs: { width: "8", height: "8", role: "img", "aria-label": `a ${m.true} read as ${m.predicted}` },
        });
        drawDigit(canvas, m.image);
        figure.append(canvas, el("figcaption", { text: `true ${m.true} → ${m.predicted} (${(100 * m.confidence).toFixed(0)} %)` }));
        return figure;
      }),
    );
  }
}
