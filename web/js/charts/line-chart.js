/** The plot's height: the container's --chart-height (the stylesheet sets it per layout), else 220 px. */
const heightOf = (container) => Number.parseFloat(getComputedStyle(container).getPropertyValue("--chart-height")) || 220;

/** Whole-epoch tick spacings: no "1.5" on an axis of epochs. */
const EPOCH_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** uPlot (vendored from npm), loaded with the first chart drawn: no start-up work for an empty chart. */
let uPlotModule = null;
const loadUPlot = () => (uPlotModule ??= import("../../vendor/uplot/uPlot.esm.js").then((m) => m.default));

/**
 * A live line chart over epochs, built on uPlot. Offers reset() and
 * addDataPoint(), like TensorFlow Playground's charts; uPlot's legend shows
 * the values under the cursor. Until the first point, the container shows
 * only its title and what will be drawn there, in the room the plot will
 * take (style.css), so the page does not move when it appears.
 */
export class LineChart {
  /**
   * @param {HTMLElement} container
   * @param {{title: string, series: {label: string, stroke: string, dash?: number[]}[], yRange?: [number, number] | Function, empty: string}} options
   *   yRange: fixed, or uPlot's range function (u, min, max) => [low, high]; empty: what the chart will show, said until then.
   */
  constructor(container, { title, series, yRange, empty }) {
    this.container = container;
    this.options = { title, series, yRange };
    this.series = series;
    this.data = [[], ...series.map(() => [])];
    this.plot = null;
    this.placeholder = document.createElement("p");
    this.placeholder.className = "chart-placeholder";
    this.placeholder.innerHTML = "<strong></strong><span></span>";
    this.placeholder.firstChild.textContent = title;
    this.placeholder.lastChild.textContent = empty;
    container.replaceChildren(this.placeholder);
  }

  /** Draw the plot, once uPlot has loaded, with every point so far. */
  async draw() {
    const uPlot = await loadUPlot();
    if (this.plot) return;
    const { title, series, yRange } = this.options;
    this.plot = new uPlot(
      {
        title,
        width: Math.max(this.container.clientWidth, 200),
        height: heightOf(this.container),
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
      (u, init) => {
        this.container.replaceChildren(u.root); // in place of the placeholder
        init();
      },
    );
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.container);
  }

  /** Remove every point. */
  reset() {
    this.data = [[], ...this.series.map(() => [])];
    this.plot?.setData(this.data);
  }

  /**
   * Append one x and a y per series (null for a gap).
   * @param {number} x
   * @param {(number|null)[]} ys
   */
  addDataPoint(x, ys) {
    this.data[0].push(x);
    ys.forEach((y, i) => this.data[i + 1].push(y ?? null));
    if (this.plot) this.plot.setData(this.data);
    else this.draw();
  }

  resize() {
    const width = Math.max(this.container.clientWidth, 200);
    const height = heightOf(this.container);
    if (width !== this.plot.width || height !== this.plot.height) this.plot.setSize({ width, height });
  }
}
