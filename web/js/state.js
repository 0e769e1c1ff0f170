/**
 * Training settings: typed values, validation and the URL hash. No DOM here.
 *
 * Everything about a setting comes from config-schema.json, which build.py
 * writes from mlp.config: names, types, ranges, defaults, labels, the choices
 * (activations, output + loss pairs) and the presets. The network's input and
 * output widths come from the dataset's entry in data/datasets.json. So the
 * page and Python enforce the same rules (Python checks again; the page is
 * not the only caller).
 */

/** The 2-D generator's settings (mlp.planes.SETTINGS) by their names in a link; "seed" is the training seed's there. */
const PLANE_KEYS = { n_points: "n_points", noise: "noise", seed: "data_seed", classes: "classes" };

/**
 * ``object[key]`` if ``key`` is the object's own, else undefined. A name that
 * comes from a user, a file or a link is data: "constructor", "toString" or
 * "__proto__" must find nothing, not what every JavaScript object inherits.
 */
export const own = (object, key) => (Object.hasOwn(object, key) ? object[key] : undefined);

/**
 * The 2-D generator's settings that apply to a dataset, as [name, schema entry] pairs: a setting with
 * `sets` (mlp.planes.SETTINGS: `classes`, for the k-class sets) only for those; none for other kinds of data.
 * @param {object} schema config-schema.json
 * @param {{name: string, kind: string}} dataset
 */
export const planeSettingsFor = (schema, dataset) => (dataset.kind !== "plane" ? []
  : Object.entries(schema.plane_settings).filter(([, spec]) => !spec.sets || spec.sets.includes(dataset.name)));

/** The settings the form shows one control each for: those the schema puts in a group. */
export const scalarFields = (schema) => Object.keys(schema.fields).filter((f) => schema.fields[f].group);

/**
 * The config a dataset starts from: its own recommended preset, else its task's (mlp.config.recommended).
 * @param {object} schema config-schema.json
 * @param {{name: string, task: string}} dataset
 */
export const presetFor = (schema, dataset) =>
  structuredClone(own(schema.dataset_presets, dataset.name) ?? own(schema.task_presets, dataset.task));

/** The output + loss pairs for a task (classification or regression), as the form offers them: {value: "output:loss", label}. */
export const outputChoices = (schema, task) =>
  schema.outputs.filter((o) => o.tasks.includes(task)).map((o) => ({ value: `${o.output}:${o.loss}`, label: o.label, note: o.note }));

/**
 * What your CSV may hold (mlp.csvfile's limits, in config-schema.json), with the size in MB as
 * Python's messages write it: MB of 2**20 bytes.
 * @param {object} schema config-schema.json
 * @returns {{bytes: number, megabytes: number, rows: number, columns: number}}
 */
export const csvLimits = (schema) => ({ ...schema.csv_limits, megabytes: Math.floor(schema.csv_limits.bytes / 2 ** 20) });

