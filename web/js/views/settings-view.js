import { $, el } from "../dom.js";
import { HIDDEN_ACTIVATIONS, OUTPUT_CHOICES, describeRange } from "../state.js";

const NUMBER_FIELDS = [
  { field: "learning_rate", label: "Learning rate", step: "any" },
  { field: "l2", label: "L2 weight decay", step: "any" },
  { field: "batch_size", label: "Batch size", step: "1" },
  { field: "epochs", label: "Epochs", step: "1" },
  { field: "test_fraction", label: "Held-out fraction", step: "any" },
  { field: "seed", label: "Seed", step: "1" },
];
const SELECT_FIELDS = [
  { field: "optimizer", label: "Optimizer" },
  { field: "init", label: "Weight initialisation" },
];
const CHECK_FIELDS = [
  { field: "augment", label: "Augment: add 1-pixel shifts of each training digit" },
  { field: "scale_inputs", label: "Scale inputs from 0..16 to 0..1" },
];

/**
 * The network designer and training settings form. It owns its DOM and
 * reports every edit through the handlers given to bind().
 */
export class SettingsView {
  /**
   * @param {object} schema config-schema.json
   * @param {ParentNode} [root]
   */
  constructor(schema, root = document) {
    this.schema = schema;
    this.form = $('[data-testid="settings-form"]', root);
    this.layers = $(".layers", this.form);
    this.addLayerButton = $(".add-layer", this.form);
    this.paramCount = $(".param-count", this.form);
    this.controls = {};
    this.errorSlots = {};
    this.buildStaticControls();
  }

  field(field, labelText, control, hint) {
    const id = `setting-${field}`;
    control.id = id;
    control.name = field;
    const label = el("label", { text: labelText, attrs: { for: id } });
    const hintNode = el("span", { className: "hint", text: hint, attrs: { id: `${id}-hint` } });
    const error = el("span", { className: "field-error", attrs: { id: `${id}-error`, "data-error-for": field } });
    control.setAttribute("aria-describedby", `${id}-hint ${id}-error`);
    this.controls[field] = control;
    this.errorSlots[field] = error;
    const wrap = el("div", { className: "field" });
    wrap.append(label, control, hintNode, error);
    return wrap;
  }

  buildStaticControls() {
    const fields = this.schema.fields;
    const output = el("select");
    for (const choice of OUTPUT_CHOICES) output.append(el("option", { text: choice.label, attrs: { value: choice.value } }));
    $(".output-slot", this.form).append(this.field("loss", "Output and loss", output, ""));

    const optimizer = $(".optimizer-slot", this.form);
    for (const { field, label } of SELECT_FIELDS) {
      const select = el("select");
      for (const choice of fields[field].choices) select.append(el("option", { text: choice, attrs: { value: choice } }));
      optimizer.append(this.field(field, label, select, ""));
    }
    for (const { field, label, step } of NUMBER_FIELDS) {
      const input = el("input", { attrs: { type: "text", inputmode: step === "1" ? "numeric" : "decimal", autocomplete: "off" } });
      input.dataset.step = step;
      const slot = field === "test_fraction" || field === "seed" ? ".data-slot" : ".optimizer-slot";
      $(slot, this.form).append(this.field(field, label, input, describeRange(fields[field])));
    }
    for (const { field, label } of CHECK_FIELDS) {
      const box = el("input", { attrs: { type: "checkbox" } });
      const wrap = this.field(field, label, box, "");
      wrap.classList.add("check");
      $(".data-slot", this.form).prepend(wrap);
    }
  }

  /**
   * Show the settings' values and errors.
   * @param {import("../state.js").Settings} settings
   */
  render(settings) {
    const { values } = settings;
    this.renderLayers(settings);
    this.controls.loss.value = settings.output;
    for (const { field } of SELECT_FIELDS) this.controls[field].value = values[field];
    for (const { field } of NUMBER_FIELDS) {
      const input = this.controls[field];
      // Never rewrite the field being typed in; show invalid text as typed.
      if (document.activeElement !== input) input.value = field in settings.raw ? settings.raw[field] : String(values[field]);
    }
    for (const { field } of CHECK_FIELDS) this.controls[field].checked = values[field];
    this.renderErrors(settings.errors);
    this.paramCount.textContent = `${settings.parameterCount().toLocaleString("en")} parameters (64 inputs → ${[...values.hidden_layers, 10].join(" → ")})`;
    this.addLayerButton.disabled = values.hidden_layers.length >= this.schema.fields.hidden_layers.max_length;
  }

