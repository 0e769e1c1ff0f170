import { BLUE, ORANGE, WHITE, hex, mix } from "../colours.js";
import { $, el, swatch } from "../dom.js";
import { own } from "../state.js";

/** A value's colour: 0 (or -1 for regression) is orange, 1 is blue, the middle white; `pale` lightens it for the background. */
function colour(value, task, pale) {
  const t = Math.min(1, Math.max(0, task === "regression" ? (value + 1) / 2 : value));
  const rgb = t < 0.5 ? mix(ORANGE, WHITE, t * 2) : mix(WHITE, BLUE, (t - 0.5) * 2);
  return pale ? mix(rgb, WHITE, 0.35) : rgb;
}

/**
 * With more than two classes, a cell's colour: its most probable class's, from white where the network
 * cannot tell the k classes apart (probability 1/k) to the class's own at probability 1, paled as above.
 */
function classColour(rgb, probability, k) {
  const t = Math.min(1, Math.max(0, (probability - 1 / k) / (1 - 1 / k)));
  return mix(mix(WHITE, rgb, t), WHITE, 0.35);
}

/** A unit's value -1..1 (its output over its largest magnitude) from one class's colour (low) through white to another's (high). */
function between([low, high], t) {
  return t < 0 ? mix(WHITE, low, Math.min(1, -t)) : mix(WHITE, high, Math.min(1, t));
}

/**
 * The two-dimensional data and the network's output over the whole plane:
 * a heatmap redrawn after every training chunk, with the training points
 * filled and the held-out points outlined. The canvas's data-epoch says
 * which epoch the heatmap shows. Two classes are orange and blue, as in
 * TensorFlow Playground; with more, each class has its own colour (its
 * name, mlp.planes.COLOURS), named in a legend, and each hidden unit's map
 * runs from the colour of the class it pushes toward when low to that of
 * the class it pushes toward when high.
 */
