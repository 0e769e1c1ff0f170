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
 *
 * Earlier runs can be drawn over the live one (setOverlays): each in its own
 * colour, its series dashed as the live one's are. The chart behind a
 * container is its `lineChart` property, for the console (and the tests).
 */
export class LineChart {
  /**
   * @param {HTMLElement} container
   * @param {{title: string, series: {label: string, key: string, stroke: string, dash?: number[]}[],
   *          yRange?: [number, number] | Function, empty: string}} options
   *   key: the number of an epoch record (mlp.training.History) a series draws; yRange: fixed, or uPlot's range
   *   function (u, min, max) => [low, high]; empty: what the chart will show, said until then.
   */
  constructor(container, { title, series, yRange, empty }) {
    this.container = container;
    container.lineChart = this;
    this.options = { title, series, yRange };
    this.series = series;
    this.data = [[], ...series.map(() => [])];
    /** Earlier runs drawn over this one: {label, stroke, epochs, values: one array per series}. */
    this.overlays = [];
    this.plot = null;
    this.placeholder = document.createElement("p");
    this.placeholder.className = "chart-placeholder";
    this.placeholder.innerHTML = "<strong></strong><span></span>";
    this.placeholder.firstChild.textContent = title;
    this.placeholder.lastChild.textContent = empty;
    container.replaceChildren(this.placeholder);
  }

  /** Draw the plot, once uPlot has loaded, with every point so far (and the overlays). */
  async draw() {
    const uPlot = await loadUPlot();
    if (this.plot) return;
    const { title, series: own, yRange } = this.options;
    const series = [
      ...own,
      ...this.overlays.flatMap((o) => own.map((s) => ({ label: `${o.label} ${s.label}`, stroke: o.stroke, dash: s.dash }))),
    ];
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
            show: s.show ?? true,
            width: 2,
            value: (u, v) => (v == null ? "–" : v.toFixed(4)),
          })),
        ],
        legend: { live: true },
      },
      this.drawn(),
      (u, init) => {
        this.container.replaceChildren(u.root); // in place of the placeholder (or the plot it replaces)
        init();
      },
    );
    this.series.forEach((s, i) => this.showInLegend(i, s.show ?? true));
    if (!this.resizeObserver) {
      this.resizeObserver = new ResizeObserver(() => this.resize());
      this.resizeObserver.observe(this.container);
    }
  }

  /**
   * What uPlot draws: the live run's points, and each overlay's, on one axis of epochs (null where a run has no point).
   * @returns {(number|null)[][]} [epochs, then one array per series: the live run's, then each overlay's]
   */
  drawn() {
    if (this.overlays.length === 0) return this.data;
    const epochs = [...new Set([...this.data[0], ...this.overlays.flatMap((o) => o.epochs)])].sort((a, b) => a - b);
    const along = (xs, ys) => {
      const at = new Map(xs.map((x, i) => [x, ys[i]]));
      return epochs.map((x) => at.get(x) ?? null);
    };
    return [
      epochs,
      ...this.data.slice(1).map((ys) => along(this.data[0], ys)),
      ...this.overlays.flatMap((o) => o.values.map((ys) => along(o.epochs, ys))),
    ];
  }

  /** Draw again with what there is now: the plot if there is one, else the placeholder until a first point. */
  refresh() {
    if (this.plot) this.plot.setData(this.drawn());
    else if (this.data[0].length || this.overlays.length) this.draw();
  }

  /**
   * Show or hide a series (its line and its legend entry), by label.
   * @param {string} label
   * @param {boolean} shown
   */
  showSeries(label, shown) {
    const index = this.series.findIndex((s) => s.label === label);
    if (index < 0 || (this.series[index].show ?? true) === shown) return;
    this.series = this.series.map((s, i) => (i === index ? { ...s, show: shown } : s));
    this.options.series = this.series;
    this.plot?.setSeries(index + 1, { show: shown });
    this.showInLegend(index, shown);
  }

  /** A series hidden by showSeries leaves the legend too: a greyed "validation: –" would only puzzle. */
  showInLegend(index, shown) {
    const row = this.plot?.root.querySelectorAll(".u-legend .u-series")[index + 1];
    if (row) row.hidden = !shown;
  }

  /** Remove every point of the live run. */
  reset() {
    this.data = [[], ...this.series.map(() => [])];
    this.refresh();
  }

  /**
   * Draw these earlier runs over the live one (none: the live run alone). The plot is made again, as its series change.
   * @param {{label: string, stroke: string, epochs: number[], values: (number|null)[][]}[]} overlays
   */
  setOverlays(overlays) {
    this.overlays = overlays;
    const old = this.plot;
    this.plot = null;
    if (this.data[0].length || overlays.length) this.draw().then(() => old?.destroy());
    else {
      old?.destroy();
      this.container.replaceChildren(this.placeholder);
    }
  }

  /**
   * Append one x and a y per series (null for a gap).
   * @param {number} x
   * @param {(number|null)[]} ys
   */
  addDataPoint(x, ys) {
    this.data[0].push(x);
    ys.forEach((y, i) => this.data[i + 1].push(y ?? null));
    this.refresh();
  }

  resize() {
    if (!this.plot) return;
    const width = Math.max(this.container.clientWidth, 200);
    const height = heightOf(this.container);
    if (width !== this.plot.width || height !== this.plot.height) this.plot.setSize({ width, height });
  }
}
