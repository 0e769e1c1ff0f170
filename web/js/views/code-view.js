import { $ } from "../dom.js";

const EDITOR_MODULE = new URL("../../vendor/codemirror/editor.js", import.meta.url).href;

/**
 * "Your code": the Python that runs in the worker, in a real editor
 * (CodeMirror 6, loaded the first time the view is opened), with Run, Stop,
 * Restore original, the 2017 bug and a new-activation template. It owns the
 * DOM and the editor; what a button does is the app's.
 */
export class CodeView {
  /** @param {ParentNode} [root] */
  constructor(root = document) {
    this.card = $('[data-testid="code-view"]', root);
    this.piece = $("#code-piece", this.card);
    this.host = $(".code-editor", this.card);
    this.actions = $(".code-actions", this.card);
    this.message = $('[data-testid="code-message"]', this.card);
    this.buttons = Object.fromEntries(
      ["open", "run", "stop", "restore", "bug", "swish"].map((name) => [name, $(`[data-action="code-${name}"]`, this.card)]),
    );
    this.editor = null;
    this.editorApi = null;
    /** What bind() was given; the editor, created later, reports to them too. */
    this.handlers = null;
    /** True while show() replaces the text: that change is not the learner's edit. */
    this.showing = false;
  }

  /** @param {{onOpen: Function, onRun: Function, onStop: Function, onRestore: Function, onBug: Function, onSwish: Function, onPiece: Function, onEdit: Function}} handlers */
  bind(handlers) {
    const { open, run, stop, restore, bug, swish } = this.buttons;
    open.addEventListener("click", () => handlers.onOpen(this.piece.value));
    run.addEventListener("click", () => handlers.onRun(this.piece.value, this.text));
    stop.addEventListener("click", () => handlers.onStop());
    restore.addEventListener("click", () => handlers.onRestore(this.piece.value));
    bug.addEventListener("click", () => handlers.onBug());
    swish.addEventListener("click", () => handlers.onSwish());
    this.piece.addEventListener("change", () => handlers.onPiece(this.piece.value));
    this.handlers = handlers;
  }

  get opened() {
    return this.editor !== null;
  }

  get text() {
    return this.editor ? this.editorApi.getText(this.editor) : "";
  }

  /** Load the editor (once) and show ``text`` for ``piece``. */
  async show(piece, text) {
    if (!this.editor) {
      this.editorApi = await import(EDITOR_MODULE);
      this.host.hidden = false;
      this.actions.hidden = false;
      this.editor = this.editorApi.createEditor(this.host, {
        doc: text,
        label: "Python code editor. Tab leaves it; Control+Enter runs the code.",
        onChange: (changed) => this.showing || this.handlers.onEdit(this.piece.value, changed),
        onRun: () => this.handlers.onRun(this.piece.value, this.text),
      });
    } else {
      // Shown, not edited: only the learner's own edits are theirs to keep.
      this.showing = true;
      try {
        this.editorApi.setText(this.editor, text);
      } finally {
        this.showing = false;
      }
    }
    this.piece.value = piece;
    this.mark([]);
  }

  /** Mark lines with errors: [{line, message}], or [] to clear. */
  mark(problems) {
    if (this.editor) this.editorApi.markLines(this.editor, problems);
    this.card.dataset.errorLine = problems.length ? String(problems[0].line) : "";
  }

  say(text, kind = "info") {
    this.message.textContent = text;
    this.message.dataset.kind = kind;
  }

  /** While code runs: Run is disabled and Stop is offered. */
  setRunning(running) {
    this.buttons.run.disabled = running;
    this.buttons.stop.hidden = !running;
    this.card.dataset.state = running ? "running" : "idle";
  }

  setEnabled(enabled) {
    for (const name of ["open", "run", "restore", "bug", "swish"]) this.buttons[name].disabled = !enabled;
  }
}
