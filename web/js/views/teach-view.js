import { $, el, onFilePicked, say } from "../dom.js";

/** "Teach it": label the drawing, keep it in a personal set, fine-tune, export and import the set. */
export class TeachView {
  /**
   * @param {{classes: string[]}} dataset Its entry in data/datasets.json: the labels to choose from.
   * @param {ParentNode} [root]
   */
  constructor(dataset, root = document) {
    this.label = $('[data-testid="teach-label"]', root);
    this.setDataset(dataset);
    this.addButton = $('[data-action="teach-add"]', root);
    this.count = $('[data-testid="personal-count"]', root);
    this.fineTuneButton = $('[data-action="fine-tune"]', root);
    this.exportButton = $('[data-action="export-personal"]', root);
    this.importInput = $('[data-testid="import-personal"]', root);
    this.forgetButton = $('[data-action="forget-personal"]', root);
    this.message = $('[data-testid="teach-message"]', root);
  }

  /** The labels to choose from are the open image dataset's classes. */
  setDataset(dataset) {
    this.label.replaceChildren(...dataset.classes.map((name, i) => el("option", { text: name, attrs: { value: String(i) } })));
  }

  showCount(n) {
    this.count.textContent = n === 1 ? "1 digit in your set" : `${n} digits in your set`;
    this.count.dataset.value = String(n);
  }

  setEnabled({ canAdd, canTune }) {
    this.addButton.disabled = !canAdd;
    this.fineTuneButton.disabled = !canTune;
    this.exportButton.disabled = !canTune;
    this.forgetButton.disabled = !canTune;
  }

  /** @param {string} text @param {"info"|"error"} [kind] */
  say(text, kind = "info") {
    say(this.message, text, kind);
  }

  bind({ onAdd, onFineTune, onExport, onImport, onForget }) {
    this.addButton.addEventListener("click", () => onAdd(Number(this.label.value)));
    this.fineTuneButton.addEventListener("click", onFineTune);
    this.exportButton.addEventListener("click", onExport);
    this.forgetButton.addEventListener("click", onForget);
    onFilePicked(this.importInput, onImport);
  }
}
