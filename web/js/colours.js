/**
 * Playground's colours, one meaning everywhere on the page: blue for positive (or the second
 * class, or high), orange for negative (or the first class, or low), white for zero between them.
 */
export const ORANGE = [245, 147, 34];
export const BLUE = [8, 119, 189];
export const WHITE = [255, 255, 255];

/** "#rrggbb", as SVG attributes and CSS take it. */
export const hex = (rgb) => `#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}`;

/** Between colours a and b, at t in 0..1. */
export function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** A signed value's colour, scaled by `scale` (its largest magnitude): orange below 0, white at 0, blue above. */
export function signed(value, scale) {
  const t = Math.min(1, Math.abs(value) / scale);
  return mix(WHITE, value >= 0 ? BLUE : ORANGE, t);
}
