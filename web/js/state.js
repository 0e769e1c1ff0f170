/**
 * Training settings: typed values, validation and the URL hash. No DOM here.
 *
 * Field names, types, ranges and defaults come from config-schema.json, which
 * build.py writes from mlp.session.CONFIG_SCHEMA, so the page and Python
 * enforce the same rules (Python checks again; the page is not the only caller).
 */

/** Hidden-layer activations offered in the form. */
export const HIDDEN_ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid"];

/** Output + loss pairs offered in the form, as "output:loss" registry names. */
export const OUTPUT_CHOICES = [
  { value: "softmax:cross_entropy", label: "softmax + cross-entropy (recommended)" },
  { value: "sigmoid:mse", label: "sigmoid + MSE (the post's setup, correct gradient)" },
  { value: "sigmoid:published_mse", label: "sigmoid + MSE as published in 2017 (wrong gradient)" },
  { value: "sigmoid:binary_cross_entropy", label: "sigmoid + binary cross-entropy" },
  { value: "softmax:mse", label: "softmax + MSE" },
];

const SCALAR_FIELDS = [
  "optimizer", "learning_rate", "l2", "batch_size", "epochs", "init",
  "scale_inputs", "augment", "test_fraction", "seed",
];

/** Parse one scalar field from text (a form value or a hash value). Throws with a message. */
function parseScalar(spec, raw) {
  if (spec.type === "bool") {
    if (raw === true || raw === "true" || raw === "1") return true;
    if (raw === false || raw === "false" || raw === "0") return false;
    throw new Error("must be true or false");
  }
  if (spec.type === "choice") {
    if (!spec.choices.includes(raw)) throw new Error(`must be one of ${spec.choices.join(", ")}`);
    return raw;
  }
  const text = String(raw).trim();
  if (text === "") throw new Error("is required");
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`must be a finite number, got "${text}"`);
  if (spec.type === "int" && !Number.isInteger(value)) throw new Error(`must be a whole number, got ${text}`);
  const tooLow = spec.min_exclusive ? value <= spec.min : value < spec.min;
  if (tooLow || value > spec.max) {
    throw new Error(`must be in ${spec.min_exclusive ? "(" : "["}${spec.min}, ${spec.max}], got ${text}`);
  }
  return value;
}

/** Describe a field's allowed values, for hints next to controls. */
export function describeRange(spec) {
  if (spec.type === "int" || spec.type === "float" || spec.type === "int_list") {
    return `${spec.min_exclusive ? "more than" : "from"} ${spec.min} to ${spec.max}`;
  }
  return spec.choices ? spec.choices.join(", ") : "";
}

/**
 * The settings of one training run. `values` is a config dict with the
 * Python field names; `errors` maps a field (or "hidden_layers.N") to a message.
 */
export class Settings {
  /** @param {object} schema The parsed config-schema.json. */
  constructor(schema) {
    this.schema = schema;
    this.values = structuredClone(schema.presets.recommended);
    this.raw = {};
    this.errors = {};
  }

  get fields() {
    return this.schema.fields;
  }

  /** Replace every value with a preset's ("recommended" or "post_2017"). */
  applyPreset(name) {
    this.values = structuredClone(this.schema.presets[name]);
    this.raw = {};
    this.validate();
  }

  /** Which preset the current values equal, if any. */
  presetName() {
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    return Object.keys(this.schema.presets).find((name) => same(this.schema.presets[name], this.values)) ?? null;
  }

  /**
   * Set a scalar field from text. An invalid value is kept as typed (so the
   * form still shows it) and recorded in `errors`.
   */
  setField(field, raw) {
    this.raw[field] = raw;
    try {
      this.values[field] = parseScalar(this.fields[field], raw);
      delete this.raw[field];
    } catch {
      // validate() reports it
    }
    return this.validate();
  }

  /** Set the "output:loss" pair. */
  setOutput(pair) {
    const [output, loss] = pair.split(":");
    this.values.output_activation = output;
    this.values.loss = loss;
    return this.validate();
  }

  get output() {
    return `${this.values.output_activation}:${this.values.loss}`;
  }

  /** Set hidden layer `index`'s width (text) or activation. */
  setLayer(index, { width, activation }) {
    if (width !== undefined) {
      this.raw[`hidden_layers.${index}`] = width;
      const spec = { ...this.fields.hidden_layers, type: "int" };
      try {
        this.values.hidden_layers[index] = parseScalar(spec, width);
        delete this.raw[`hidden_layers.${index}`];
      } catch {
        // validate() reports it
      }
    }
    if (activation !== undefined) this.values.activations[index] = activation;
    return this.validate();
  }

  addLayer() {
    const n = this.values.hidden_layers.length;
    if (n >= this.fields.hidden_layers.max_length) return this.validate();
    this.values.hidden_layers.push(n ? this.values.hidden_layers[n - 1] : 64);
    this.values.activations.push(n ? this.values.activations[n - 1] : "relu");
    return this.validate();
  }

