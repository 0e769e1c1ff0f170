import { $, el } from "../dom.js";

/**
 * The first layer's weights, one 8x8 image per hidden unit: what each unit
 * looks for in the input. Blue is negative, red positive, scaled per unit.
 */
export class WeightsView {
  constructor(root = document) {
    this.grid = $('[data-testid="weights-grid"]', root);
    this.caption = $('[data-testid="weights-caption"]', root);
    this.canvases = [];
  }

  /** @param {number[][]} units one list of 64 incoming weights per unit */
  show(units) {
    if (this.canvases.length !== units.length) {
      this.canvases = units.map((_, i) =>
        el("canvas", { className: "weight-canvas", attrs: { width: "8", height: "8", role: "img", "aria-label": `weights of hidden unit ${i + 1}` } }),
      );
      this.grid.replaceChildren(...this.canvases);
    }
    units.forEach((w, i) => {
      const ctx = this.canvases[i].getContext("2d");
      const image = ctx.createImageData(8, 8);
      const scale = Math.max(1e-12, ...w.map(Math.abs));
      w.forEach((v, p) => {
        const t = Math.min(1, Math.abs(v) / scale);
        const fade = Math.round(255 * (1 - t));
        const rgb = v >= 0 ? [255, fade, fade] : [fade, fade, 255];
        image.data.set([...rgb, 255], p * 4);
      });
      ctx.putImageData(image, 0, 0);
    });
    this.caption.textContent = `${units.length} hidden units in the first layer; each image is one unit's 64 input weights.`;
  }
}
