import { $, el } from "../dom.js";

/**
 * The first layer's weights, one image per hidden unit laid out as the input
 * is (8x8 for the digits, one row for other data): what each unit looks for
 * in the input. Blue is negative, red positive, scaled per unit.
 */
export class WeightsView {
  /**
   * @param {{n_features: number, image_shape?: number[]}} dataset Its entry in data/datasets.json.
   * @param {ParentNode} [root]
   */
  constructor(dataset, root = document) {
    this.grid = $('[data-testid="weights-grid"]', root);
    this.caption = $('[data-testid="weights-caption"]', root);
    this.canvases = [];
    this.imageShape = null; // set by setDataset: the dataset's image shape, if it is images
    this.setDataset(dataset);
  }

  setDataset(dataset) {
    this.imageShape = dataset.image_shape ?? null;
    this.canvases = [];
    this.grid.replaceChildren();
  }

  /** @param {number[][]} units one list of incoming weights per unit, one weight per input (feature) */
  show(units) {
    const [rows, cols] = this.imageShape ?? [1, units[0]?.length ?? 0]; // other data: a row, as wide as the network's inputs
    if (this.canvases.length !== units.length || this.canvases[0]?.width !== cols) {
      this.canvases = units.map((_, i) =>
        el("canvas", { className: "weight-canvas", attrs: { width: String(cols), height: String(rows), role: "img", "aria-label": `weights of hidden unit ${i + 1}` } }),
      );
      this.grid.replaceChildren(...this.canvases);
    }
    units.forEach((w, i) => {
      const ctx = this.canvases[i].getContext("2d");
      const image = ctx.createImageData(cols, rows);
      const pixels = image.data; // RGBA bytes, written in place: no array per pixel
      let scale = 1e-12;
      for (const v of w) scale = Math.max(scale, Math.abs(v));
      for (let p = 0; p < w.length; p++) {
        const fade = Math.round(255 * (1 - Math.min(1, Math.abs(w[p]) / scale)));
        const positive = w[p] >= 0;
        pixels[4 * p] = positive ? 255 : fade; // red for positive, blue for negative
        pixels[4 * p + 1] = fade;
        pixels[4 * p + 2] = positive ? fade : 255;
        pixels[4 * p + 3] = 255;
      }
      ctx.putImageData(image, 0, 0);
    });
    this.caption.textContent = `${units.length} hidden units in the first layer; each image is one unit's ${rows * cols} input weights.`;
  }
}