  removeLayer(index) {
    this.values.hidden_layers.splice(index, 1);
    this.values.activations.splice(index, 1);
    const raw = {};
    for (const [k, v] of Object.entries(this.raw)) {
      const m = k.match(/^hidden_layers\.(\d+)$/);
      if (!m) raw[k] = v;
      else if (Number(m[1]) < index) raw[k] = v;
      else if (Number(m[1]) > index) raw[`hidden_layers.${Number(m[1]) - 1}`] = v;
    }
    this.raw = raw;
    return this.validate();
  }

  /** Number of weights and biases of the network these settings describe. */
  parameterCount() {
    const dims = [64, ...this.values.hidden_layers, 10];
    let total = 0;
    for (let i = 0; i + 1 < dims.length; i++) total += dims[i] * dims[i + 1] + dims[i + 1];
    return total;
  }

  /** Recompute `errors`; returns it. Empty means the settings can be sent. */
  validate() {
    const errors = {};
    for (const [field, raw] of Object.entries(this.raw)) {
      const spec = field.startsWith("hidden_layers.")
        ? { ...this.fields.hidden_layers, type: "int" }
        : this.fields[field];
      try {
        parseScalar(spec, raw);
      } catch (err) {
        errors[field] = err.message;
      }
    }
    const pair = [this.values.output_activation, this.values.loss];
    if (!this.schema.valid_outputs.some(([o, l]) => o === pair[0] && l === pair[1])) {
      errors.loss = `${pair[1]} does not go with a ${pair[0]} output`;
    }
    if (this.parameterCount() > this.schema.max_parameters) {
      errors.hidden_layers = `${this.parameterCount().toLocaleString("en")} parameters is over the limit of ${this.schema.max_parameters.toLocaleString("en")}; use fewer or narrower layers`;
    }
    this.errors = errors;
    return errors;
  }

  get valid() {
    return Object.keys(this.validate()).length === 0;
  }

  /** The config to send to Python (a deep copy). */
  toConfig() {
    return structuredClone(this.values);
  }

  /** Serialise every setting into a URL hash ("#hidden_layers=256&..."). */
  toHash() {
    const params = new URLSearchParams();
    params.set("hidden_layers", this.values.hidden_layers.join(","));
    params.set("activations", this.values.activations.join(","));
    params.set("output", this.output);
    for (const field of SCALAR_FIELDS) params.set(field, String(this.values[field]));
    return `#${params.toString()}`;
  }

  /**
   * Read settings from a URL hash. Each field that is missing keeps its
   * default; each that is invalid falls back to it too, and is listed in
   * the returned notices. Never throws.
   * @returns {string[]} notices
   */
  loadHash(hash) {
    const notices = [];
    const text = String(hash || "").replace(/^#/, "");
    if (!text) return notices;
    let params;
    try {
      params = new URLSearchParams(text);
    } catch {
      return ["The link's settings could not be read; using the defaults."];
    }
    const defaults = this.schema.presets.recommended;
    const fallback = (field, why) => notices.push(`${field}: ${why}; using the default.`);
    if (params.has("hidden_layers") || params.has("activations")) {
      const widths = (params.get("hidden_layers") ?? "").split(",").filter((s) => s !== "");
      const acts = (params.get("activations") ?? "").split(",").filter((s) => s !== "");
      const spec = { ...this.fields.hidden_layers, type: "int" };
      try {
        if (widths.length > spec.max_length) throw new Error(`at most ${spec.max_length} layers`);
        const layers = widths.map((w) => parseScalar(spec, w));
        // One activation may stand for all layers; none keeps the current ones.
        const current = this.values.activations;
        let activations = acts;
        if (acts.length === 0) activations = layers.map((_, i) => current[Math.min(i, current.length - 1)] ?? "relu");
        else if (acts.length === 1) activations = layers.map(() => acts[0]);
        if (activations.length !== layers.length) throw new Error("one activation per hidden layer is needed");
        for (const a of activations) {
          if (!HIDDEN_ACTIVATIONS.includes(a)) throw new Error(`unknown activation "${a}"`);
        }
        this.values.hidden_layers = layers;
        this.values.activations = activations;
      } catch (err) {
        fallback("hidden layers", err.message);
        this.values.hidden_layers = [...defaults.hidden_layers];
        this.values.activations = [...defaults.activations];
      }
    }
    if (params.has("output")) {
      const pair = params.get("output");
      if (OUTPUT_CHOICES.some((c) => c.value === pair)) this.setOutput(pair);
      else fallback("output", `"${pair}" is not one of the choices`);
    }
    for (const field of SCALAR_FIELDS) {
      if (!params.has(field)) continue;
      try {
        this.values[field] = parseScalar(this.fields[field], params.get(field));
      } catch (err) {
        fallback(field, err.message);
        this.values[field] = defaults[field];
      }
    }
    const known = new Set(["hidden_layers", "activations", "output", ...SCALAR_FIELDS]);
    for (const key of params.keys()) if (!known.has(key)) notices.push(`${key}: not a setting; ignored.`);
    this.validate();
    return notices;
  }
}
