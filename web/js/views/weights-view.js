import { signed } from "../colours.js";
import { $, el } from "../dom.js";

/** Height of one input's row in the weights of non-image data, in CSS pixels (style.css sizes the names to it). */
const ROW = 16;
/** Widest a unit's column is drawn: a few units do not stretch across the card. */
const MAX_COLUMN = 28;

/** Write one unit's weights into RGBA bytes at `offset`, `stride` bytes apart, scaled to its largest magnitude. */
function paint(pixels, weights, offset, stride) {
  let scale = 1e-12;
  for (const v of weights) scale = Math.max(scale, Math.abs(v));
  for (let p = 0; p < weights.length; p++) {
    const [r, g, b] = signed(weights[p], scale);
    const at = offset + p * stride;
    pixels[at] = r;
    pixels[at + 1] = g;
    pixels[at + 2] = b;
    pixels[at + 3] = 255;
  }
}

/**
 * The first layer's weights: what each hidden unit looks for in the input.
 * For images, one image per unit laid out as the input is (8x8, 28x28); for
 * other data, one column per unit beside the inputs' names. Blue is positive,
 * orange negative, white zero, as in the diagram; each unit is scaled to its
 * largest weight (the legend says so).
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
    this.drawnShape = ""; // the units and inputs the columns' elements were made for
    this.grid.replaceChildren();
    this.grid.classList.toggle("weights-images", this.imageShape !== null);
  }

  /** @param {{units: number[][], inputs: string[]}} weights one list of incoming weights per unit, and the inputs' names */
  show({ units, inputs }) {
    if (this.imageShape) this.showImages(units);
    else this.showColumns(units, inputs);
  }

  showImages(units) {
    const [rows, cols] = this.imageShape;
    if (this.canvases.length !== units.length) {
      this.canvases = units.map((_, i) =>
        el("canvas", { className: "weight-canvas", attrs: { width: String(cols), height: String(rows), role: "img", "aria-label": `weights of hidden unit ${i + 1}` } }),
      );
      this.grid.replaceChildren(...this.canvases);
    }
    units.forEach((w, i) => {
      const ctx = this.canvases[i].getContext("2d");
      const image = ctx.createImageData(cols, rows);
      paint(image.data, w, 0, 4); // written in place: no array per pixel
      ctx.putImageData(image, 0, 0);
    });
    this.caption.textContent = `${units.length} hidden units in the first layer; each image is one unit's ${rows * cols} input weights.`;
  }

  /** Units across, inputs down: one canvas pixel per weight, the inputs' names in a column beside it. */
  showColumns(units, inputs) {
    const shape = `${units.length}x${inputs.join("\u0000")}`;
    if (shape !== this.drawnShape) {
      this.drawnShape = shape;
      const names = el("ol", { className: "weights-inputs", attrs: { "aria-label": "Inputs, top to bottom" } });
      names.append(...inputs.map((name) => el("li", { text: name, attrs: { title: name } })));
      const canvas = el("canvas", {
        className: "weights-map",
        attrs: { width: String(units.length), height: String(inputs.length), role: "img",
          "aria-label": `First-layer weights: ${units.length} hidden units across, ${inputs.length} inputs down (${inputs.join(", ")})` },
      });
      canvas.style.height = `${inputs.length * ROW}px`; // the CSSOM: the CSP refuses style attributes
      canvas.style.maxWidth = `${units.length * MAX_COLUMN}px`;
      this.canvases = [canvas];
      this.grid.replaceChildren(names, canvas);
    }
    const [canvas] = this.canvases;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(units.length, inputs.length);
    units.forEach((w, i) => paint(image.data, w, 4 * i, 4 * units.length)); // unit i is column i
    ctx.putImageData(image, 0, 0);
    this.caption.textContent = `${units.length} hidden units in the first layer, one column each: `
      + `its weights from the ${inputs.length} inputs named on the left.`;
  }
}
