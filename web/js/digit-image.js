/**
 * Draw an 8x8 digit (64 values, 0..16) into a canvas of 8x8 device pixels;
 * CSS scales it up with crisp pixels. Ink is dark on white, as on paper.
 * @param {HTMLCanvasElement} canvas
 * @param {number[]} pixels
 * @param {number} [maxValue]
 */
export function drawDigit(canvas, pixels, maxValue = 16) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(8, 8);
  pixels.forEach((v, i) => {
    const shade = 255 - Math.round((255 * Math.min(Math.max(v, 0), maxValue)) / maxValue);
    image.data.set([shade, shade, shade, 255], i * 4);
  });
  ctx.putImageData(image, 0, 0);
}
