import { $, el } from "../dom.js";
import { describeRange, outputChoices, scalarFields } from "../state.js";

/** Where each schema group's controls go in the form. */
const GROUP_SLOTS = { features: ".features-slot", optimization: ".optimizer-slot", data: ".data-slot" };

/**
 * The network designer and training settings form, built from the schema:
 * a select for each choice, a text box for each number, a checkbox for each
 * switch. It owns its DOM and reports every edit through the handlers given
 * to bind().
 */
export class SettingsView {
  /**
   * @param {object} schema config-schema.json
   * @param {{n_features: number, classes: string[], kind: string, feature_range: number[]}} dataset
   * @param {ParentNode} [root]
   */
  constructor(schema, dataset, root = document) {
    this.schema = schema;
    this.form = $('[data-testid="settings-form"]', root);
    this.layers = $(".layers", this.form);
    this.addLayerButton = $(".add-layer", this.form);
    this.paramCount = $(".param-count", this.form);
    this.differsNote = $('[data-testid="settings-note"]', this.form);
    // All three are set again by setDataset: the dataset, and each field's control and error slot.
    this.dataset = dataset;
    this.controls = {};
    this.errorSlots = {};
    this.setDataset(dataset);
  }

  /** Rebuild the controls for a dataset: its task's output choices, only the switches that apply to its kind. */
  setDataset(dataset) {
    this.dataset = dataset;
    this.controls = {};
    this.errorSlots = {};
    for (const slot of [".output-slot", ...Object.values(GROUP_SLOTS)]) $(slot, this.form).replaceChildren();
    this.buildStaticControls();
    $(".features-fieldset", this.form).hidden = !("input_features" in this.controls);
    const postButton = this.form.querySelector('[data-preset="post_2017"]');
    if (postButton) postButton.hidden = dataset.name !== "digits"; // the post's network is a digits network
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
    this.outputNotes = {};
    for (const choice of outputChoices(this.schema, this.dataset.task)) {
      output.append(el("option", { text: choice.label, attrs: { value: choice.value } }));
      this.outputNotes[choice.value] = choice.note;
    }
    $(".output-slot", this.form).append(this.field("loss", fields.loss.label, output, ""));

    const checks = [];
    for (const field of scalarFields(this.schema)) {
      const spec = fields[field];
      if (spec.kinds && !spec.kinds.includes(this.dataset.kind)) continue; // not for this kind of data
      const slot = $(GROUP_SLOTS[spec.group], this.form);
      if (spec.type === "choice_set") {
        slot.append(this.choiceSet(field, spec));
      } else if (spec.type === "bool") {
        const wrap = this.field(field, spec.label, el("input", { attrs: { type: "checkbox" } }), this.hint(field));
        wrap.classList.add("check");
        if (spec.group === "data") checks.push(wrap);
        else slot.append(wrap); // beside the settings it goes with
      } else if (spec.type === "choice") {
        const select = el("select");
        for (const choice of spec.choices) select.append(el("option", { text: choice, attrs: { value: choice } }));
        slot.append(this.field(field, spec.label, select, ""));
      } else {
        const input = el("input", { attrs: { type: "text", inputmode: spec.type === "int" ? "numeric" : "decimal", autocomplete: "off" } });
        slot.append(this.field(field, spec.label, input, describeRange(spec)));
      }
    }
    $(GROUP_SLOTS.data, this.form).prepend(...checks); // switches first, as a short list
  }

  /** One checkbox per choice, named after the field; the fieldset around the slot is its label. */
  choiceSet(field, spec) {
    const group = el("div", { className: "choice-set" });
    for (const choice of spec.choices) {
      const id = `setting-${field}-${spec.choices.indexOf(choice)}`;
      const box = el("input", { attrs: { type: "checkbox", id, name: field, value: choice, "aria-describedby": `setting-${field}-error` } });
      const label = el("label", { className: "choice", attrs: { for: id } });
      label.append(box, document.createTextNode(spec.labels?.[choice] ?? choice));
      group.append(label);
    }
    const error = el("span", { className: "field-error", attrs: { id: `setting-${field}-error`, "data-error-for": field } });
    group.append(error);
    this.controls[field] = group;
    this.errorSlots[field] = error;
    return group;
  }

