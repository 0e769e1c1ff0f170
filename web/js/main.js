/** Composes the page: the settings, the Python runtime, the views and the app between them. */
import { App } from "./app.js";
import { runtime } from "./boot.js";
import { LineChart } from "./charts/line-chart.js";
import { $ } from "./dom.js";
import { Drawing } from "./drawing.js";
import { whyNotIsolated } from "./runtime.js";
import { loadLastVisit } from "./storage.js";
import { Settings, csvLimits } from "./state.js";
import { AugmentView } from "./views/augment-view.js";
import { CodeView } from "./views/code-view.js";
import { EvaluationView } from "./views/evaluation-view.js";
import { GradCheckView } from "./views/gradcheck-view.js";
import { InsideView } from "./views/inside-view.js";
import { DatasetView } from "./views/dataset-view.js";
import { DrawPad } from "./views/draw-pad.js";
import { ModelView } from "./views/model-view.js";
import { NetworkView } from "./views/network-view.js";
import { PlaneView } from "./views/plane-view.js";
import { PredictionView } from "./views/prediction-view.js";
import { RunsView } from "./views/runs-view.js";
import { SampleView } from "./views/sample-view.js";
import { SettingsView } from "./views/settings-view.js";
import { StatusView } from "./views/status-view.js";
import { TeachView } from "./views/teach-view.js";
import { TrainingView } from "./views/training-view.js";
import { WeightsView } from "./views/weights-view.js";

/** Accuracy axis: up to 1, from just under the lowest value (rounded to 0.05), so late gains stay visible. */
function accuracyRange(u, min) {
  return [min == null ? 0 : Math.max(0, Math.floor(min * 20) / 20), 1];
}

/** The datasets' manifest and the settings' schema, both written by build.py from Python. */
/**
 * The per-epoch charts' lines for a score ("loss" or "accuracy"): training, the validation split (shown when
 * there is one), the held-out split; each draws its number of mlp.training.History's epoch records.
 */
const epochSeries = (score) => [
  { label: "train", key: score, stroke: "#1a5fb4" },
  { label: "validation", key: `val_${score}`, stroke: "#26a269", dash: [2, 3] },
  { label: "held-out", key: `test_${score}`, stroke: "#c64600", dash: [6, 4] },
];

const [schema, datasets] = await Promise.all(
  ["config-schema.json", "data/datasets.json"].map((path) => fetch(path, { cache: "no-cache" }).then((r) => r.json())),
);
/**
 * Where to open: the link's dataset and settings; without a link, where the last visit in this browser
 * left off (a CSV of yours is opened once Python is up: App.onReady); else the first dataset, the
 * digits, which Python opens first.
 */
function startingPoint() {
  const link = location.hash.replace(/^#/, "");
  const last = link ? null : loadLastVisit();
  const hash = link || last?.hash || "";
  const name = link ? new URLSearchParams(link).get("dataset") : last?.dataset;
  const found = datasets.datasets.find((d) => d.name === name);
  return {
    dataset: found ?? datasets.datasets[0],
    hash,
    ownCsv: !link && name && !found ? name : null,
    linkSettings: [...new URLSearchParams(hash).keys()].some((key) => key !== "dataset"),
    notice: link && name && !found ? [`dataset: "${name}" is not one of the datasets; using the digits.`] : [],
  };
}

const { dataset, hash, ownCsv, linkSettings, notice: datasetNotice } = startingPoint();
const settings = new Settings(schema, dataset);
const notices = [...datasetNotice, ...settings.loadHash(hash)];
if (hash && !location.hash) history.replaceState(null, "", `#${hash}`); // where the last visit left off, as a link
const noticeBox = $('[data-testid="notice"]');

const views = {
  status: new StatusView(),
  dataset: new DatasetView(datasets.datasets, schema.plane_settings, csvLimits(schema)),
  plane: new PlaneView(schema.plane_colours),
  sample: new SampleView(dataset),
  settingsView: new SettingsView(schema, dataset),
  network: new NetworkView(),
  training: new TrainingView(),
  evaluation: new EvaluationView(dataset),
  weights: new WeightsView(dataset),
  augment: new AugmentView(dataset),
  code: new CodeView(),
  gradcheck: new GradCheckView(),
  inside: new InsideView(),
  model: new ModelView(),
  runs: new RunsView(),
  lossChart: new LineChart($('[data-testid="loss-chart"]'), {
    title: "Loss per epoch",
    empty: "The training and held-out loss after each epoch (and the validation loss, with a validation split), drawn as the network trains.",
    series: epochSeries("loss"),
  }),
  accuracyChart: new LineChart($('[data-testid="accuracy-chart"]'), {
    title: "Accuracy per epoch",
    empty: "The training and held-out accuracy after each epoch (and the validation accuracy, with a validation split), drawn as the network trains.",
    series: epochSeries("accuracy"),
    yRange: accuracyRange,
  }),
  notice: (text) => {
    noticeBox.textContent = text;
    noticeBox.hidden = false;
  },
};

// The pad starts on the digits, and follows the open dataset's images (hidden for other data).
const digits = datasets.datasets.find((d) => d.name === "digits");
const drawing = new Drawing({
  runtime,
  dataset: digits,
  pad: new DrawPad(),
  prediction: new PredictionView(digits),
  teach: new TeachView(digits),
  download: (text, name) => views.model.download(text, name),
  onModelChanged: () => app.models.changed("your fine-tuned model"),
});
const app = new App({ settings, runtime, views, drawing, datasets: datasets.datasets, linkSettings, resumeCsv: ownCsv });
for (const view of [views.dataset, views.training, views.model, views.plane]) view.setDataset(dataset);
drawing.setDataset(dataset);

/**
 * Keep the site for the next visit and offline use; only once Python is up, so it never competes with
 * the first load. A newer build, once downloaded, waits until the learner chooses to reload (sw.js).
 */
let serviceWorkerRegistered = false;
function registerServiceWorker() {
  if (serviceWorkerRegistered || !("serviceWorker" in navigator)) return;
  serviceWorkerRegistered = true;
  const updateNotice = $('[data-testid="update-notice"]');
  let takingOver = false;
  const offer = (worker) => {
    updateNotice.hidden = false;
    $("button", updateNotice).onclick = () => {
      takingOver = true;
      worker.postMessage({ type: "take-over" });
    };
  };
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (takingOver) location.reload();
  });
  navigator.serviceWorker
    .register("sw.js")
    .then((registration) => {
      if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
      registration.addEventListener("updatefound", () => {
        const worker = registration.installing;
        worker?.addEventListener("statechange", () => {
          if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
        });
      });
    })
    .catch(() => {});
}
app.bind();
addEventListener("hashchange", () => app.followLink(location.hash));
app.datasets.restoreCsvs();
drawing.bind();
app.showSettings(notices);
views.training.showStopLimits(whyNotIsolated()); // known before Python is up; App.onReady says it again
delete document.body.dataset.starting; // the views are drawn: show them (style.css)
// Python started in boot.js; from here on the views hear of it (and of anything it did before).
runtime.listen({
  onStage: (event) => views.status.showStage(event),
  onError: (message) => {
    drawing.setReady(false);
    app.runtimeLost();
    views.status.showError(message);
  },
  onReady: async (summary) => {
    await app.onReady(summary);
    drawing.setReady(true);
    registerServiceWorker();
  },
});
