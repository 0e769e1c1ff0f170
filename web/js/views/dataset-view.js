import { $, el, onFilePicked, say } from "../dom.js";

/**
 * The dataset picker, the 2-D sets' generator (points, noise, seed, the
 * number of classes of the sets that take one, Regenerate), your own CSV
 * (upload; its label column, task and columns to use, chosen before the
 * file is used and changed after; remove; and what a CSV may hold), and a
 * sentence about the data that is open. Errors go to
 * their own box; the picker stays on the dataset that is open.
 */
export class DatasetView {
  /**
   * @param {object[]} entries The datasets.json entries, in the order to offer them.
   * @param {object} planeSettings config-schema.json's plane_settings (mlp.planes.SETTINGS).
   * @param {{megabytes: number, rows: number, columns: number, categories: number}} limits What a CSV may hold
   *   (state.js csvLimits).
   * @param {ParentNode} [root]
   */
  constructor(entries, planeSettings, limits, root = document) {
    this.select = $('[data-testid="dataset-select"]', root);
    this.status = $('[data-testid="dataset-status"]', root);
    this.error = $('[data-testid="dataset-error"]', root);
    this.upload = $('[data-testid="csv-upload"]', root);
    this.csvOptions = $(".csv-options", root);
    this.labelSelect = $('[data-testid="label-column"]', root);
    this.taskSelect = $('[data-testid="csv-task"]', root);
    this.useButton = $('[data-testid="csv-use"]', root);
    this.useRow = $(".csv-use", root);
    this.columnsBox = $('[data-testid="csv-columns"]', root);
    this.csvNote = $('[data-testid="csv-note"]', root);
    this.maxCategories = limits.categories;
    this.forgetButton = $('[data-action="forget-dataset"]', root);
    this.planeControls = $(".plane-controls", root);
    this.regenerateButton = $('[data-action="regenerate"]', root);
    this.planeSettings = planeSettings;
    this.planeLabels = {};
    this.planeInputs = Object.fromEntries(Object.entries(planeSettings).map(([key, spec]) => {
      const input = el("input", { attrs: { id: `plane-${key}`, type: "text", autocomplete: "off",
        inputmode: spec.type === "int" ? "numeric" : "decimal", "data-testid": `plane-${key.replace("_", "-")}` } });
      this.planeLabels[key] = el("label", { text: spec.label, attrs: { for: input.id } });
      this.regenerateButton.before(this.planeLabels[key], input);
      return [key, input];
    }));
    const count = (n) => n.toLocaleString("en");
    $('[data-testid="csv-limits"]', root).textContent =
      `Up to ${limits.megabytes} MB, ${count(limits.rows)} rows and ${count(limits.columns)} columns. A column of text `
      + `with up to ${limits.categories} categories becomes one feature per category, 1 in its rows and 0 elsewhere `
      + "(one-hot); one with more is left out.";
    this.own = el("optgroup", { attrs: { label: "Your data (kept in this browser)" } });
    this.select.replaceChildren(...entries.map((d) => el("option", { text: d.title, attrs: { value: d.name } })));
  }

  /** The page's layout follows the kind of data (style.css: body[data-kind]): the pad for images, the plane for 2-D sets. */
  setDataset(entry) {
    document.body.dataset.kind = entry.kind;
  }

  /** Offer one of your own datasets in the picker (replacing an older one of the same name). */
  addOwn(entry) {
    this.removeOwn(entry.name);
    this.own.append(el("option", { text: `${entry.title} (your CSV)`, attrs: { value: entry.name } }));
    if (!this.own.isConnected) this.select.append(this.own);
  }

  removeOwn(name) {
    for (const option of this.own.querySelectorAll("option")) if (option.value === name) option.remove();
    if (!this.own.children.length) this.own.remove();
  }

