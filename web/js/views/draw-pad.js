import { $, say } from "../dom.js";

const SIZE = 256; // the canvas's own pixels; CSS scales it to the layout
const PEN = 26; // stroke width in canvas pixels: about a tenth of the pad, like the digits' strokes

/**
 * A square drawing pad. Pointer Events give mouse, touch and pen alike;
 * `touch-action: none` (CSS) keeps touch drawing from scrolling the page.
 * Strokes are kept as point lists, so Undo can redraw all but the last.
 */
export class DrawPad {
  constructor(root = document) {
    this.panel = $('[data-testid="draw-panel"]', root);
    this.note = $('[data-testid="pad-note"]', root);
    this.canvas = $('[data-testid="draw-canvas"]', root);
    this.clearButton = $('[data-testid="clear-canvas"]', root);
    this.undoButton = $('[data-action="undo"]', root);
    this.testIndex = $('[data-testid="test-digit-index"]', root);
    this.testButton = $('[data-action="test-digit"]', root);
    this.testMessage = $('[data-testid="test-digit-message"]', root);
    this.canvas.width = SIZE;
    this.canvas.height = SIZE;
    this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    this.strokes = [];
    this.current = null;
    this.handlers = { onChange: () => {} };
    this.canvas.addEventListener("pointerdown", (e) => this.down(e));
    this.canvas.addEventListener("pointermove", (e) => this.move(e));
    this.canvas.addEventListener("pointerup", (e) => this.up(e));
    this.canvas.addEventListener("pointercancel", (e) => this.up(e));
    this.clearButton.addEventListener("click", () => this.clear());
    this.undoButton.addEventListener("click", () => this.undo());
    this.canvas.addEventListener("keydown", (e) => this.key(e));
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.canvas.closest("section").contains(document.activeElement)) this.clear();
    });
    this.redraw();
  }

  /** What the held-out digit on the pad is (or why it could not be drawn), beside its controls. */
  sayTestDigit(text, kind = "info") {
    say(this.testMessage, text, kind);
  }

  /** The pad is for image data only. */
  setVisible(visible) {
    this.panel.hidden = !visible;
  }

  /** Say how a drawing becomes the open image data's input (what mlp/drawing.py does for its kind of pixels). */
  describe(dataset) {
    const [rows, columns] = dataset.image_shape;
    this.note.textContent = dataset.pixels === "counts"
      ? `Draw large, filling the box. Your drawing is turned into the same ${rows}x${columns} block counts the network was trained on, in Python (mlp/drawing.py).`
      : `Draw it any size: as MNIST's digits were made, your drawing is fitted into 20x20 pixels in grey levels and placed in a ${rows}x${columns} frame by its centre of mass, in Python (mlp/drawing.py).`;
  }

  /**
   * @param {{onChange: (kind: "move"|"end"|"clear") => void, onTestDigit: (index: number) => void}} handlers
   */
  bind(handlers) {
    this.handlers = handlers;
    this.testButton.addEventListener("click", () => {
      const index = Number(this.testIndex.value.trim() || NaN);
      handlers.onTestDigit(Number.isInteger(index) ? index : -1);
    });
  }

  point(event) {
    const rect = this.canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) / rect.width) * SIZE, ((event.clientY - rect.top) / rect.height) * SIZE];
  }

  down(event) {
    event.preventDefault();
    delete this.canvas.dataset.sampleIndex;
    this.sayTestDigit(""); // the pad holds your drawing now
    this.canvas.setPointerCapture(event.pointerId);
    this.current = [this.point(event)];
    this.strokes.push(this.current);
    this.redraw();
    this.handlers.onChange("move");
  }

  move(event) {
    if (!this.current) return;
    const points = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const p of points.length ? points : [event]) this.current.push(this.point(p));
    this.redraw();
    this.handlers.onChange("move");
  }

  up(event) {
    if (!this.current) return;
    this.current = null;
    if (this.canvas.hasPointerCapture(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    this.handlers.onChange("end");
  }

  key(event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "z") {
      event.preventDefault();
      this.undo();
    }
  }

  /** Remove every stroke. */
  clear() {
    delete this.canvas.dataset.sampleIndex;
    this.sayTestDigit("");
    this.strokes = [];
    this.current = null;
    this.redraw();
    this.handlers.onChange("clear");
  }

  /** Remove the last stroke. */
  undo() {
    this.strokes.pop();
    this.redraw();
    this.handlers.onChange(this.strokes.length ? "end" : "clear");
  }

  get empty() {
    return this.strokes.length === 0;
  }

  /** Paint every stroke: round caps and joins, midpoints smoothed with quadratic curves. */
  redraw() {
    const ctx = this.ctx;
    ctx.clearRect(0, 0, SIZE, SIZE);
    ctx.strokeStyle = "#111";
    ctx.fillStyle = "#111";
    ctx.lineWidth = PEN;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    for (const stroke of this.strokes) {
      if (stroke.bitmap) {
        this.paintBitmap(stroke.bitmap);
        continue;
      }
      ctx.beginPath();
      ctx.moveTo(...stroke[0]);
      if (stroke.length === 1) ctx.lineTo(stroke[0][0] + 0.01, stroke[0][1]);
      for (let i = 1; i < stroke.length - 1; i++) {
        const [x, y] = stroke[i];
        const [nx, ny] = stroke[i + 1];
        ctx.quadraticCurveTo(x, y, (x + nx) / 2, (y + ny) / 2);
      }
      if (stroke.length > 1) ctx.lineTo(...stroke[stroke.length - 1]);
      ctx.stroke();
    }
  }

  /** Paint rows of ink 0..1 (a 32x32 binary bitmap, or a grey image), each value as a square's opacity. */
  paintBitmap(bitmap) {
    const { ctx } = this;
    const cell = SIZE / bitmap.length;
    bitmap.forEach((row, r) => row.forEach((ink, c) => {
      if (!ink) return;
      const [x, y] = [Math.round(c * cell), Math.round(r * cell)]; // whole pixels: no seams between squares
      ctx.globalAlpha = ink;
      ctx.fillRect(x, y, Math.round((c + 1) * cell) - x, Math.round((r + 1) * cell) - y);
    }));
    ctx.globalAlpha = 1;
  }

  /** Replace the drawing with a held-out image (rows of ink 0..1), as one undoable stroke. */
  showBitmap(bitmap) {
    this.strokes = [Object.assign([], { bitmap })];
    this.redraw();
    this.handlers.onChange("end");
  }

  /** The ink of every pixel (its alpha, 0..255), row by row, and the canvas size. */
  ink() {
    const { data } = this.ctx.getImageData(0, 0, SIZE, SIZE);
    const alpha = new Uint8Array(SIZE * SIZE);
    for (let i = 0; i < alpha.length; i++) alpha[i] = data[i * 4 + 3];
    return { pixels: alpha, width: SIZE, height: SIZE };
  }
}