export class PlaneView {
  /**
   * @param {Object<string, number[]>} colours Each class's RGB by its name (config-schema.json's plane_colours).
   * @param {ParentNode} [root]
   */
  constructor(colours, root = document) {
    this.colours = colours;
    this.figure = $('[data-testid="plane-figure"]', root);
    this.canvas = $('[data-testid="decision-boundary"]', root);
    this.legend = $('[data-testid="plane-legend"]', this.figure);
    this.caption = $(".plane-caption", this.figure);
    this.unitsCaption = $(".units-caption", this.figure);
    this.units = $('[data-testid="hidden-units"]', this.figure);
    this.units.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (button) button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
    });
    this.points = null;
    this.task = "classification";
    /** Each class's RGB, in label order, when there are more than two; else null (orange and blue). */
    this.palette = null;
  }

  /** @param {{kind: string, task: string, classes: ?string[]}} entry */
  setDataset(entry) {
    this.figure.hidden = entry.kind !== "plane";
    this.task = entry.task;
    this.points = null;
    this.units.replaceChildren();
    const many = entry.kind === "plane" && entry.task === "classification" && entry.classes.length > 2;
    this.palette = many ? entry.classes.map((name) => own(this.colours, name) ?? [128, 128, 128]) : null;
    this.legend.hidden = !many;
    this.legend.replaceChildren(...(many ? entry.classes.map((name, i) => {
      const item = el("li");
      item.append(swatch(hex(this.palette[i])), name);
      return item;
    }) : []));
    this.legend.setAttribute("aria-label", `The ${entry.classes?.length ?? 0} classes and their colours`);
    if (entry.task === "regression") {
      this.caption.textContent = "Background: the network's prediction over the plane, orange low to blue high. Dots: the data (held-out ones outlined).";
    } else if (many) {
      this.caption.textContent = "Background: the class the network finds most probable at each point, in its colour, paler where it is less sure (white: it cannot tell). Dots: the data (held-out ones outlined).";
    } else {
      this.caption.textContent = "Background: the network's probability of blue over the plane. Dots: the data (held-out ones outlined).";
    }
    this.unitsCaption.textContent = many
      ? "Each square is one hidden unit's output over the same plane, scaled per unit: high in the colour of the class it pushes toward most, low in that of the class it pushes toward when low (read through the weights above it). Choose one to enlarge it."
      : "Each square is one hidden unit's output over the same plane (orange low, blue high, scaled per unit). Choose one to enlarge it.";
  }

  get visible() {
    return !this.figure.hidden;
  }

  /** @param {{train: number[][], test: number[][]}} points Session.points() */
  showPoints(points) {
    this.points = points;
  }

  /**
   * @param {{resolution: number, extent: number, values: number[], classes?: number[], epoch: ?number,
   *          unit_resolution: number, units: {layer: number, unit: number, values: number[], toward?: number[]}[]}} boundary
   *   Session.boundary(): with more than two classes, `classes` is each cell's most probable class, `values` its probability.
   */
  show({ resolution, extent, values, classes, epoch, unit_resolution: unitResolution, units }) {
    this.showUnits(units, unitResolution);
    const ctx = this.canvas.getContext("2d");
    const { width, height } = this.canvas;
    const cell = width / resolution;
    // A colour per class when the boundary has the classes the view has colours for (not one of another set's).
    const palette = classes && this.palette && classes.every((c) => c < this.palette.length) ? this.palette : null;
    values.forEach((v, i) => {
      const rgb = palette ? classColour(palette[classes[i]], v, palette.length) : colour(v, this.task, true);
      ctx.fillStyle = `rgb(${rgb.join(",")})`;
      ctx.fillRect((i % resolution) * cell, Math.floor(i / resolution) * cell, Math.ceil(cell), Math.ceil(cell));
    });
    const at = (x1, x2) => [((x1 + extent) / (2 * extent)) * width, ((extent - x2) / (2 * extent)) * height];
    for (const [part, filled] of [["train", true], ["test", false]]) {
      for (const [x1, x2, y] of this.points?.[part] ?? []) {
        const [px, py] = at(x1, x2);
        ctx.beginPath();
        ctx.arc(px, py, 3, 0, 2 * Math.PI);
        const rgb = `rgb(${(this.palette ? this.palette[y] : colour(y, this.task, false)).join(",")})`;
        ctx.lineWidth = filled ? 1 : 2;
        ctx.strokeStyle = filled ? (this.palette ? "#333" : "#fff") : rgb; // a dark rim keeps yellow on its pale ground
        ctx.fillStyle = filled ? rgb : "#fff";
        ctx.fill();
        ctx.stroke();
      }
    }
    this.canvas.dataset.epoch = epoch == null ? "" : String(epoch);
    this.canvas.dataset.resolution = String(resolution);
  }

  /** One small heatmap per hidden unit, each scaled to its own largest magnitude (kept when redrawn). */
  showUnits(units, resolution) {
    if (this.units.children.length !== units.length) {
      this.units.replaceChildren(...units.map(({ layer, unit }) => {
        const button = el("button", { className: "unit-button", attrs: { type: "button", "aria-pressed": "false",
          "aria-label": `hidden layer ${layer}, unit ${unit + 1}: enlarge or shrink` } });
        button.append(el("canvas", { attrs: { width: String(resolution), height: String(resolution) } }));
        return button;
      }));
    }
    units.forEach(({ values, toward }, i) => {
      const canvas = this.units.children[i].firstChild;
      const ctx = canvas.getContext("2d");
      const image = ctx.createImageData(resolution, resolution);
      const scale = Math.max(1e-12, ...values.map(Math.abs));
      const ends = toward && this.palette ? toward.map((c) => this.palette[c]) : null;
      values.forEach((v, p) => image.data.set([...(ends ? between(ends, v / scale) : colour(v / scale, "regression", false)), 255], p * 4));
      ctx.putImageData(image, 0, 0);
    });
    this.units.dataset.count = String(units.length);
  }
}
