/**
 * Numbers as the page writes them: one minus sign (U+2212) everywhere, and
 * values in the data's own units as plain numbers with thousands separators.
 */

const trueMinus = (text) => text.replaceAll("-", "\u2212");

/** Four significant digits, no trailing zeros: 0.1235, −6.716e−7. */
export const short = (value, digits = 4) => trueMinus(Number(value.toPrecision(digits)).toString());

/** Exponent notation: 3.1e−11. */
export const exponent = (value, digits) => trueMinus(value.toExponential(digits));

/** Fixed decimals: 0.9867, −0.0312. */
export const fixed = (value, digits) => trueMinus(value.toFixed(digits));

/** In the data's units: 21,230 or 0.04231 (four significant digits), as a reader of that column writes them. */
export const inUnits = (value) => trueMinus(value.toLocaleString("en", { maximumSignificantDigits: 4 }));

/** A wait in seconds, as a person reads it: 4.2 s, 3 min 5 s ("–" if not known yet). */
export function duration(s) {
  if (!Number.isFinite(s)) return "–";
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * Round tick values for an axis from low to high: steps of 1, 2 or 5 times a power of ten.
 * @returns {number[]}
 */
export function ticks(low, high, about = 5) {
  const span = high - low;
  if (!(span > 0)) return [low];
  const raw = span / about;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
