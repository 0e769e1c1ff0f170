import { $, el, say } from "../dom.js";
import { m, math, sub, sup } from "../mathml.js";
import { short } from "../numbers.js";

const SHOWN = 6; // numbers shown before "show all"

/** A number as the view writes it: 4 significant digits, a real minus sign. */
const fmt = (v) => short(v); // one argument: map()'s index is not a number of digits

/**
 * "Inside one step": one sample through the current model, equation by
 * equation with the post's numbering (Session.inside_step), and one SGD step
 * on it (Session.take_step). Each quantity carries all its numbers in
 * data-values (JSON, float64), with data-sample, for tests and the curious.
 */
export class InsideView {
  constructor(root = document) {
    this.root = $('[data-testid="inside-step"]', root);
    this.index = $("#inside-index", this.root);
    this.split = $("#inside-split", this.root);
    this.showButton = $('[data-action="inside-show"]', this.root);
    this.takeButton = $('[data-action="inside-take"]', this.root);
    this.list = $(".equations", this.root);
    this.summary = $(".inside-summary", this.root);
    this.message = $('[data-testid="step-result"]', this.root);
  }

  /** @param {{onShow: Function, onTake: Function}} handlers each given (index, split) */
  bind({ onShow, onTake }) {
    const args = () => [this.index.value, this.split.value];
    this.showButton.addEventListener("click", () => onShow(...args()));
    this.takeButton.addEventListener("click", () => onTake(...args()));
  }

  setEnabled(enabled) {
    this.showButton.disabled = !enabled;
    this.takeButton.disabled = !enabled || !this.list.children.length;
  }

  setDataset() {
    this.list.replaceChildren();
    this.summary.textContent = "";
    this.message.textContent = "";
  }

  say(text, kind = "info") {
    say(this.message, text, kind);
  }

  /** @param {object} step Session.inside_step() */
  show(step) {
    const { layers, dimensions, activations } = step;
    const K = layers.length; // layers of weights; the post's L is K + 1
    const L = K + 1;
    const items = [];
    const add = (number, formula, ...values) => items.push(this.equation(number, formula, values));
    const id = (name, k) => `eq-${name}-${k}`;
    add("", math(sub("a", 1), "op:=", "x"), this.values(step.scaled ? "the sample's inputs, scaled" : "the sample's inputs", step.input, "eq-input", step));
    layers.forEach((layer, i) => {
      const k = i + 1;
      add("1.3.0", math(sub("z", k + 1), "op:=", sub("a", k), sub("w", k), "op:+", sub("b", k)),
        this.values(`z${k + 1}, ${dimensions[k]} numbers`, layer.z, id("z", k), step));
      add("1.3.1", math(sub("a", k + 1), "op:=", sub("f", k + 1), m("mo", "("), sub("z", k + 1), m("mo", ")"), "op:,",
        m("mtext", ` f = ${activations[i]}`)), this.values(`a${k + 1}`, layer.a, id("a", k), step));
    });
    add("", math("J", "op:=", "J", m("mo", "("), "y", "op:,", sub("a", L), m("mo", ")"), m("mtext", `  ${step.loss_name}`)),
      this.scalar("the loss on this sample", step.loss, "eq-loss", step));
    const output = step.loss_name === "cross_entropy" && activations[K - 1] === "softmax"
      ? math(sub("δ", L), "op:=", sub("a", L), "op:−", "y", m("mtext", "  (softmax with cross-entropy)"))
      : math(sub("δ", L), "op:=", m("mi", "J′"), m("mo", "("), "y", "op:,", sub("a", L), m("mo", ")"), "op:⊙", sub("f′", L),
        m("mo", "("), sub("z", L), m("mo", ")"));
    add("2.4.0", output, this.values(`δ${L}, the output error`, layers[K - 1].delta, id("delta", K), step));
    for (let k = K - 1; k >= 1; k--) {
      add("2.4.1", math(sub("δ", k + 1), "op:=", m("mo", "("), sub("δ", k + 2), sup(sub("w", k + 1), "T"), m("mo", ")"), "op:⊙",
        sub("f′", k + 1), m("mo", "("), sub("z", k + 1), m("mo", ")")), this.values(`δ${k + 1}`, layers[k - 1].delta, id("delta", k), step));
    }
    layers.forEach((layer, i) => {
      const k = i + 1;
      add("2.4.2", math(m("mfrac", m("mrow", "op:∂", "J"), m("mrow", "op:∂", sub("w", k))), "op:=", sup(sub("a", k), "T"), sub("δ", k + 1)),
        this.values(`a ${dimensions[i]} × ${dimensions[k]} matrix`, layer.dw, id("dw", k), step));
      add("2.4.3", math(m("mfrac", m("mrow", "op:∂", "J"), m("mrow", "op:∂", sub("b", k))), "op:=", sub("δ", k + 1)),
        this.values(`${dimensions[k]} numbers`, layer.db, id("db", k), step));
    });
    add("", math(sub("w", "k"), "op:←", sub("w", "k"), "op:−", "η", m("mfrac", m("mrow", "op:∂", "J"), m("mrow", "op:∂", sub("w", "k"))),
      "op:,", m("mtext", ` η = ${step.learning_rate}`)), this.scalar("learning rate", step.learning_rate, "eq-learning-rate", step));
    if (step.as_published) {
      add("2.4.0 as published", math(sub("δ", L), "op:=", m("mo", "("), sub("a", L), "op:−", "y", m("mo", ")"), "op:⊙",
        m("mi", "σ′"), m("mo", "("), sub("a", L), m("mo", ")"), m("mtext", "  — the post evaluates σ′ at a, not z")),
      this.values("as published, σ′(a)", step.as_published.published, "eq-delta-published", step),
      this.values("correct, σ′(z)", step.as_published.correct, "eq-delta-correct", step));
    }
    this.list.replaceChildren(...items);
    const where = step.split === "train" ? "training" : "held-out";
    this.summary.textContent = `${where} sample ${step.index}, label ${step.label}: a ${dimensions.join("-")} network, ` +
      `${activations.join(", ")}; loss ${step.loss_name}. Layers count from 1, the input; w_k joins layer k to k + 1.`;
    this.root.dataset.sample = String(step.index);
    this.takeButton.disabled = false;
  }

