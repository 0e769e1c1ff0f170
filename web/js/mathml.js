/**
 * Build MathML with the DOM: the browser typesets it natively (MathML Core),
 * screen readers read it as maths, and the page ships no maths library or font.
 * Strings become identifiers (<mi>), numbers <mn>, and "op:" strings operators.
 */
const NS = "http://www.w3.org/1998/Math/MathML";

/** @param {string} tag @param {...(Node|string|number)} children */
export function m(tag, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const child of children) node.append(typeof child === "object" ? child : token(child));
  return node;
}

/** A token: a number is <mn>, "op:x" is the operator x, anything else an identifier. */
function token(value) {
  if (typeof value === "number") return m("mn", String(value));
  if (value.startsWith("op:")) {
    const node = document.createElementNS(NS, "mo");
    node.textContent = value.slice(3);
    return node;
  }
  const node = document.createElementNS(NS, "mi");
  node.textContent = value;
  return node;
}

/** x with a subscript: sub("z", 2) is z₂. */
export const sub = (base, index) => m("msub", base, typeof index === "number" ? m("mn", String(index)) : index);

/** x with a superscript. */
export const sup = (base, power) => m("msup", base, power);

/** A whole formula, in display style (full-size fractions), laid out by the stylesheet. */
export function math(...children) {
  return m("math", m("mrow", ...children));
}
