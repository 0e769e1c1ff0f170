import { signed } from "../colours.js";
import { $, el } from "../dom.js";

/** Height of one input's row in the weights of non-image data, in CSS pixels (style.css sizes the names to it). */
const ROW = 16;
/** Widest a unit's column is drawn: a few units do not stretch across the card. */
const MAX_COLUMN = 28;
/** Narrowest and widest a unit's image is drawn, in CSS pixels: as many across as fit at the narrowest. */
const MIN_TILE = 34;
const MAX_TILE = 64;
/** The gap between two units' images, in CSS pixels at MIN_TILE (in the canvas, as many image pixels as come nearest). */
const GAP = 3;

/** Write one unit's weights into RGBA bytes, weight p at byte `offsetOf(p)`, scaled to the unit's largest magnitude. */
function paint(pixels, weights, offsetOf) {
  let scale = 1e-12;
  for (const v of weights) scale = Math.max(scale, Math.abs(v));
  for (let p = 0; p < weights.length; p++) {
    const [r, g, b] = signed(weights[p], scale);
    const at = offsetOf(p);
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
    this.canvas = null; // the one canvas the weights are drawn in
    this.imageShape = null; // set by setDataset: the dataset's image shape, if it is images
    this.units = null; // the images' weights last shown, drawn again when the card's width changes how many fit across
    this.setDataset(dataset);
    new ResizeObserver(() => {
      if (this.imageShape && this.units && this.across(this.units.length) !== this.drawnAcross) this.showImages(this.units);
    }).observe(this.grid);
  }

  setDataset(dataset) {
    this.imageShape = dataset.image_shape ?? null;
    this.canvas = null;
    this.units = null;
    this.drawnShape = ""; // the units and inputs the columns' elements were made for
    this.drawnAcross = 0; // how many units' images a row of the one canvas holds
    this.grid.replaceChildren();
    this.grid.classList.toggle("weights-images", this.imageShape !== null);
  }

  /** @param {{units: number[][], inputs: string[]}} weights one list of incoming weights per unit, and the inputs' names */
  show({ units, inputs }) {
    if (this.imageShape) this.showImages(units);
    else this.showColumns(units, inputs);
  }

  /** How many units' images fit across the card at MIN_TILE each (16 while it has no width: hidden). */
  across(count) {
    const width = this.grid.clientWidth;
    return Math.max(1, Math.min(count, width ? Math.floor((width + GAP) / (MIN_TILE + GAP)) : 16));
  }

  /**
   * One image per unit, all in one canvas, left to right and top to bottom, GAP
   * CSS pixels apart. One canvas, not one per unit: the browser composites each
   * canvas on its own, and 256 of them took it some 150 ms whenever a model was shown.
   */
  showImages(units) {
    const [rows, cols] = this.imageShape;
    const across = this.across(units.length);
    const down = Math.ceil(units.length / across);
    const gap = Math.max(1, Math.round((cols * GAP) / MIN_TILE)); // 1 image pixel for 8x8 digits, 2 for MNIST's 28x28
    const [width, height] = [across * (cols + gap) - gap, down * (rows + gap) - gap];
    let { canvas } = this;
    if (!canvas || canvas.width !== width || canvas.height !== height) {
      canvas = el("canvas", { className: "weights-tiles", attrs: { width: String(width), height: String(height), role: "img" } });
      canvas.style.maxWidth = `${across * MAX_TILE}px`; // the CSSOM: the CSP refuses style attributes
      this.canvas = canvas;
      this.grid.replaceChildren(canvas);
    }
    canvas.setAttribute("aria-label", `First-layer weights: ${units.length} hidden units, one ${rows}x${cols} image each, `
      + `${across} across, in order`);
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(width, height); // transparent between the images
    units.forEach((w, i) => {
      const [x, y] = [(i % across) * (cols + gap), Math.floor(i / across) * (rows + gap)];
      paint(image.data, w, (p) => 4 * ((y + Math.floor(p / cols)) * width + x + (p % cols)));
    });
    ctx.putImageData(image, 0, 0);
    this.units = units;
    this.drawnAcross = across;
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
      this.canvas = canvas;
      this.grid.replaceChildren(names, canvas);
    }
    const { canvas } = this;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(units.length, inputs.length);
    units.forEach((w, i) => paint(image.data, w, (p) => 4 * (p * units.length + i))); // unit i is column i
    ctx.putImageData(image, 0, 0);
    this.caption.textContent = `${units.length} hidden units in the first layer, one column each: `
      + `its weights from the ${inputs.length} inputs named on the left.`;
  }
}
