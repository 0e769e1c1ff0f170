import { $, onFilePicked, say } from "../dom.js";

/** The current model: what it is, Export, Import, back to the pretrained one, and the offer to run a model's code. */
export class ModelView {
  constructor(root = document) {
    this.summary = $('[data-testid="model-summary"]', root);
    this.message = $('[data-testid="model-message"]', root);
    this.exportButton = $('[data-action="export"]', root);
    this.exportScriptButton = $('[data-action="export-script"]', root);
    this.exportNotebookButton = $('[data-action="export-notebook"]', root);
    this.importInput = $('[data-testid="import-model"]', root);
    this.pretrainedButton = $('[data-action="use-pretrained"]', root);
    this.codeOffer = $('[data-testid="model-code-offer"]', root);
    this.codeOfferText = $(".note", this.codeOffer);
    this.runCodeButton = $('[data-action="run-model-code"]', root);
  }

  /**
   * Offer to run the code a model was made with; null takes the offer away.
   * @param {string|null} text what the model needs, in words @param {string} [buttonLabel]
   */
  offerCode(text, buttonLabel) {
    this.codeOffer.hidden = text === null;
    this.codeOfferText.textContent = text ?? "";
    if (buttonLabel) this.runCodeButton.textContent = buttonLabel;
  }

  /** Only the digits have a pretrained model. */
  setDataset(dataset) {
    this.pretrainedButton.hidden = dataset.name !== "digits";
  }

  /** @param {object} summary Session.model_summary() @param {string} origin */
  show(summary, origin) {
    const parts = [
      `${origin}: ${summary.dimensions.join("-")}`,
      `activations ${summary.activations.join(", ")}`,
      summary.loss ? `loss ${summary.loss}` : null,
      `${summary.n_parameters.toLocaleString("en")} parameters`,
    ].filter(Boolean);
    this.summary.textContent = parts.join(" · ");
    this.summary.dataset.origin = origin;
  }

  /** @param {string} text @param {"info"|"error"} [kind] */
  say(text, kind = "info") {
    say(this.message, text, kind);
  }

  setEnabled(enabled) {
    this.exportButton.disabled = !enabled;
    this.exportScriptButton.disabled = !enabled;
    this.exportNotebookButton.disabled = !enabled;
    this.importInput.disabled = !enabled;
    this.pretrainedButton.disabled = !enabled;
    this.runCodeButton.disabled = !enabled;
  }

  /** Offer a file for download. @param {string} text @param {string} filename @param {string} [type] */
  download(text, filename, type = "application/json") {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  bind({ onExport, onImport, onUsePretrained, onRunCode }) {
    this.exportButton.addEventListener("click", onExport);
    this.runCodeButton.addEventListener("click", onRunCode);
    this.pretrainedButton.addEventListener("click", onUsePretrained);
    onFilePicked(this.importInput, onImport);
  }

  /** The run's exports (ExportController). @param {{onScript: Function, onNotebook: Function}} handlers */
  bindExports({ onScript, onNotebook }) {
    this.exportScriptButton.addEventListener("click", onScript);
    this.exportNotebookButton.addEventListener("click", onNotebook);
  }
}
