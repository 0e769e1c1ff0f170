"""Warm starts of several builds side by side, stage by stage.

    python build.py --out /tmp/before     # on the old commit
    python build.py --out /tmp/after      # on the new one
    python tests/benchmarks/warm_start.py /tmp/before /tmp/after --repeat 8

Each build is served by the Flask app on its own port (so its own origin, service worker and
cache) and opened once in its own browser profile until its service worker controls the page.
Then, ``repeat`` times and taking the builds in turn, it opens the site three ways:

- "new tab": a returning visitor. A new tab of that profile opens, and the site's address is
  entered a second later (run.py's ADDRESS_DELAY_S), as a person types or picks it;
- "new tab, at once": the same, with the address entered the moment the tab opens. Headless
  Chromium opens each tab in a window of its own and starts that window's own pages (its
  address bar's) as it opens, so they compete with the site's start for the machine's two
  cores: the difference between the two rows is what that costs (and, in the first rounds, that
  the at-once visit comes first: a profile's early visits start slower than its later ones);
- "same tab": that tab reloaded, once idle after its start.

On a shared machine, builds timed in turn meet the same load; timed one after the other they may
not. Each profile's visits after its first come faster for a few visits (presumably as Chromium's
code caches fill in), so these figures compare builds; a returning visitor's second visit is run.py's
``start_up``.

For each build and kind of visit it prints the medians, in ms from the navigation's start: when
the page created the Python worker, when each of the worker's start-up stages ended (with the
stage's own ms in brackets) and when the model was shown (the runtime status's
``data-model-shown-ms``, as run.py's ``start_up`` reads it).
"""

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.run import profile_with_site, returning_visit, start_server, wait_ready, wait_shown  # noqa: E402
from tests.browser import launch_args  # noqa: E402

# When the page creates its worker, and when each start-up stage ends, on the page's clock.
WATCH_STAGES = """(() => {
  const Original = window.Worker;
  window.stages = {};
  window.Worker = function (...args) {
    const worker = new Original(...args);
    window.stages.worker = performance.now();
    worker.addEventListener("message", ({ data }) => {
      if (data?.event !== "stage" || data.state !== "done") return;
      window.stages[data.stage] = performance.now();
      window.stages[`${data.stage}_ms`] = data.ms;
    });
    return worker;
  };
})();"""

STAGES = ("worker", "manifest", "runtime", "numpy", "mlp", "data", "model", "shown")
KINDS = ("new tab", "new tab, at once", "same tab")


def visit(page):
    """Wait for the model shown; the page's stage times, and ``shown``."""
    shown = wait_shown(page)[1]
    return {**page.evaluate("window.stages"), "shown": shown * 1000}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("builds", nargs="+", type=Path, help="built sites (python build.py --out DIR)")
    parser.add_argument("--repeat", type=int, default=8)
    args = parser.parse_args(argv)
    builds = [b.resolve() for b in args.builds]
    servers = [start_server(build, floor=False) for build in builds]
    visits = {(str(b), kind): [] for b in builds for kind in KINDS}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(**launch_args(p))
            profiles = []
            for build, (_, _, url) in zip(builds, servers, strict=True):
                page = profile_with_site(browser, url, init_script=WATCH_STAGES)
                page.close()
                profiles.append((str(build), page.context, url))
            for _ in range(args.repeat):
                for build, context, url in profiles:
                    page = returning_visit(context, url, at_once=True)
                    visits[(build, "new tab, at once")].append(visit(page))
                    page.close()
                    page = returning_visit(context, url)
                    visits[(build, "new tab")].append(visit(page))
                    wait_ready(page)
                    page.reload()
                    visits[(build, "same tab")].append(visit(page))
                    page.close()
            browser.close()
    finally:
        for server, _, _ in servers:
            server.shutdown()
    for kind in KINDS:
        print(f"\n{kind}: medians of {args.repeat}, ms from the navigation's start (a stage's own ms)")
        for build in builds:
            rows = visits[(str(build), kind)]
            cells = []
            for stage in STAGES:
                cell = f"{stage} {statistics.median(r[stage] for r in rows):.0f}"
                if f"{stage}_ms" in rows[0]:
                    cell += f" ({statistics.median(r[f'{stage}_ms'] for r in rows):.0f})"
                cells.append(cell)
            print(f"  {build}\n    " + ", ".join(cells))


if __name__ == "__main__":
    main()
