/**
 * What the user made, kept in this browser: the last trained model of each
 * dataset and the personal digits of each image dataset. Reading is defensive: a damaged entry is removed and
 * reported, never thrown; a full quota is reported, never lost silently.
 */
const MODEL_KEY = "mlp-from-scratch.model.v1";
/** One saved model per dataset; the digits' keeps the key it has always had. */
const modelKey = (dataset) => (dataset === "digits" ? MODEL_KEY : `${MODEL_KEY}.${dataset}`);
const PERSONAL_KEY = "mlp-from-scratch.personal-digits.v1";
/** One personal set per image dataset; the digits' keeps the key it has always had. */
const personalKey = (dataset) => (dataset === "digits" ? PERSONAL_KEY : `${PERSONAL_KEY}.${dataset}`);

function save(key, text, what) {
  try {
    localStorage.setItem(key, text);
    return null;
  } catch (err) {
    return `Your ${what} could not be kept for the next visit (${err.name}); export it to keep it.`;
  }
}

function load(key, parse, what) {
  let text;
  try {
    text = localStorage.getItem(key);
  } catch {
    return { value: null, notice: `Browser storage is not available; your ${what} will not be kept across visits.` };
  }
  if (text === null) return { value: null, notice: null };
  try {
    return { value: parse(text), notice: null };
  } catch {
    forget(key);
    return { value: null, notice: `A saved ${what} was damaged and has been discarded.` };
  }
}

function forget(key) {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing to do
  }
}

/**
 * Check a personal-digits list against its dataset's entry: [{input: one value
 * per feature within the feature range, label: a class index}, ...]. Throws if malformed.
 * @param {string} text
 * @param {{n_features: number, feature_range: number[], classes: string[]}} dataset
 */
export function parsePersonalDigits(text, { n_features: n, feature_range: [low, high], classes }) {
  const items = JSON.parse(text);
  const list = Array.isArray(items) ? items : items?.digits;
  if (!Array.isArray(list)) throw new Error("expected a list of digits");
  for (const d of list) {
    const ok = Array.isArray(d?.input) && d.input.length === n && d.input.every((v) => Number.isFinite(v) && v >= low && v <= high)
      && Number.isInteger(d.label) && d.label >= 0 && d.label < classes.length;
    if (!ok) throw new Error(`each digit needs ${n} inputs in ${low}..${high} and a label 0..${classes.length - 1}`);
  }
  return list.map((d) => ({ input: d.input.map(Number), label: d.label }));
}

function parseModel(text) {
  if (JSON.parse(text)?.format !== "mlp-from-scratch/model") throw new Error("not a model file");
  return text;
}

const CODE_KEY = "mlp-from-scratch.code.v1";
/** Your edited code, by piece: kept across reloads, never run by itself. */
export const loadCode = () => load(CODE_KEY, (text) => {
  const code = JSON.parse(text);
  if (typeof code !== "object" || code === null || Object.values(code).some((v) => typeof v !== "string")) throw new Error("bad");
  return code;
}, "code").value ?? {};
export const saveCode = (code) => save(CODE_KEY, JSON.stringify(code), "code");
export const forgetCode = (piece) => {
  const code = loadCode();
  delete code[piece];
  return saveCode(code);
};

export const saveModel = (text, dataset) => save(modelKey(dataset), text, "model");
export const loadModel = (dataset) => {
  const { value, notice } = load(modelKey(dataset), parseModel, "model");
  return { text: value, notice };
};
export const forgetModel = (dataset) => forget(modelKey(dataset));

export const savePersonal = (items, dataset) => save(personalKey(dataset.name), JSON.stringify(items), "personal digits");
export const loadPersonal = (dataset) => load(personalKey(dataset.name), (text) => parsePersonalDigits(text, dataset), "personal digits");

const LAST_VISIT_KEY = "mlp-from-scratch.last-visit.v1";
/** Where the learner left off: the open dataset's name and the form's settings, as a link writes them. */
export const saveLastVisit = (dataset, hash) => save(LAST_VISIT_KEY, JSON.stringify({ dataset, hash }), "place in the page");
/** A visit without a link opens where the last one left off. @returns {?{dataset: string, hash: string}} */
export const loadLastVisit = () => load(LAST_VISIT_KEY, (text) => {
  const visit = JSON.parse(text);
  if (typeof visit?.dataset !== "string" || typeof visit?.hash !== "string") throw new Error("not a visit");
  return visit;
}, "place in the page").value;

const RUNS_KEY = "mlp-from-scratch.runs.v1";
/** One table of runs per dataset (runs.js): by name, as the models are. */
const runsKey = (dataset) => `${RUNS_KEY}.${dataset}`;

/** Check a kept table of runs: a list of records with an id, a number, a config and curves. Throws if malformed. */
function parseRuns(text) {
  const runs = JSON.parse(text);
  const ok = Array.isArray(runs) && runs.every((r) => typeof r?.id === "string" && Number.isInteger(r.number)
    && typeof r.config === "object" && r.config !== null && Array.isArray(r.curves?.epoch)
    && typeof r.metrics === "object" && r.metrics !== null && Number.isFinite(r.seconds));
  if (!ok) throw new Error("not a table of runs");
  return runs;
}

export const saveRuns = (dataset, runs) => save(runsKey(dataset), JSON.stringify(runs), "table of runs");
/** @returns {{runs: object[], notice: ?string}} the runs kept for a dataset, oldest first */
export const loadRuns = (dataset) => {
  const { value, notice } = load(runsKey(dataset), parseRuns, "table of runs");
  return { runs: value ?? [], notice };
};
