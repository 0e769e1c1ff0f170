/**
 * The page's run, taken home: "Export as Python script" and "Export as notebook"
 * ask Python for the file (mlp.export, through Session.export_run) and offer it
 * as a download. Python writes every line; this only tells it where the page is
 * served from (the data files' and the mlp wheel's addresses). No DOM here: the
 * buttons are the ModelView's.
 */
import { fetchText } from "./site-files.js";

const TYPES = { script: "text/x-python", notebook: "application/x-ipynb+json" };

export class ExportController {
  /**
   * @param {{call: Function}} runtime
   * @param {{view: import("./views/model-view.js").ModelView}} parts
   */
  constructor(runtime, { view }) {
    this.runtime = runtime;
    this.view = view;
  }

  bind() {
    this.view.bindExports({
      onScript: () => this.exportRun("script"),
      onNotebook: () => this.exportRun("notebook"),
    });
  }

  /**
   * Where this page is served from: its folder's address, and the mlp wheel for CPython that the build published.
   * @returns {Promise<{url: string, wheel: ?{file: string, sha256: string}}>}
   */
  async site() {
    const manifest = JSON.parse(await fetchText("build-manifest.json"));
    return { url: new URL(".", location.href).href, wheel: manifest.python_wheel ?? null };
  }

  /** @param {"script"|"notebook"} form */
  async exportRun(form) {
    try {
      const { filename, text } = await this.runtime.call("export_run", [form], { site: await this.site() });
      this.view.download(text, filename, TYPES[form]);
      this.view.say(`${filename}: run it in CPython to make this model again (its first lines say how to install the package).`);
    } catch (err) {
      this.view.say(err.message, "error");
    }
  }
}
