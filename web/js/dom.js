/** Tiny DOM helpers. Text is always set with textContent, never as HTML. */

/**
 * @param {string} selector
 * @param {ParentNode} [scope]
 * @returns {HTMLElement}
 */
export function $(selector, scope = document) {
  const el = scope.querySelector(selector);
  if (!el) throw new Error(`missing element ${selector}`);
  return el;
}

/**
 * Create an element with text and attributes.
 * @param {string} tag
 * @param {{text?: string, attrs?: object, className?: string}} [options]
 */
export function el(tag, { text, attrs = {}, className } = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/**
 * Show a message in a status element; `kind` "error" styles it as one.
 * @param {HTMLElement} node
 * @param {string} text
 * @param {"info"|"error"} [kind]
 */
export function say(node, text, kind = "info") {
  node.textContent = text;
  node.dataset.kind = kind;
}

/**
 * Call `handler(file)` when the user picks a file, then clear the input so
 * picking the same file again fires again.
 * @param {HTMLInputElement} input
 * @param {(file: File) => void} handler
 */
export function onFilePicked(input, handler) {
  input.addEventListener("change", () => {
    const file = input.files[0];
    input.value = "";
    if (file) handler(file);
  });
}

/**
 * A small square of colour beside a name (a class, a run). Coloured through the CSSOM: the page's CSP
 * (style-src 'self') refuses style attributes.
 * @param {string} colour a CSS colour
 */
export function swatch(colour) {
  const node = el("span", { className: "swatch", attrs: { "aria-hidden": "true" } });
  node.style.background = colour;
  return node;
}