  /** A hint for a switch whose meaning depends on the data (as mlp.config.normalisation does it). */
  hint(field) {
    if (field !== "scale_inputs") return "";
    if (this.dataset.kind !== "image") return "standardised: each feature minus its training mean, over its standard deviation";
    const [low, high] = this.dataset.feature_range;
    const m = Math.max(Math.abs(low), Math.abs(high));
    return `${low}..${high} becomes ${low / m}..${high / m}`;
  }

  /** The controls that exist for this dataset (a setting for other kinds of data has none). */
  get shown() {
    return scalarFields(this.schema).filter((field) => field in this.controls);
  }

  /**
   * Show the settings' values and errors.
   * @param {import("../state.js").Settings} settings
   */
  render(settings) {
    const { values } = settings;
    this.renderLayers(settings);
    this.controls.loss.value = settings.output;
    $("#setting-loss-hint", this.form).textContent = this.outputNotes[settings.output] ?? ""; // what the chosen pair means
    for (const field of this.shown) {
      const control = this.controls[field];
      if (this.schema.fields[field].type === "choice_set") {
        const picked = settings.raw[field] ?? values[field]; // an invalid choice (none) stays as made
        for (const box of control.querySelectorAll("input")) box.checked = picked.includes(box.value);
      } else if (control.type === "checkbox") control.checked = values[field];
      else if (control.tagName === "SELECT") control.value = values[field];
      // Never rewrite the field being typed in; show invalid text as typed.
      else if (document.activeElement !== control) control.value = field in settings.raw ? settings.raw[field] : String(values[field]);
    }
    this.renderErrors(settings.errors);
    const [inputs, ...rest] = settings.dimensions();
    this.paramCount.textContent = `${settings.parameterCount().toLocaleString("en")} parameters (${inputs} input${inputs === 1 ? "" : "s"} → ${rest.join(" → ")})`;
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

  /** A new activation (your own, once it passes the gradient check) becomes a choice of every layer. */
  addActivationChoice(name) {
    for (const select of this.layers.querySelectorAll(".layer-activation")) {
      if (![...select.options].some((o) => o.value === name)) select.append(el("option", { text: name, attrs: { value: name } }));
    }
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
    for (const a of this.schema.fields.activations.choices) act.append(el("option", { text: a, attrs: { value: a } }));
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
      if (control?.matches("input, select")) control.setAttribute("aria-invalid", message ? "true" : "false");
    }
  }

  /**
   * Say where the form differs from the settings the model on screen was made with; none hides the note.
   * @param {{field: string, form: *, model: *}[]} differences
   */
  showDifferences(differences) {
    this.differsNote.hidden = differences.length === 0;
    if (!differences.length) return;
    const value = (v) => (Array.isArray(v) ? v.join(", ") || "none" : String(v));
    const shown = differences.slice(0, 3).map(({ field, form, model }) =>
      `${this.schema.fields[field]?.label ?? field}: ${value(model)} (the form: ${value(form)})`);
    const more = differences.length > 3 ? `, and ${differences.length - 3} more` : "";
    $("p", this.differsNote).textContent = `The model on screen was made with other settings. ${shown.join("; ")}${more}. `
      + "Train makes a new model from the form.";
  }

  /**
   * @param {{onField: Function, onOutput: Function, onLayer: Function, onAddLayer: Function,
   *          onRemoveLayer: Function, onPreset: Function, onUseModelSettings: Function}} handlers
   */
  bind({ onField, onOutput, onLayer, onAddLayer, onRemoveLayer, onPreset, onUseModelSettings }) {
    $('[data-action="use-model-settings"]', this.differsNote).addEventListener("click", onUseModelSettings);
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
      } else if (target.type === "checkbox" && this.schema.fields[target.name]?.type === "choice_set") {
        onField(target.name, [...this.controls[target.name].querySelectorAll("input:checked")].map((box) => box.value));
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
