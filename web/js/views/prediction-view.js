import { $, el } from "../dom.js";
import { drawSample } from "../sample-image.js";

/** The network's reading of the drawing: the class, its confidence, every class's probability and the input it saw. */
export class PredictionView {
  /**
   * @param {{classes: string[], n_features: number, image_shape: number[], feature_range: number[]}} dataset
   * @param {ParentNode} [root]
   */
  constructor(dataset, root = document) {
    this.digit = $('[data-testid="prediction"]', root);
    this.confidence = $('[data-testid="prediction-confidence"]', root);
    this.input = $('[data-testid="network-input"]', root);
    this.bars = $('[data-testid="probabilities"]', root);
    this.inputCaption = $('[data-testid="network-input-caption"]', root);
    this.setDataset(dataset);
  }

  /** The image data the pad reads: its classes' bars, and its input's shape. */
  setDataset(dataset) {
    this.dataset = dataset;
    const [rows, columns] = dataset.image_shape;
    const [low, high] = dataset.feature_range;
    this.input.setAttribute("aria-label", `The ${rows} by ${columns} input the network sees`);
    this.inputCaption.textContent = `What the network sees: ${rows}x${columns} ${dataset.pixels === "counts" ? "counts" : "grey levels"}, ${low}..${high}`;
    this.rows = dataset.classes.map((name) => {
      const label = el("span", { className: "bar-label", text: name });
      const meter = el("meter", { attrs: { min: "0", max: "1", value: "0", "aria-label": `probability of ${name}` } });
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
    drawSample(this.input, new Array(this.dataset.n_features).fill(this.dataset.feature_range[0]), this.dataset);
  }

  /** A drawing made while Python starts: it is kept, and read once Python is ready. */
  waiting() {
    this.confidence.textContent = "Python is still starting: your drawing will be read as soon as it is ready.";
  }

  /** @param {{label: number, confidence: number, probabilities: number[], input: number[]}} p */
  show(p) {
    this.digit.textContent = this.dataset.classes[p.label];
    this.digit.dataset.value = String(p.label);
    const total = p.probabilities.reduce((a, b) => a + b, 0);
    // Independent sigmoids (the 2017 post's output) give each class its own probability: no reason to sum to 1.
    const apart = Math.abs(total - 1) > 0.01 ? ` (the outputs are separate sigmoids, so they sum to ${(100 * total).toFixed(0)} %, not 100 %)` : "";
    this.confidence.textContent = `${(100 * p.confidence).toFixed(1)} % sure${apart}`;
    p.probabilities.forEach((v, d) => {
      const r = this.rows[d];
      r.meter.value = v;
      r.value.textContent = `${(100 * v).toFixed(1)} %`;
      r.row.classList.toggle("top", d === p.label);
    });
    drawSample(this.input, p.input, this.dataset);
  }
}
