/**
 * The service worker: keeps this build's files so a second visit, and an
 * offline one, need no network.
 *
 * - Each build has its own cache (the id below is stamped by build.py),
 *   filled with every file of the build when this worker installs.
 * - Every file of the build, the page included, is served from that cache
 *   first: a visit then starts without a single request, and the page, its
 *   scripts and Python always come from one build. Anything not in the cache
 *   goes to the network.
 * - A new deploy is a new sw.js, which the browser checks on every visit: it
 *   installs the new build's cache in the background and waits. The page
 *   offers to reload (main.js); only then does the new worker take over,
 *   remove the old cache and serve the new build. Until then the page keeps
 *   loading every file, lazily loaded ones included, from its own build.
 * - Once its cache is filled, it compiles Pyodide's wasm from it, so the
 *   browser keeps the compiled code with the cached file: the next visit
 *   starts without compiling it (1.1 s to ready instead of 1.7 s here).
 */
const BUILD_ID = "__BUILD_ID__";
const CACHE = `mlp-from-scratch-${BUILD_ID}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch("build-manifest.json", { cache: "no-cache" });
      if (!response.ok) throw new Error(`build-manifest.json: HTTP ${response.status}`);
      await cache.put("build-manifest.json", response.clone());  // the very list the files below come from
      const manifest = await response.json();
      const files = Object.keys(manifest.files).filter((f) => !/\.(gz|br)$/.test(f) && f !== "sw.js");
      // Revalidated, so a file the browser's HTTP cache kept from an earlier build is never taken for this one's.
      await cache.addAll(["./", ...files].map((f) => new Request(f, { cache: "no-cache" })));
      await compileOnce(await cache.match(`${manifest.pyodide.index_url}pyodide.asm.wasm`));
      if (!self.registration.active) await self.skipWaiting(); // the first build: nothing to wait for
    })(),
  );
});

/**
 * Compile a cached wasm response and drop the module: Chromium caches the code
 * compiled from a Cache Storage response beside it, and a later compile of the
 * same response loads it instead. Only a speed-up: nothing here can fail the
 * install. No response (Pyodide from its CDN is not cached here): nothing to do.
 */
async function compileOnce(response) {
  if (!response || typeof WebAssembly === "undefined" || typeof WebAssembly.compileStreaming !== "function") return;
  try {
    await WebAssembly.compileStreaming(response);
  } catch {
    // a browser that cannot compile it here compiles it when the page starts, as without this
  }
}

// The page's "Reload to use it": the new build takes over, and the page reloads.
self.addEventListener("message", (event) => {
  if (event.data?.type === "take-over") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("mlp-from-scratch-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: request.mode === "navigate" });
  return cached ?? fetch(request);
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(cacheFirst(event.request));
});
