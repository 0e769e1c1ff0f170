import { $, el } from "../dom.js";
import { drawSample, samplesNoun } from "../sample-image.js";

const pct = (v) => `${(100 * v).toFixed(2)} %`;

/** Held-out accuracy, the confusion matrix, the per-class report and the mistakes, with the dataset's class names. */
export class EvaluationView {
  /**
   * @param {{classes: string[], noun?: string}} dataset Its entry in data/datasets.json.
   * @param {ParentNode} [root]
   */
  constructor(dataset, root = document) {
    this.dataset = dataset;
    this.noun = samplesNoun(dataset);
    this.accuracy = $('[data-testid="test-accuracy"]', root);
    this.caption = $('[data-testid="test-accuracy-caption"]', root);
    this.matrix = $('[data-testid="confusion-matrix"]', root);
    this.report = $('[data-testid="class-report"]', root);
    this.gallery = $('[data-testid="misclassified"]', root);
  }

  /** Live held-out accuracy from an epoch record, while training runs. */
  showLive(record) {
    if (record.val_accuracy == null) return;
    this.setAccuracy(record.val_accuracy, `after epoch ${record.epoch}, on held-out ${this.noun} (live)`);
  }

  setAccuracy(value, caption) {
    this.accuracy.dataset.value = String(value);
    this.accuracy.textContent = pct(value);
    this.caption.textContent = caption;
  }

  /** @param {object} ev result of Session.evaluate */
  show(ev, modelName) {
    this.setAccuracy(ev.accuracy, `${modelName}, on ${ev.n_test} held-out ${this.noun}`);
    this.showMatrix(ev.confusion_matrix);
    this.showReport(ev.report);
    this.showMistakes(ev.misclassified);
  }

  showMatrix(matrix) {
    const names = this.dataset.classes;
    const max = Math.max(1, ...matrix.flat());
    const head = el("tr");
    head.append(el("th", { text: "true \\ predicted", attrs: { scope: "col" } }));
    matrix.forEach((_, j) => head.append(el("th", { text: names[j], attrs: { scope: "col" } })));
    const rows = matrix.map((row, i) => {
      const tr = el("tr");
      tr.append(el("th", { text: names[i], attrs: { scope: "row" } }));
      row.forEach((count, j) => {
        const td = el("td", { text: String(count), attrs: { title: `true ${names[i]}, predicted ${names[j]}: ${count}` } });
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
    for (const [key, row] of Object.entries(report)) {
      if (key === "accuracy") continue;
      // Per-class rows are keyed by the class index; the averages by their own names.
      const name = /^\d+$/.test(key) ? this.dataset.classes[Number(key)] : key;
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
      this.gallery.replaceChildren(el("p", { text: `No held-out ${this.noun} are misclassified.` }));
      return;
    }
    const names = this.dataset.classes;
    this.gallery.replaceChildren(
      ...items.map((m) => {
        const [truth, guess] = [names[m.true], names[m.predicted]];
        const figure = el("figure", { className: "mistake" });
        const canvas = el("canvas", {
          className: "digit-canvas small",
          attrs: { role: "img", "aria-label": `a ${truth} read as ${guess}` },
        });
        drawSample(canvas, m.features, this.dataset);
        figure.append(canvas, el("figcaption", { text: `true ${truth} → ${guess} (${(100 * m.confidence).toFixed(0)} %)` }));
        return figure;
      }),
    );
  }
}
