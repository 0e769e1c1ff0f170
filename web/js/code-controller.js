/** The code-editor flow: open, edit, run, stop and restore the learner's version of a piece of the Python. */
import { STOP_GRACE_MS, whyNotIsolated } from "./runtime.js";
import { forgetCode, loadCode, saveCode } from "./storage.js";

/**
 * "Your code": the learner edits a piece of the Python that runs (an
 * activation, a loss, backprop), runs it in the worker in place of the
 * shipped one, and the gradient check referees it. Edits are kept in this
 * browser; Restore original brings the shipped code back. No DOM here: the
 * editor is a CodeView.
 *
 * Stop interrupts code that runs too long (SIGINT, where the page is
 * crossOriginIsolated); code that does not stop, or a page that cannot
 * interrupt, gets Python restarted, and the model comes back from this browser.
 */
export class CodeController {
  /**
   * @param {{call: Function, interrupt: Function, interruptible: boolean}} runtime
   * @param {{settings: import("./state.js").Settings, view: import("./views/code-view.js").CodeView,
   *          gradcheck: import("./views/gradcheck-view.js").GradCheckView,
   *          settingsView: import("./views/settings-view.js").SettingsView}} parts
   * @param {{idle: () => boolean, onState: () => void, restart: () => void, keepModel: () => Promise<?string>}} listener
   *   idle: whether code may run now (Python is up, and nothing trains); onState: code started or ended
   *   running; restart: start Python again (the page restores the model once it is ready); keepModel: keep
   *   the current model in this browser, so that a restart finds it (returns a problem, or null).
   */
  constructor(runtime, { settings, view, gradcheck, settingsView }, listener) {
    this.runtime = runtime;
    this.settings = settings;
    this.view = view;
    this.gradcheck = gradcheck;
    this.settingsView = settingsView;
    this.listener = listener;
    /** The shipped sources and templates ({sources, templates}), asked of Python once; null until then. */
    this.shippedCode = null;
    /** Whether the learner's code runs in the worker now. */
    this.running = false;
    /** Whether Python is restarting because Stop could not end the code. */
    this.restarting = false;
    /** After an interrupt: the timer that restarts Python if the code has not stopped. */
    this.stopTimer = null;
  }

  bind() {
    this.view.bind({
      onOpen: (piece) => this.open(piece),
      onPiece: (piece) => this.view.opened && this.open(piece),
      onEdit: (piece, text) => this.keep(piece, text),
      onRun: (piece, text) => this.run(piece, text),
      onStop: () => this.stop(),
      onRestore: (piece) => this.restore(piece),
      onBug: () => this.showTemplate("loss", "bug_2017", "The 2017 post's output delta: the sigmoid's derivative taken at a instead of z. Run it and watch the gradient check."),
      onSwish: () => this.showTemplate("activation", "swish", "A new activation, Swish. Run it: once it passes the gradient check, the network designer offers it."),
    });
  }

  /** The shipped sources and templates, asked of Python once. */
  async codeBase() {
    this.shippedCode ??= await this.runtime.call("code");
    return this.shippedCode;
  }

  /** Python is ready (again): after a restart for Stop, say what came back. */
  pythonReady() {
    if (!this.restarting) return;
    this.restarting = false;
    this.shippedCode = null;
    this.view.say("Python restarted after Stop: the model is back, and your code is kept in the editor (not run).");
  }

  /** Show a piece in the editor: your kept edit of it if any, else the shipped code. Nothing runs. */
  async open(piece) {
    const { view } = this;
    try {
      const kept = loadCode()[piece];
      await view.show(piece, kept ?? (await this.codeBase()).sources[piece]);
      view.say(kept ? "Your edited version, kept in this browser. It has not run: press Run my code to run it."
        : "The code that runs now. Edit it, then Run my code (Control+Enter).");
    } catch (err) {
      view.say(err.message, "error");
    }
  }

  async showTemplate(piece, name, note) {
    const { view } = this;
    try {
      await view.show(piece, (await this.codeBase()).templates[name]);
      this.keep(piece, view.text);
      view.say(note);
    } catch (err) {
      view.say(err.message, "error");
    }
  }

  /** Keep the editor's text for a piece in this browser. */
  keep(piece, text) {
    const problem = saveCode({ ...loadCode(), [piece]: text });
    if (problem) this.view.say(problem, "error");
  }

