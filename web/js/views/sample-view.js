import { $ } from "../dom.js";
import { drawSample } from "../sample-image.js";

/** The proof of the road: one held-out sample, its true class and the model's prediction. */
export class SampleView {
  /**
   * @param {{classes: string[], image_shape?: number[]}} dataset Its entry in data/datasets.json.
   * @param {ParentNode} [root]
   */
  constructor(dataset, root = document) {
    this.card = $('[data-testid="sample-card"]', root);
    this.canvas = $('[data-testid="sample-image"]', root);
    this.trueLabel = $('[data-testid="sample-true"]', root);
    this.predicted = $('[data-testid="sample-predicted"]', root);
    this.confidence = $('[data-testid="sample-confidence"]', root);
    this.note = $('[data-testid="model-note"]', root);
    this.nextButton = $(".next-sample", root);
    this.dataset = dataset; // and again on each setDataset
    this.setDataset(dataset);
  }

  /** Images only: for other data the card stays hidden. */
  setDataset(dataset) {
    this.dataset = dataset;
    this.card.hidden = true;
    this.note.hidden = dataset.name !== "digits"; // the note is the digits' pretrained model's
  }

  get wanted() {
    return this.dataset.kind === "image";
  }

  /**
   * @param {{index: number, features: number[], label: number}} sample
   * @param {{label: number, confidence: number}} prediction
   */
  show(sample, prediction) {
    const names = this.dataset.classes;
    const shape = (this.dataset.image_shape ?? [1, sample.features.length]).join(" by ");
    drawSample(this.canvas, sample.features, this.dataset);
    this.canvas.setAttribute("aria-label", `Held-out sample number ${sample.index}, a ${shape} image of a ${names[sample.label]}`);
    this.card.dataset.index = String(sample.index);
    this.trueLabel.textContent = names[sample.label];
    this.predicted.textContent = names[prediction.label];
    this.predicted.dataset.value = String(prediction.label);
    this.predicted.classList.toggle("wrong", prediction.label !== sample.label);
    this.confidence.textContent = `${(100 * prediction.confidence).toFixed(1)} %`;
    this.card.hidden = false;
  }

  /** @param {string} text */
  setNote(text) {
    this.note.textContent = text;
  }

  /** @param {() => void} handler */
  bindNext(handler) {
    this.nextButton.addEventListener("click", handler);
  }
}
