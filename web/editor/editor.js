/**
 * The page's code editor: CodeMirror 6 with what a learner editing Python needs
 * (line numbers, Python highlighting, undo, bracket matching, keyboard access)
 * and a way to mark a line with an error. build.py bundles this file and its
 * npm dependencies (pinned in package-lock.json) into dist/vendor/codemirror/.
 */
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";

/** Sizes and focus ring; CodeMirror puts these with its own styles into the editor's shadow root. */
const theme = EditorView.theme({
  "&": { maxHeight: "32rem", fontSize: "0.85rem", backgroundColor: "#fff" },
  "&.cm-focused": { outline: "2px solid #1a5fb4", outlineOffset: "1px" },
  ".cm-scroller": { overflow: "auto", fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" },
});

/**
 * An editor in `parent`, inside a shadow root of its own. CodeMirror styles
 * itself with generated CSS: in a shadow root that CSS goes into a
 * constructed stylesheet, which the page's Content Security Policy
 * (style-src 'self', no inline <style>) allows.
 * @param {HTMLElement} parent
 * @param {{doc: string, label: string, onChange?: (text: string) => void, onRun?: () => void}} options
 *   onRun: Ctrl-Enter (Cmd-Enter) runs the code.
 */
export function createEditor(parent, { doc, label, onChange = () => {}, onRun = () => {} }) {
  const run = () => {
    onRun();
    return true;
  };
  const root = parent.shadowRoot ?? parent.attachShadow({ mode: "open" });
  return new EditorView({
    parent: root,
    root,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle),
        python(),
        lintGutter(),
        theme,
        // Tab stays the browser's (move focus), so a keyboard user is never trapped; Ctrl-] and Ctrl-[ indent.
        keymap.of([{ key: "Mod-Enter", run }, { key: "Mod-]", run: indentMore }, { key: "Mod-[", run: indentLess },
          ...historyKeymap, ...defaultKeymap]),
        EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
}

/** The editor's text. @param {EditorView} view */
export const getText = (view) => view.state.doc.toString();

/** Replace the editor's text (one undoable change). @param {EditorView} view @param {string} text */
export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/**
 * Mark lines with errors (1-based line numbers), or clear the marks with [].
 * @param {EditorView} view
 * @param {{line: number, message: string}[]} problems
 */
export function markLines(view, problems) {
  const doc = view.state.doc;
  const diagnostics = problems
    .filter((p) => p.line >= 1 && p.line <= doc.lines)
    .map((p) => {
      const line = doc.line(p.line);
      return { from: line.from, to: line.to, severity: "error", message: p.message };
    });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}
