import uPlot from "../../vendor/uplot/uPlot.esm.js";

/** The plot's height: the container's --chart-height (the stylesheet sets it per layout), else 220 px. */
const heightOf = (container) => Number.parseFloat(getComputedStyle(container).getPropertyValue("--chart-height")) || 220;

/** Whole-epoch tick spacings: no "1.5" on an axis of epochs. */
const EPOCH_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * A live line chart over epochs, built on uPlot (vendored from npm).
 * Offers reset() and addDataPoint(), like TensorFlow Playground's charts;
 * uPlot's legend shows the values under the cursor.
 */
export class LineChart {
  /**
   * @param {HTMLElement} container
   * @param {{title: string, series: {label: string, stroke: string, dash?: number[]}[], yRange?: [number, number] | Function}} options
   *   yRange: fixed, or uPlot's range function (u, min, max) => [low, high].
   */
  constructor(container, { title, series, yRange }) {
    this.container = container;
    this.series = series;
    this.data = [[], ...series.map(() => [])];
    const width = Math.max(container.clientWidth, 200);
    this.plot = new uPlot(
      {
        title,
        width,
        height: heightOf(container),
        scales: { x: { time: false }, y: yRange ? { range: yRange } : { auto: true } },
        axes: [{ label: "epoch", incrs: EPOCH_STEPS }, {}],
        series: [
          { label: "epoch", value: (u, v) => (v == null ? "–" : String(v)) },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            dash: s.dash,
            width: 2,
            value: (u, v) => (v == null ? "–" : v.toFixed(4)),
          })),
        ],
        legend: { live: true },
      },
      this.data,
      container,
    );
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
  }

  /** Remove every point. */
  reset() {
    this.data = [[], ...this.series.map(() => [])];
    this.plot.setData(this.data);
  }

  /**
   * Append one x and a y per series (null for a gap).
   * @param {number} x
   * @param {(number|null)[]} ys
   */
  addDataPoint(x, ys) {
    this.data[0].push(x);
    ys.forEach((y, i) => this.data[i + 1].push(y ?? null));
    this.plot.setData(this.data);
  }

  resize() {
    const width = Math.max(this.container.clientWidth, 200);
    const height = heightOf(this.container);
    if (width !== this.plot.width || height !== this.plot.height) this.plot.setSize({ width, height });
  }
}
