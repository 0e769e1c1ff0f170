import { BLUE, ORANGE, hex } from "../colours.js";
import { $ } from "../dom.js";
import { short } from "../numbers.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 380;
const SIDE = 52; // room for the input and output units' names, at least
const MAX_SIDE = 130; // and at most: a longer name is shortened with an ellipsis (the unit's title holds it whole)
const LABEL_GAP = 4; // between a name and its unit
const HEIGHT = 230;
const TOP = 16;
const BOTTOM = 34; // room for a layer's width, and "n shown" under a summarised one
/** Playground's colours: blue for a positive weight, orange for a negative one. */
const POSITIVE = hex(BLUE);
const NEGATIVE = hex(ORANGE);

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** The width of a unit's name as the diagram draws it (style.css: .node-label, 11 px), in the viewBox's units. */
let measure = null;
function textWidth(text, fontFamily) {
  measure ??= document.createElement("canvas").getContext("2d");
  measure.font = `11px ${fontFamily}`;
  return measure.measureText(text).width;
}

/** `name`, shortened with an ellipsis to fit `room`. */
function fit(name, room, fontFamily) {
  if (textWidth(name, fontFamily) <= room) return name;
  let keep = name.length;
  while (keep > 1 && textWidth(`${name.slice(0, keep)}…`, fontFamily) > room) keep -= 1;
  return `${name.slice(0, keep)}…`;
}

const layerName = (i, n) => (i === 0 ? "input" : i === n - 1 ? "output" : `hidden layer ${i}`);

/**
 * The network as a diagram: a column of units per layer, and an edge per
 * weight, blue if positive and orange if negative, thicker the larger it is
 * (scaled per pair of layers). A layer wider than the diagram shows only its
 * units with the largest weights, and says how many it leaves out, rather than
 * drawing a hairball. Hovering or focusing an edge shows its value.
 */
export class NetworkView {
  constructor(root = document) {
    this.figure = $('[data-testid="network-diagram"]', root);
    this.readout = $(".diagram-readout", this.figure);
    this.svg = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "group", "aria-label": "Network diagram" });
    this.figure.prepend(this.svg);
    this.shape = "";
    this.edges = [];
    this.svg.addEventListener("pointerover", (event) => this.explain(event.target));
    this.svg.addEventListener("focusin", (event) => this.explain(event.target));
  }

  setDataset() {
    this.clear();
  }

  clear() {
    this.shape = "";
    this.edges = [];
    this.svg.replaceChildren();
    this.readout.textContent = "";
    this.figure.dataset.layers = "";
  }

  /** @param {{layers: {size: number, shown: number[], names: ?string[]}[], weights: number[][][]}} diagram Session.diagram() */
  show({ layers, weights }) {
    const shape = JSON.stringify(layers.map((l) => [l.size, l.shown, l.names]));
    if (shape !== this.shape) this.build(layers, shape);
    weights.forEach((matrix, k) => {
      const largest = Math.max(1e-12, ...matrix.flat().map(Math.abs));
      matrix.forEach((row, i) => row.forEach((w, j) => {
        const edge = this.edges[k][i][j];
        edge.setAttribute("stroke", w >= 0 ? POSITIVE : NEGATIVE);
        edge.setAttribute("stroke-width", (0.3 + 3.2 * Math.abs(w) / largest).toFixed(2));
        edge.setAttribute("stroke-opacity", (0.25 + 0.6 * Math.abs(w) / largest).toFixed(2));
        edge.dataset.weight = String(w);
      }));
    });
    this.figure.dataset.layers = layers.map((l) => l.size).join("-");
  }

  build(layers, shape) {
    this.shape = shape;
    this.svg.replaceChildren();
    const font = getComputedStyle(this.svg).fontFamily || "sans-serif";
    const labelled = (layer) => (layer.names && layer.shown.length <= 12 ? layer.names : []);
    const side = (layer) => Math.min(MAX_SIDE, Math.max(SIDE, ...labelled(layer).map((n) => textWidth(n, font) + 7 + 2 * LABEL_GAP)));
    const [left, right] = [side(layers[0]), side(layers.at(-1))]; // room for the names, each side
    const x = (k) => left + (k * (WIDTH - left - right)) / (layers.length - 1);
    const y = (i, n) => TOP + ((i + 0.5) * (HEIGHT - TOP - BOTTOM)) / n;
    const positions = layers.map((l, k) => l.shown.map((_, i) => [x(k), y(i, l.shown.length)]));
    const edgeGroup = svg("g", { class: "edges" });
    this.edges = positions.slice(0, -1).map((from, k) => from.map(([x1, y1], i) => positions[k + 1].map(([x2, y2], j) => {
      const edge = svg("line", { x1, y1, x2, y2, class: "edge", "data-from": layers[k].shown[i], "data-to": layers[k + 1].shown[j], "data-layer": k + 1 });
      edgeGroup.append(edge);
      return edge;
    })));
    const nodeGroup = svg("g", { class: "nodes" });
    layers.forEach((layer, k) => {
      const radius = Math.min(7, (HEIGHT - TOP - BOTTOM) / layer.shown.length / 2.6);
      layer.shown.forEach((unit, i) => {
        const [cx, cy] = positions[k][i];
        const node = svg("circle", { cx, cy, r: radius.toFixed(1), class: "node" });
        const name = layer.names?.[i];
        const title = svg("title");
        title.textContent = `${layerName(k, layers.length)}, unit ${unit + 1}${name ? `: ${name}` : ""}`;
        node.append(title);
        nodeGroup.append(node);
        if (name && (k === 0 || k === layers.length - 1) && layer.shown.length <= 12) {
          const room = (k === 0 ? left : right) - radius - 2 * LABEL_GAP;
          const label = svg("text", { x: k === 0 ? cx - radius - LABEL_GAP : cx + radius + LABEL_GAP, y: cy + 3.5, class: "node-label",
            "text-anchor": k === 0 ? "end" : "start" });
          label.textContent = fit(name, room, font);
          nodeGroup.append(label);
        }
      });
      const caption = svg("text", { x: x(k), y: HEIGHT - 16, class: "layer-caption", "text-anchor": "middle" });
      caption.textContent = String(layer.size);
      if (layer.size > layer.shown.length) { // summarised: say so under the width
        const more = svg("tspan", { x: x(k), dy: 12 });
        more.textContent = `${layer.shown.length} shown`;
        caption.append(more);
      }
      nodeGroup.append(caption);
    });
    this.svg.append(edgeGroup, nodeGroup);
  }

  /** Say which weight an edge is, and its value. */
  explain(target) {
    if (!target.classList?.contains("edge")) return;
    const k = Number(target.dataset.layer);
    const n = this.edges.length + 1;
    this.readout.textContent = `weight from ${layerName(k - 1, n)} unit ${Number(target.dataset.from) + 1} to ` +
      `${layerName(k, n)} unit ${Number(target.dataset.to) + 1}: ${short(Number(target.dataset.weight))}`;
  }

  /** Mark what is shown as the model's, made with other settings than the form's (style.css dims it). */
  markStale(stale) {
    this.figure.toggleAttribute("data-stale", stale);
  }
}
