/**
 * What the user made, kept in the browser: the last trained model. Reading is
 * defensive: a corrupted entry is removed and reported, never thrown.
 */
const MODEL_KEY = "mlp-from-scratch.model.v1";

/**
 * Save the model file's text. Returns null on success or a message (e.g. quota).
 * @param {string} text
 */
export function saveModel(text) {
  try {
    localStorage.setItem(MODEL_KEY, text);
    return null;
  } catch (err) {
    return `The model could not be kept for the next visit (${err.name}); export it to keep it.`;
  }
}

/**
 * The saved model's text, if any.
 * @returns {{text: string|null, notice: string|null}}
 */
export function loadModel() {
  let text = null;
  try {
    text = localStorage.getItem(MODEL_KEY);
  } catch {
    return { text: null, notice: "Browser storage is not available; your model will not be kept across visits." };
  }
  if (text === null) return { text: null, notice: null };
  try {
    const doc = JSON.parse(text);
    if (doc?.format !== "mlp-from-scratch/model") throw new Error("not a model file");
    return { text, notice: null };
  } catch {
    forgetModel();
    return { text: null, notice: "A saved model was damaged and has been discarded; using the pretrained model." };
  }
}

export function forgetModel() {
  try {
    localStorage.removeItem(MODEL_KEY);
  } catch {
    // nothing to do
  }
}