  renderLayers(settings) {
    const { hidden_layers: widths, activations } = settings.values;
    const rows = this.layers.children;
    const focused = document.activeElement;
    if (rows.length !== widths.length) {
      this.layers.replaceChildren(...widths.map((_, i) => this.layerRow(i)));
    }
    widths.forEach((width, i) => {
      const row = this.layers.children[i];
      const input = $(".layer-width", row);
      const key = `hidden_layers.${i}`;
      if (input !== focused) input.value = key in settings.raw ? settings.raw[key] : String(width);
      $(".layer-activation", row).value = activations[i];
    });
  }

  layerRow(i) {
    const row = el("li", { className: "layer-row" });
    row.dataset.index = String(i);
    const widthId = `layer-${i}-width`;
    const actId = `layer-${i}-activation`;
    const width = el("input", {
      className: "layer-width",
      attrs: { id: widthId, type: "text", inputmode: "numeric", autocomplete: "off", "aria-describedby": `${widthId}-error` },
    });
    const act = el("select", { className: "layer-activation", attrs: { id: actId } });
    for (const a of HIDDEN_ACTIVATIONS) act.append(el("option", { text: a, attrs: { value: a } }));
    const remove = el("button", {
      text: "Remove",
      className: "secondary remove-layer",
      attrs: { type: "button", "aria-label": `Remove hidden layer ${i + 1}` },
    });
    const error = el("span", { className: "field-error", attrs: { id: `${widthId}-error`, "data-error-for": `hidden_layers.${i}` } });
    row.append(
      el("label", { text: `Hidden layer ${i + 1} width`, attrs: { for: widthId } }),
      width,
      el("label", { text: "activation", className: "visually-hidden", attrs: { for: actId } }),
      act,
      remove,
      error,
    );
    return row;
  }

  renderErrors(errors) {
    for (const slot of this.form.querySelectorAll("[data-error-for]")) {
      const message = errors[slot.dataset.errorFor] || "";
      slot.textContent = message;
      const control = slot.dataset.errorFor.startsWith("hidden_layers.")
        ? slot.parentElement.querySelector(".layer-width")
        : this.controls[slot.dataset.errorFor];
      if (control) control.setAttribute("aria-invalid", message ? "true" : "false");
    }
  }

  /**
   * @param {{onField: Function, onOutput: Function, onLayer: Function, onAddLayer: Function,
   *          onRemoveLayer: Function, onPreset: Function}} handlers
   */
  bind({ onField, onOutput, onLayer, onAddLayer, onRemoveLayer, onPreset }) {
    this.form.addEventListener("submit", (e) => e.preventDefault());
    this.form.addEventListener("input", (event) => {
      const target = event.target;
      if (target.classList.contains("layer-width")) {
        onLayer(Number(target.closest(".layer-row").dataset.index), { width: target.value });
      } else if (target.type === "text") {
        onField(target.name, target.value);
      }
    });
    this.form.addEventListener("change", (event) => {
      const target = event.target;
      if (target.classList.contains("layer-activation")) {
        onLayer(Number(target.closest(".layer-row").dataset.index), { activation: target.value });
      } else if (target.name === "loss") {
        onOutput(target.value);
      } else if (target.type === "checkbox") {
        onField(target.name, target.checked);
      } else if (target.tagName === "SELECT") {
        onField(target.name, target.value);
      }
    });
    this.form.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.classList.contains("remove-layer")) onRemoveLayer(Number(button.closest(".layer-row").dataset.index));
      else if (button.classList.contains("add-layer")) onAddLayer();
      else if (button.dataset.preset) onPreset(button.dataset.preset);
    });
  }
}