/** Parse one scalar setting from text (a form value or a hash value) against its schema entry. Throws with a message. */
export function parseScalar(spec, raw) {
  if (spec.type === "bool") {
    if (raw === true || raw === "true" || raw === "1") return true;
    if (raw === false || raw === "false" || raw === "0") return false;
    throw new Error("must be true or false");
  }
  if (spec.type === "choice") {
    if (!spec.choices.includes(raw)) throw new Error(`must be one of ${spec.choices.join(", ")}`);
    return raw;
  }
  if (spec.type === "choice_set") {
    // A list, or its comma-separated text in a link; kept in the schema's order (mlp.config._check_field).
    const picked = Array.isArray(raw) ? raw : String(raw).split(",").filter((s) => s !== "");
    const unknown = picked.find((c) => !spec.choices.includes(c));
    if (unknown !== undefined) throw new Error(`"${unknown}" is not one of ${spec.choices.join(", ")}`);
    if (picked.length === 0) throw new Error("choose at least one");
    if (new Set(picked).size !== picked.length) throw new Error("lists a choice twice");
    return spec.choices.filter((c) => picked.includes(c));
  }
  const text = String(raw).trim();
  if (text === "") throw new Error("is required");
  // Decimal only: Number() would also take "0x40", "0b11" and "0o7", which Python's config never sees.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw new Error(`must be a number written in decimal, got "${text}"`);
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
  /**
   * @param {object} schema The parsed config-schema.json.
   * @param {{n_features: number, classes: string[], kind: string}} dataset Its entry in data/datasets.json.
   */
  constructor(schema, dataset) {
    this.schema = schema;
    // All five are set by setDataset, below.
    this.dataset = dataset;
    /** The 2-D generator's settings (mlp.planes.SETTINGS' names), for a plane dataset. */
    this.plane = {};
    /** The config, with Python's field names. */
    this.values = {};
    /** Text that did not parse, as typed, by field (or "hidden_layers.N"). */
    this.raw = {};
    /** A message per invalid field. */
    this.errors = {};
    this.setDataset(dataset);
  }

  /** Settings for another dataset: its recommended preset, and the 2-D generator's defaults. */
  setDataset(dataset) {
    this.dataset = dataset;
    this.plane = Object.fromEntries(planeSettingsFor(this.schema, dataset).map(([k, spec]) => [k, spec.default]));
    this.values = presetFor(this.schema, dataset);
    this.raw = {};
    this.errors = {};
    this.validate();
  }

  get fields() {
    return this.schema.fields;
  }

  /** Everything the form holds, to put back with restore() if what follows fails. */
  snapshot() {
    const { plane, values, raw } = structuredClone({ plane: this.plane, values: this.values, raw: this.raw });
    return { dataset: this.dataset, plane, values, raw };
  }

  /** @param {object} snapshot what snapshot() returned */
  restore({ dataset, plane, values, raw }) {
    Object.assign(this, { dataset, plane, values, raw });
    this.validate();
  }

  /**
   * Take the settings a model was made with (its metadata.config, Python's names). Settings it does not
   * name keep the dataset's preset; if the result is not valid here, nothing changes.
   * @returns {boolean} whether the form now holds them
   */
  useConfig(config) {
    const before = { values: this.values, raw: this.raw };
    const preset = presetFor(this.schema, this.dataset);
    this.values = Object.fromEntries(Object.entries(preset).map(([k, v]) => [k, Object.hasOwn(config, k) ? structuredClone(config[k]) : v]));
    this.raw = {};
    if (this.valid) return true;
    Object.assign(this, before);
    this.validate();
    return false;
  }

  /**
   * The settings where the form and a model's config differ, as {field, form, model} (Python's names).
   * @param {object} config a model's metadata.config
   */
  differences(config) {
    return Object.keys(this.values)
      .filter((k) => Object.hasOwn(config, k) && JSON.stringify(this.values[k]) !== JSON.stringify(config[k]))
      .map((field) => ({ field, form: this.values[field], model: config[field] }));
  }

  /** Replace every value with a preset's: "recommended" (the dataset's own) or "post_2017". */
  applyPreset(name) {
    this.values = name === "recommended" ? presetFor(this.schema, this.dataset) : structuredClone(own(this.schema.presets, name));
    this.raw = {};
    this.validate();
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

  /** A copy of the last hidden layer; with none left, the first layer of the open dataset's own preset. */
  addLayer() {
    const n = this.values.hidden_layers.length;
    if (n >= this.fields.hidden_layers.max_length) return this.validate();
    const preset = presetFor(this.schema, this.dataset);
    this.values.hidden_layers.push(n ? this.values.hidden_layers[n - 1] : preset.hidden_layers[0]);
    this.values.activations.push(n ? this.values.activations[n - 1] : preset.activations[0]);
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

  /** Layer widths, input and output included (as mlp.config.dimensions): one output per class, or one number. */
  dimensions() {
    const outputs = this.dataset.task === "regression" ? 1 : this.dataset.classes.length;
    return [this.inputs().length, ...this.values.hidden_layers, outputs];
  }

  /** What the input layer's units see (as mlp.config.input_features): the chosen features of a point, else the data's own. */
  inputs() {
    return this.dataset.kind === "plane" ? this.values.input_features : this.dataset.feature_names;
  }

  /** Number of weights and biases of the network these settings describe (as mlp.network.count_parameters). */
  parameterCount() {
    const dims = this.dimensions();
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
    const [output, loss] = [this.values.output_activation, this.values.loss];
    if (!this.schema.outputs.some((o) => o.output === output && o.loss === loss)) {
      errors.loss = `${loss} does not go with a ${output} output`;
    } else if (!outputChoices(this.schema, this.dataset.task).some((c) => c.value === this.output)) {
      errors.loss = `${output} + ${loss} is not for ${this.dataset.task}`;
    }
    for (const [field, spec] of Object.entries(this.fields)) {
      const off = JSON.stringify(spec.off ?? false); // the value that means "not used" (mlp.config._data_errors)
      if (spec.kinds && !spec.kinds.includes(this.dataset.kind) && JSON.stringify(this.values[field]) !== off) {
        errors[field] = `only for ${spec.kinds.join(" or ")} data; "${this.dataset.name}" is ${this.dataset.kind}`;
      }
    }
    if (this.parameterCount() > this.schema.max_parameters) {
      errors.hidden_layers = `${this.parameterCount().toLocaleString("en")} parameters is over the limit of ${this.schema.max_parameters.toLocaleString("en")}; use fewer or narrower layers`;
    }
    this.errors = errors;
    return errors;
  }

  /** Offer a hidden activation registered in Python since the page started (your own). */
  addActivation(name) {
    const choices = this.fields.activations.choices;
    if (!choices.includes(name)) choices.push(name);
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
    if (!this.dataset.own) params.set("dataset", this.dataset.name); // your CSV stays in this browser: no link to it
    if (this.dataset.kind === "plane") for (const [key, value] of Object.entries(this.plane)) params.set(PLANE_KEYS[key], String(value));
    params.set("hidden_layers", this.values.hidden_layers.join(","));
    params.set("activations", this.values.activations.join(","));
    params.set("output", this.output);
    for (const field of scalarFields(this.schema)) params.set(field, String(this.values[field]));
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
    const defaults = presetFor(this.schema, this.dataset);
    const fallback = (field, why) => notices.push(`${field}: ${why}; using the default.`);
    if (params.has("hidden_layers") || params.has("activations")) {
      // Activations alone apply to the current layers.
      const widths = params.has("hidden_layers")
        ? params.get("hidden_layers").split(",").filter((s) => s !== "")
        : this.values.hidden_layers.map(String);
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
          if (!this.fields.activations.choices.includes(a)) throw new Error(`unknown activation "${a}"`);
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
      if (outputChoices(this.schema, this.dataset.task).some((c) => c.value === pair)) this.setOutput(pair);
      else fallback("output", `"${pair}" is not one of the choices`);
    }
    if (this.dataset.kind === "plane") {
      for (const [key, spec] of Object.entries(this.schema.plane_settings)) {
        if (!params.has(PLANE_KEYS[key])) continue;
        if (spec.sets && !spec.sets.includes(this.dataset.name)) {
          notices.push(`${PLANE_KEYS[key]}: only for ${spec.sets.join(" and ")}; "${this.dataset.name}" has its own; ignored.`);
          continue;
        }
        try {
          this.plane[key] = parseScalar(spec, params.get(PLANE_KEYS[key]));
        } catch (err) {
          fallback(PLANE_KEYS[key], err.message);
        }
      }
    }
    const scalars = scalarFields(this.schema);
    for (const field of scalars) {
      if (!params.has(field)) continue;
      const spec = this.fields[field];
      try {
        const value = parseScalar(spec, params.get(field));
        // A setting this dataset hides cannot apply: say so, as for any other bad value (mlp.config._data_errors).
        if (spec.kinds && !spec.kinds.includes(this.dataset.kind) && JSON.stringify(value) !== JSON.stringify(spec.off ?? false)) {
          throw new Error(`only for ${spec.kinds.join(" or ")} data; "${this.dataset.name}" is ${this.dataset.kind}`);
        }
        this.values[field] = value;
      } catch (err) {
        fallback(field, err.message);
        this.values[field] = defaults[field];
      }
    }
    const known = new Set(["dataset", "hidden_layers", "activations", "output", ...scalars, ...Object.values(PLANE_KEYS)]);
    for (const key of params.keys()) if (!known.has(key)) notices.push(`${key}: not a setting; ignored.`);
    this.validate();
    return notices;
  }
}
