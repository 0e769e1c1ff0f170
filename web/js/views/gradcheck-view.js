import { $, el } from "../dom.js";
import { exponent } from "../numbers.js";

/** The gradient check: backprop against finite differences, per layer. */
export class GradCheckView {
  constructor(root = document) {
    this.button = $('[data-action="gradcheck"]', root);
    this.output = $('[data-testid="gradcheck-result"]', root);
  }

  /** No result shown: the code it judged is gone. */
  clear() {
    this.output.replaceChildren();
    delete this.output.dataset.worst;
    delete this.output.dataset.maxError;
  }

  /**
   * @param {{layer: number, weights: number, biases: number}[]} rows
   * @param {string} loss
   * @param {string} [subject] What is being checked, for the verdict.
   */
  show(rows, loss, subject = "this loss's gradient") {
    const worst = Math.max(...rows.flatMap((r) => [r.weights, r.biases]));
    const table = el("table", { className: "gradcheck" });
    table.append(el("caption", { text: `Relative error of backprop vs finite differences: ${subject}, checked with the ${loss} loss` }));
    const head = el("tr");
    for (const h of ["layer", "weights", "biases"]) head.append(el("th", { text: h, attrs: { scope: "col" } }));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    for (const r of rows) {
      const tr = el("tr");
      tr.append(el("th", { text: String(r.layer), attrs: { scope: "row" } }));
      tr.append(el("td", { text: exponent(r.weights, 2) }), el("td", { text: exponent(r.biases, 2) }));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    const verdict = el("p", {
      className: worst < 1e-6 ? "verdict good" : "verdict bad",
      text: worst < 1e-6
        ? `Backprop is correct: worst relative error ${exponent(worst, 1)}.`
        : `Backprop disagrees with finite differences (worst ${(100 * worst).toFixed(1)} %): ${subject} is wrong.`,
    });
    this.output.dataset.worst = String(worst);
    this.output.dataset.maxError = String(worst);
    this.output.replaceChildren(table, verdict);
  }

  showError(message) {
    this.output.replaceChildren(el("p", { className: "verdict bad", text: message }));
  }

  setEnabled(enabled) {
    this.button.disabled = !enabled;
  }

  setBusy(busy) {
    this.button.disabled = busy;
    this.button.textContent = busy ? "Checking…" : "Check the gradients";
  }

  bind(handler) {
    this.button.addEventListener("click", handler);
  }
}