  /**
   * Show which dataset is open, and what it holds.
   * @param {object} entry Its description (a datasets.json entry, or your CSV's).
   * @param {{n_train: number, n_val?: number, n_test: number, column_kinds?: object[], label?: string, ignored?: string[],
   *          ignore?: string[], encoded?: object, task?: ?string}} opened
   * @param {string} [note] Said after the description.
   */
  show(entry, opened, note = "") {
    this.select.value = entry.name;
    const { n_test: test, n_val: validation = 0 } = opened;
    const train = opened.n_train + validation; // the training split; a validation fraction is carved from it at each reset
    const what = entry.task === "regression" ? `a number to predict (${entry.target_name})` : `${entry.classes.length} classes (${entry.classes.join(", ")})`;
    const features = entry.kind === "image" ? `${entry.image_shape.join("x")} images` : `${entry.n_features} features`;
    const own = entry.own ? " Your own data: it stays in this browser, so a link to this page cannot bring it along." : "";
    const quoted = (columns) => columns.map((c) => `“${c}”`).join(", ");
    const encoded = Object.entries(opened.encoded ?? {});
    const oneHot = encoded.length
      ? ` One-hot: ${encoded.map(([c, categories]) => `“${c}” (${categories.length} categories)`).join(", ")}.` : "";
    const ignored = opened.ignored?.length ? ` Left out: ${quoted(opened.ignored)}.` : "";
    say(this.status, `${train + test} ${entry.noun}: ${features}, ${what}; ${train} to train on, ${test} held out.${oneHot}${ignored}${own}${note}`);
    this.status.dataset.name = entry.name;
    Object.assign(this.status.dataset, { rows: String(train + test), features: String(entry.n_features),
      classes: String(entry.classes?.length ?? 0) });
    this.planeControls.hidden = entry.kind !== "plane";
    for (const [key, input] of Object.entries(this.planeInputs)) { // a setting for some sets only (classes)
      const sets = this.planeSettings[key].sets;
      input.hidden = this.planeLabels[key].hidden = Boolean(sets) && !sets.includes(entry.name);
    }
    this.forgetButton.hidden = !entry.own;
    this.csvOptions.hidden = this.columnsBox.hidden = !entry.own;
    this.useRow.hidden = this.csvNote.hidden = true;
    if (entry.own) this.showCsvChoices({ columns: opened.column_kinds, label: opened.label, task: opened.task,
      ignore: opened.ignore ?? [] });
    this.showError("");
  }

  /**
   * A CSV picked but not used yet: its columns, the label a plain read takes (and why, or its problem), for the
   * learner to choose the label column, the task and the columns first; then "Use this file".
   * @param {{file: string, columns: object[], label: string, task: ?string, ignore: string[], label_note: string,
   *          problem: string}} pending
   */
  showPending(pending) {
    this.csvOptions.hidden = this.columnsBox.hidden = this.useRow.hidden = this.csvNote.hidden = false;
    this.showCsvChoices(pending);
    const why = [pending.label_note, pending.problem && `As it is: ${pending.problem}.`].filter(Boolean).join(" ");
    say(this.csvNote, `${pending.file} is not used yet: check the label column, the task and the columns to use, `
      + `then press Use this file.${why ? ` ${why}` : ""}`, pending.problem ? "error" : "info");
    this.showError("");
    this.useButton.focus();
  }

  /**
   * Show a CSV's choices: the label column and the task, and a box per other column, ticked when it is used (a
   * column of text with too many categories cannot be).
   * @param {{columns: {name: string, kind: string, categories?: number}[], label: string, task: ?string,
   *          ignore: string[]}} choices
   */
  showCsvChoices({ columns, label, task, ignore }) {
    this.labelSelect.replaceChildren(...columns.map((c) => el("option", { text: c.name, attrs: { value: c.name } })));
    this.labelSelect.value = label;
    this.taskSelect.value = task ?? "";
    const boxes = columns.filter((c) => c.name !== label).map((column, i) => {
      const crowded = column.kind === "text" && column.categories > this.maxCategories;
      const box = el("input", { attrs: { type: "checkbox", id: `csv-column-${i}`, "data-column": column.name } });
      box.checked = !crowded && !ignore.includes(column.name);
      box.disabled = crowded;
      const kind = column.kind === "numbers" ? "numbers"
        : crowded ? `text, ${column.categories} values: more than ${this.maxCategories}, left out`
          : `text, ${column.categories} categories: one-hot`;
      const tag = el("label", { attrs: { for: box.id } });
      tag.append(box, el("span", { text: column.name, className: "name" }), el("span", { text: `(${kind})`, className: "kind" }));
      return tag;
    });
    this.columnsBox.replaceChildren(this.columnsBox.querySelector("legend"), ...boxes);
  }

