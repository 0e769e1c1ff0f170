import { $, el } from "../dom.js";
import { fixed, inUnits, short, ticks } from "../numbers.js";
import { drawSample, samplesNoun } from "../sample-image.js";

const pct = (v) => `${(100 * v).toFixed(2)} %`;

/**
 * How the model does on held-out data. Classification: the accuracy, the
 * confusion matrix, the per-class report and the mistakes, with the
 * dataset's class names. Regression: MAE, RMSE, R² and a predicted-vs-true scatter.
 */
export class EvaluationView {
  /**
   * @param {{classes: ?string[], noun?: string, task: string}} dataset Its entry in data/datasets.json.
   * @param {ParentNode} [root]
   */
  constructor(dataset, root = document) {
    this.root = root;
    this.metrics = $('[data-testid="regression-metrics"]', root);
    this.scatter = $('[data-testid="prediction-scatter"]', root);
    this.unitsNote = $(".units-note", root);
    this.mistakesHeading = $(".mistakes-heading", root);
    this.accuracy = $('[data-testid="test-accuracy"]', root);
    this.caption = $('[data-testid="test-accuracy-caption"]', root);
    this.weightsEpoch = $('[data-testid="weights-epoch"]', root);
    this.matrix = $('[data-testid="confusion-matrix"]', root);
    this.report = $('[data-testid="class-report"]', root);
    this.gallery = $('[data-testid="misclassified"]', root);
    // Both set again on each setDataset.
    this.dataset = dataset;
    this.noun = samplesNoun(dataset);
    this.setDataset(dataset);
  }

  /** Show results the way this dataset's task needs. */
  setDataset(dataset) {
    this.dataset = dataset;
    this.noun = samplesNoun(dataset);
    const regression = dataset.task === "regression";
    for (const node of this.root.querySelectorAll(".classification-results")) node.hidden = regression;
    $(".regression-results", this.root).hidden = !regression;
    this.mistakesHeading.textContent = `Held-out ${this.noun} it gets wrong`;
    this.accuracy.textContent = "–";
    this.accuracy.dataset.value = "";
    this.caption.textContent = regression ? "R² on held-out data" : "held-out accuracy";
    this.showWeightsEpoch(null);
  }

  /** Which epoch the weights are from, when a validation split chose one (Session.evaluate's weights_epoch). */
  showWeightsEpoch(text) {
    this.weightsEpoch.textContent = text ?? "";
    this.weightsEpoch.hidden = !text;
  }

  /** Live held-out accuracy from an epoch record, while training runs. */
  showLive(record) {
    if (record.test_accuracy == null) return;
    this.setAccuracy(record.test_accuracy, `after epoch ${record.epoch}, on held-out ${this.noun} (live)`);
  }

  setAccuracy(value, caption) {
    this.accuracy.dataset.value = String(value);
    this.accuracy.textContent = pct(value);
    this.caption.textContent = caption;
  }

  /** @param {object} ev result of Session.evaluate */
  show(ev, modelName) {
    this.showWeightsEpoch(ev.weights_epoch);
    if (ev.task === "regression") {
      this.showRegression(ev, modelName);
      return;
    }
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

  /** R² as the headline, MAE and RMSE beside it, and every held-out sample as a dot. */
  showRegression(ev, modelName) {
    this.accuracy.textContent = fixed(ev.r2, 3);
    this.accuracy.dataset.value = "";
    this.caption.textContent = `R² (1 is perfect, 0 is guessing the mean): ${modelName}, on ${ev.n_test} held-out ${this.noun}`;
    // MAE and RMSE are in the target's units: written as its values are.
    const rows = [["R²", fixed(ev.r2, 4)], ["MAE", inUnits(ev.mae)], ["RMSE", inUnits(ev.rmse)]];
    this.metrics.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
    this.unitsNote.textContent = `MAE (mean absolute error) and RMSE (root mean squared error) are in the units of ${ev.target_name}.`;
    Object.assign(this.metrics.dataset, { r2: String(ev.r2), mae: String(ev.mae), rmse: String(ev.rmse) });
    this.drawScatter(ev.points, ev.target_name);
  }

  /** Predicted against true values, on the same axes, with round values marked on both. */
  drawScatter(points, name) {
    const ctx = this.scatter.getContext("2d");
    const { width, height } = this.scatter;
    const all = points.flat();
    const [low, high] = [Math.min(...all), Math.max(...all)];
    const span = high - low || 1;
    const [left, bottom, top, right] = [52, 40, 10, 12]; // room for the values and the axis names
    const x = (v) => left + ((v - low) / span) * (width - left - right);
    const y = (v) => height - bottom - ((v - low) / span) * (height - bottom - top);
    ctx.clearRect(0, 0, width, height);
    ctx.font = "11px sans-serif";
    ctx.strokeStyle = "#e4e4e0";
    ctx.fillStyle = "#555";
    for (const v of ticks(low, high)) {
      ctx.beginPath();
      ctx.moveTo(x(v), top);
      ctx.lineTo(x(v), height - bottom);
      ctx.moveTo(left, y(v));
      ctx.lineTo(width - right, y(v));
      ctx.stroke();
      ctx.textAlign = "center";
      ctx.fillText(inUnits(v), x(v), height - bottom + 14);
      ctx.textAlign = "right";
      ctx.fillText(inUnits(v), left - 4, y(v) + 4);
    }
    ctx.strokeStyle = "#888";
    ctx.beginPath();
    ctx.moveTo(x(low), y(low));
    ctx.lineTo(x(high), y(high));
    ctx.stroke();
    ctx.fillStyle = "rgba(26, 95, 180, 0.6)";
    for (const [truth, prediction] of points) {
      ctx.beginPath();
      ctx.arc(x(truth), y(prediction), 3, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.fillStyle = "#333";
    ctx.font = "12px sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(`true ${name} →`, left + (width - left - right) / 2, height - 6);
    ctx.save();
    ctx.translate(12, top + (height - bottom - top) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(`predicted ${name} →`, 0, 0);
    ctx.restore();
    ctx.textAlign = "start";
    this.scatter.dataset.points = String(points.length);
    this.scatter.dataset.ticks = ticks(low, high).join(" ");
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
        figure.append(this.sampleFigure(m.features, `a ${truth} read as ${guess}`));
        figure.append(el("figcaption", { text: `true ${truth} → ${guess} (${(100 * m.confidence).toFixed(0)} %)` }));
        return figure;
      }),
    );
  }

  /** An image for image data; the feature values, named, for other data. */
  sampleFigure(features, label) {
    if (this.dataset.kind === "image") {
      const canvas = el("canvas", { className: "digit-canvas small", attrs: { role: "img", "aria-label": label } });
      drawSample(canvas, features, this.dataset);
      return canvas;
    }
    const list = el("ul", { className: "mistake-features", attrs: { "aria-label": label } });
    const shown = features.slice(0, 6).map((v, i) => el("li", { text: `${this.dataset.feature_names[i]} ${short(v)}` }));
    if (features.length > shown.length) shown.push(el("li", { text: `… and ${features.length - shown.length} more` }));
    list.append(...shown);
    return list;
  }

  /** Mark what is shown as the model's, made with other settings than the form's (style.css dims it). */
  markStale(stale) {
    $(".results-card", this.root).toggleAttribute("data-stale", stale);
  }
}
