/**
 * Draw one sample's features as a grey image, ink dark on white as on paper,
 * into a canvas of one device pixel per feature; CSS scales it up with crisp
 * pixels. Images use their dataset's shape; other data is drawn as one row.
 * @param {HTMLCanvasElement} canvas
 * @param {number[]} values The features, row-major.
 * @param {{image_shape?: number[]|null, feature_range: number[]}} dataset A datasets.json entry.
 */
export function drawSample(canvas, values, dataset) {
  const [rows, cols] = dataset.image_shape ?? [1, values.length];
  const [low, high] = dataset.feature_range;
  if (canvas.width !== cols || canvas.height !== rows) Object.assign(canvas, { width: cols, height: rows });
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(cols, rows);
  const pixels = image.data; // RGBA bytes, written in place: no array per pixel
  for (let i = 0; i < values.length; i++) {
    const ink = (Math.min(Math.max(values[i], low), high) - low) / (high - low);
    const shade = 255 - Math.round(255 * ink);
    pixels.fill(shade, 4 * i, 4 * i + 3);
    pixels[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/**
 * How the page names one dataset's samples in sentences: "digits" for the digits.
 * @param {{noun?: string}} dataset
 */
export const samplesNoun = (dataset) => dataset.noun ?? "samples";