  /** The columns left unticked, that the learner asks to ignore. */
  get ignoredColumns() {
    return [...this.columnsBox.querySelectorAll("input:not(:checked):not(:disabled)")].map((box) => box.dataset.column);
  }

  /** After a CSV is removed: an Undo button beside the sentence that says so, until the next dataset is shown. */
  offerUndo(name, onUndo) {
    const undo = el("button", { text: "Undo", className: "secondary small",
      attrs: { type: "button", "data-action": "undo-forget", "aria-label": `Undo: bring ${name} back` } });
    undo.addEventListener("click", () => {
      undo.remove();
      onUndo();
    }, { once: true });
    this.status.append(" ", undo);
  }

  /** Show a 2-D set's generator settings: the points on screen were made with them. */
  showPlane(values) {
    this.applied = Object.fromEntries(this.shownPlaneInputs.map(([key]) => [key, String(values[key])]));
    for (const [key, input] of this.shownPlaneInputs) input.value = this.applied[key];
    this.markPending();
  }

  /** The generator's inputs the open set takes, as [name, input] pairs. */
  get shownPlaneInputs() {
    return Object.entries(this.planeInputs).filter(([, input]) => !input.hidden);
  }

  /** The generator's settings as typed (those the open set takes). */
  get planeRaw() {
    return Object.fromEntries(this.shownPlaneInputs.map(([key, input]) => [key, input.value]));
  }

  /** Whether the typed generator settings are not those of the points on screen (then Train regenerates first). */
  get planePending() {
    return !this.planeControls.hidden && this.shownPlaneInputs.some(([key, input]) => input.value !== this.applied?.[key]);
  }

  /** Regenerate says so while the typed settings wait to be applied. */
  markPending() {
    const pending = this.planePending;
    this.regenerateButton.classList.toggle("pending", pending);
    this.regenerateButton.textContent = pending ? "Regenerate (Train does it first)" : "Regenerate";
  }

  /** A problem with a file or a switch; "" clears (and hides) it. */
  showError(text) {
    say(this.error, text, "error");
    this.error.hidden = !text;
  }

  /** @param {string} text @param {"info"|"error"} [kind] */
  say(text, kind = "info") {
    say(this.status, text, kind);
  }

  /** Put the picker back on the dataset that is open (after a failed switch). */
  showSelected(name) {
    this.select.value = name;
  }

  setEnabled(enabled) {
    const controls = [this.select, this.upload, this.labelSelect, this.taskSelect, this.forgetButton, this.regenerateButton,
      this.useButton];
    for (const control of controls) control.disabled = !enabled;
    this.columnsBox.disabled = !enabled;
  }

  /**
   * @param {{onPick: (name: string) => void, onCsv: (file: File) => void, onLabel: (column: string) => void,
   *          onTask: (task: string) => void, onIgnore: (columns: string[]) => void, onUseCsv: () => void,
   *          onForget: () => void, onRegenerate: (raw: object) => void}} handlers
   */
  bind({ onPick, onCsv, onLabel, onTask, onIgnore, onUseCsv, onForget, onRegenerate }) {
    this.regenerateButton.addEventListener("click", () => onRegenerate(this.planeRaw));
    for (const input of Object.values(this.planeInputs)) input.addEventListener("input", () => this.markPending());
    this.select.addEventListener("change", () => onPick(this.select.value));
    onFilePicked(this.upload, onCsv);
    this.labelSelect.addEventListener("change", () => onLabel(this.labelSelect.value));
    this.taskSelect.addEventListener("change", () => onTask(this.taskSelect.value));
    this.columnsBox.addEventListener("change", () => onIgnore(this.ignoredColumns));
    this.useButton.addEventListener("click", onUseCsv);
    this.forgetButton.addEventListener("click", onForget);
  }
}
