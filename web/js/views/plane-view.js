import { $, el } from "../dom.js";

/** Playground's colours: orange for the first class (or low values), blue for the second (or high). */
const ORANGE = [245, 147, 34];
const BLUE = [8, 119, 189];
const WHITE = [255, 255, 255];

function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** A value's colour: 0 (or -1 for regression) is orange, 1 is blue, the middle white; `pale` lightens it for the background. */
function colour(value, task, pale) {
  const t = Math.min(1, Math.max(0, task === "regression" ? (value + 1) / 2 : value));
  const rgb = t < 0.5 ? mix(ORANGE, WHITE, t * 2) : mix(WHITE, BLUE, (t - 0.5) * 2);
  return pale ? mix(rgb, WHITE, 0.35) : rgb;
}

/**
 * The two-dimensional data and the network's output over the whole plane:
 * a heatmap redrawn after every training chunk, with the training points
 * filled and the held-out points outlined. The canvas's data-epoch says
 * which epoch the heatmap shows.
 */
export class PlaneView {
  constructor(root = document) {
    this.figure = $('[data-testid="plane-figure"]', root);
    this.canvas = $('[data-testid="decision-boundary"]', root);
    this.caption = $(".plane-caption", this.figure);
    this.units = $('[data-testid="hidden-units"]', this.figure);
    this.units.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (button) button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
    });
    this.points = null;
    this.task = "classification";
  }

  /** @param {{kind: string, task: string}} entry */
  setDataset(entry) {
    this.figure.hidden = entry.kind !== "plane";
    this.task = entry.task;
    this.points = null;
    this.units.replaceChildren();
    this.caption.textContent = entry.task === "regression"
      ? "Background: the network's prediction over the plane, orange low to blue high. Dots: the data (held-out ones outlined)."
      : "Background: the network's probability of blue over the plane. Dots: the data (held-out ones outlined).";
  }

  get visible() {
    return !this.figure.hidden;
  }

  /** @param {{train: number[][], test: number[][]}} points Session.points() */
  showPoints(points) {
    this.points = points;
  }

  /**
   * @param {{resolution: number, extent: number, values: number[], epoch: ?number,
   *          unit_resolution: number, units: {layer: number, unit: number, values: number[]}[]}} boundary Session.boundary()
   */
  show({ resolution, extent, values, epoch, unit_resolution: unitResolution, units }) {
    this.showUnits(units, unitResolution);
    const ctx = this.canvas.getContext("2d");
    const { width, height } = this.canvas;
    const cell = width / resolution;
    values.forEach((v, i) => {
      ctx.fillStyle = `rgb(${colour(v, this.task, true).join(",")})`;
      ctx.fillRect((i % resolution) * cell, Math.floor(i / resolution) * cell, Math.ceil(cell), Math.ceil(cell));
    });
    const at = (x1, x2) => [((x1 + extent) / (2 * extent)) * width, ((extent - x2) / (2 * extent)) * height];
    for (const [part, filled] of [["train", true], ["test", false]]) {
      for (const [x1, x2, y] of this.points?.[part] ?? []) {
        const [px, py] = at(x1, x2);
        ctx.beginPath();
        ctx.arc(px, py, 3, 0, 2 * Math.PI);
        const rgb = `rgb(${colour(y, this.task, false).join(",")})`;
        ctx.lineWidth = filled ? 1 : 2;
        ctx.strokeStyle = filled ? "#fff" : rgb;
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
    units.forEach(({ values }, i) => {
      const canvas = this.units.children[i].firstChild;
      const ctx = canvas.getContext("2d");
      const image = ctx.createImageData(resolution, resolution);
      const scale = Math.max(1e-12, ...values.map(Math.abs));
      values.forEach((v, p) => image.data.set([...colour(v / scale, "regression", false), 255], p * 4));
      ctx.putImageData(image, 0, 0);
    });
    this.units.dataset.count = String(units.length);
  }
}
