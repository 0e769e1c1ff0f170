import { $, el } from "../dom.js";
import { drawSample } from "../sample-image.js";

/**
 * "Augmented examples": a few training images, each beside the warped copies
 * that training adds of it (mlp.session.Session.augmented_examples). Shown
 * for image data, computed when the learner opens it, for the form's config.
 */
export class AugmentView {
  /** @param {{kind: string, image_shape?: number[], feature_range: number[]}} dataset @param {ParentNode} [root] */
  constructor(dataset, root = document) {
    this.box = $('[data-testid="augmented-examples"]', root);
    this.grid = $(".augment-grid", this.box);
    this.message = $(".augment-message", this.box);
    this.dataset = dataset; // and again on each setDataset
    this.setDataset(dataset);
  }

  setDataset(dataset) {
    this.dataset = dataset;
    this.box.hidden = dataset.kind !== "image";
    this.grid.replaceChildren();
    this.message.textContent = "";
  }

  get open() {
    return this.box.open && !this.box.hidden;
  }

  /** @param {() => void} onOpen called when the learner opens the box */
  bind(onOpen) {
    this.box.addEventListener("toggle", () => {
      if (this.box.open) onOpen();
    });
  }

  /** @param {{originals: number[][], warped: number[][][], copies: number}} examples */
  show({ originals, warped, copies }) {
    this.message.textContent = copies
      ? `Each row: a training image, then the ${copies} warped ${copies === 1 ? "copy" : "copies"} training adds of it.`
      : "No warped copies: set “Warped copies” above 0 to add some.";
    this.grid.dataset.copies = String(copies);
    this.grid.replaceChildren(
      ...originals.map((original, i) => {
        const row = el("div", { className: "augment-row", attrs: { role: "group", "aria-label": `training image ${i + 1} and its copies` } });
        row.append(this.figure(original, "original", `training image ${i + 1}`));
        warped[i].forEach((copy, k) => row.append(this.figure(copy, `copy ${k + 1}`, `warped copy ${k + 1} of training image ${i + 1}`)));
        return row;
      }),
    );
  }

  figure(values, caption, label) {
    const figure = el("figure");
    const canvas = el("canvas", { className: "digit-canvas small", attrs: { role: "img", "aria-label": label } });
    drawSample(canvas, values, this.dataset);
    canvas.dataset.values = JSON.stringify(values);
    figure.append(canvas, el("figcaption", { text: caption }));
    return figure;
  }

  say(text) {
    this.grid.replaceChildren();
    this.message.textContent = text;
  }
}