  equation(number, formula, values) {
    const item = el("li", { className: "equation" });
    const tag = el("span", { className: "eq-number", text: number ? `(${number})` : "" });
    const box = el("span", { className: "formula" }); // inline maths in a box of its own: left-aligned, scrolls if too wide
    box.append(formula);
    item.append(tag, box, ...values);
    return item;
  }

  /** A vector or matrix: the first few numbers, the rest on request, and all of them in data-values. */
  values(caption, values, testid, step) {
    const flat = values.flat();
    const box = el("details", { className: "eq-values", attrs: { "data-testid": testid, "data-sample": String(step.index) } });
    box.dataset.values = JSON.stringify(values);
    const head = flat.slice(0, SHOWN).map(fmt).join(", ") + (flat.length > SHOWN ? ", …" : "");
    box.append(el("summary", { text: `${caption}: [${head}]${flat.length > SHOWN ? ` (${flat.length} numbers; show all)` : ""}` }));
    // Focusable, so that a keyboard user can scroll a long matrix too.
    const full = el("pre", { className: "eq-all", attrs: { tabindex: "0", "aria-label": `all of ${caption}` } });
    box.addEventListener("toggle", () => {
      if (box.open && !full.textContent) {
        full.textContent = Array.isArray(values[0]) ? values.map((row) => row.map(fmt).join("  ")).join("\n") : flat.map(fmt).join("  ");
      }
    });
    box.append(full);
    return box;
  }

  scalar(caption, value, testid, step) {
    return el("p", { className: "eq-values", text: `${caption}: ${fmt(value)}`,
      attrs: { "data-testid": testid, "data-sample": String(step.index), "data-values": JSON.stringify(value) } });
  }

  /** Whether a step is on screen (to redraw when the model changes). */
  get shown() {
    return this.list.children.length > 0;
  }

  /** @param {{loss_before: number, loss_after: number, index: number, split: string}} taken Session.take_step() */
  showTaken(taken) {
    const leak = taken.split === "test" ? " It was a held-out sample: the held-out score now counts one sample the model has trained on." : "";
    const { loss_before: before, loss_after: after } = taken;
    // Four digits can hide the change: then show enough digits to see it, and say why it is small.
    const hidden = fmt(before) === fmt(after);
    const [from, to] = hidden ? [short(before, 10), short(after, 10)] : [fmt(before), fmt(after)];
    const why = !hidden ? "" : before < 1e-3
      ? " A tiny change: the model already fits this sample, so its gradient, and the step, are tiny. Try a held-out sample it gets wrong."
      : " A small change: the learning rate sets the step's size.";
    this.say(`One SGD step on this sample: its loss went from ${from} to ${to}.${why} ` +
      `The model changed; the equations now show the next step.${leak}`);
    Object.assign(this.message.dataset, { before: String(taken.loss_before), after: String(taken.loss_after) });
  }
}
