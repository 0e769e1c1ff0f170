import { $ } from "../dom.js";
import { drawDigit } from "../digit-image.js";

/** The proof of the road: one held-out digit, its true label and the model's prediction. */
export class SampleView {
  constructor(root = document) {
    this.card = $('[data-testid="sample-card"]', root);
    this.canvas = $('[data-testid="sample-image"]', root);
    this.trueLabel = $('[data-testid="sample-true"]', root);
    this.predicted = $('[data-testid="sample-predicted"]', root);
    this.confidence = $('[data-testid="sample-confidence"]', root);
    this.note = $('[data-testid="model-note"]', root);
    this.nextButton = $(".next-sample", root);
  }

  /**
   * @param {{index: number, image: number[], label: number}} sample
   * @param {{label: number, confidence: number}} prediction
   */
  show(sample, prediction) {
    drawDigit(this.canvas, sample.image);
    this.canvas.setAttribute("aria-label", `Held-out digit number ${sample.index}, an 8 by 8 image of a ${sample.label}`);
    this.card.dataset.index = String(sample.index);
    this.trueLabel.textContent = String(sample.label);
    this.predicted.textContent = String(prediction.label);
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
