import { $, el } from "../dom.js";
import { drawDigit } from "../digit-image.js";

/** The network's reading of the drawing: the digit, its confidence, all ten probabilities and the 8x8 input. */
export class PredictionView {
  constructor(root = document) {
    this.digit = $('[data-testid="prediction"]', root);
    this.confidence = $('[data-testid="prediction-confidence"]', root);
    this.input = $('[data-testid="network-input"]', root);
    this.bars = $('[data-testid="probabilities"]', root);
    this.rows = Array.from({ length: 10 }, (_, d) => {
      const label = el("span", { className: "bar-label", text: String(d) });
      const meter = el("meter", { attrs: { min: "0", max: "1", value: "0", "aria-label": `probability of ${d}` } });
      const value = el("span", { className: "bar-value", text: "–" });
      const row = el("li", { className: "bar-row" });
      row.append(label, meter, value);
      return { row, meter, value };
    });
    this.bars.replaceChildren(...this.rows.map((r) => r.row));
    this.clear();
  }

  /** An empty pad: no prediction, not a guess. */
  clear() {
    this.digit.textContent = "–";
    this.digit.removeAttribute("data-value");
    this.confidence.textContent = "Draw a digit in the box.";
    for (const r of this.rows) {
      r.meter.value = 0;
      r.value.textContent = "–";
      r.row.classList.remove("top");
    }
    drawDigit(this.input, new Array(64).fill(0));
  }

  /** @param {{label: number, confidence: number, probabilities: number[], input: number[]}} p */
  show(p) {
    this.digit.textContent = String(p.label);
    this.digit.dataset.value = String(p.label);
    this.confidence.textContent = `${(100 * p.confidence).toFixed(1)} % sure`;
    p.probabilities.forEach((v, d) => {
      const r = this.rows[d];
      r.meter.value = v;
      r.value.textContent = `${(100 * v).toFixed(1)} %`;
      r.row.classList.toggle("top", d === p.label);
    });
    drawDigit(this.input, p.input);
  }
}