  /**
   * Show a model's code, as it carries it ([piece, source] pairs): the first piece in the editor, not run.
   * @param {Array<[string, string]>} code @param {string} note
   */
  async showKept(code, note) {
    const [piece, source] = code[0];
    try {
      await this.view.show(piece, source);
      this.view.say(note);
    } catch (err) {
      this.view.say(err.message, "error");
    }
  }

  /**
   * Run code in the worker in place of the piece (the editor's, or a model's, then shown in the editor);
   * the gradient check referees it.
   * @returns {Promise<boolean>} whether it ran (a failed gradient check still runs: it is shown, and Train uses it)
   */
  async run(piece, text) {
    const { view, gradcheck, settingsView, settings } = this;
    if (!this.listener.idle() || this.running) return false;
    this.running = true;
    view.setRunning(true);
    view.mark([]);
    this.listener.onState();
    try {
      if (view.piece.value !== piece || view.text !== text) await view.show(piece, text);
      view.say("Running your code…");
      const kept = await this.listener.keepModel(); // Stop may restart Python
      if (kept) view.say(kept, "error");
      const result = await this.runtime.call("run_code", [piece, text]);
      if (!result.ok) {
        view.mark(result.line ? [{ line: result.line, message: result.error }] : []);
        view.say(`${result.line ? `Line ${result.line}: ` : ""}${result.error}. The model is unchanged.`, "error");
        return false;
      }
      gradcheck.show(result.gradcheck, result.loss, `your ${result.name}'s gradient`);
      const passes = result.max_error < 1e-6;
      let note = passes ? `Your ${result.name} passes the gradient check.` : `Your ${result.name} fails the gradient check: see the table below.`;
      if (piece !== "loss" && result.loss !== result.model_loss) {
        note += ` The check used ${result.loss}, not the model's ${result.model_loss}, whose own gradient is wrong (the 2017 post's): so only your code is judged.`;
      }
      if (piece === "activation" && passes && !settings.fields.activations.choices.includes(result.name)) {
        settings.addActivation(result.name);
        settingsView.addActivationChoice(result.name);
        note += ` “${result.name}” is now a choice for every hidden layer in the designer.`;
      }
      note += result.trains ? " Train uses it from now on." : ` Train uses it when the settings use “${result.name}”.`;
      view.say(note, passes ? "info" : "error");
      return true;
    } catch (err) {
      if (!this.restarting) view.say(err.message, "error"); // else Stop's own message stays
      return false;
    } finally {
      clearTimeout(this.stopTimer);
      this.running = false;
      view.setRunning(false);
      this.listener.onState();
    }
  }

  /** An error from your code while training ("line N: ..."): marked in the editor too. */
  showTrainingError(message) {
    const line = /^line (\d+): /.exec(message);
    if (!line || !this.view.opened) return;
    this.view.mark([{ line: Number(line[1]), message }]);
    this.view.say(`While training, ${message}`, "error");
  }

  /** Stop code that runs too long: SIGINT where Python can be interrupted, else a restart that restores the model. */
  stop() {
    if (this.runtime.interruptible) {
      this.runtime.interrupt();
      // An interrupt that lands before the code starts (Python still busy with an earlier call) is spent
      // on that call: if the code still runs after a while, restart instead.
      clearTimeout(this.stopTimer);
      this.stopTimer = setTimeout(() => this.running && this.restartFor("Your code did not stop at the interrupt, so Python is restarting."), STOP_GRACE_MS);
      return;
    }
    this.restartFor(`Python cannot be interrupted here, as ${whyNotIsolated().reason}, so it is restarting.`);
  }

  restartFor(why) {
    this.restarting = true;
    this.view.say(`${why} The model comes back from this browser; your code is kept.`, "error");
    this.listener.restart();
  }

  /** Put the shipped code back in the worker and the editor, and forget your edit of it. */
  async restore(piece) {
    const { view } = this;
    try {
      await this.runtime.call("restore_code", [piece]);
      forgetCode(piece);
      await view.show(piece, (await this.codeBase()).sources[piece]);
      this.gradcheck.clear(); // the table was your code's
      view.say("The shipped code is back, and runs again.");
    } catch (err) {
      view.say(err.message, "error");
    }
  }
}
