/** Composes the page: views, the Python runtime, and the handlers between them. */
import { Runtime } from "./runtime.js";
import { SampleView } from "./views/sample-view.js";
import { StatusView } from "./views/status-view.js";

const status = new StatusView();
const sample = new SampleView();
let sampleIndex = 0;

async function showSample() {
  const digit = await runtime.call("test_sample", [sampleIndex]);
  const prediction = await runtime.call("predict", [digit.image]);
  sample.show(digit, prediction);
}

const runtime = new Runtime({
  onStage: (event) => status.showStage(event),
  onError: (message) => status.showError(message),
  onReady: async (summary) => {
    status.setState("ready", `Python ready in ${(summary.ms / 1000).toFixed(1)} s (Pyodide ${summary.pyodideVersion})`);
    sample.setNote(
      `Pretrained model: ${summary.model.dimensions.join("-")} (${summary.model.activations.join(", ")}), ` +
        `${(100 * summary.pretrainedAccuracy).toFixed(1)} % on held-out digits.`,
    );
    await showSample().catch((err) => status.showError(err.message));
  },
});

status.bindRetry(() => {
  status.reset();
  runtime.start();
});
sample.bindNext(() => {
  sampleIndex += 1;
  showSample().catch((err) => status.showError(err.message));
});

runtime.start();
