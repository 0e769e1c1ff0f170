/**
 * The service worker: keeps this build's files so a second visit, and an
 * offline one, need no network, and serves nothing but this build's files.
 *
 * - build.py stamps into this file the build's id, the sha256 of every file
 *   it serves, and the page's Content-Security-Policy. This file is the one
 *   a page or a worker cannot write (the browser fetches it from the server),
 *   so what it expects cannot be planted the way a cached file can.
 * - Each build has its own cache, filled with every file of the build when
 *   this worker installs (but the large ones only a few learners use, such as
 *   MNIST's data, which go in when first asked for); a file whose bytes do
 *   not match fails the install.
 * - A file of the build is served from that cache only if its bytes match
 *   their sha256; otherwise it is fetched again and checked, and if the
 *   server's copy does not match either, the request fails with a message
 *   that names the file. A URL that is not part of the build never comes from
 *   the cache. Code run in the same origin that writes to Cache Storage (a
 *   learner's, or another site's on a shared origin) cannot change the page.
 * - Every HTML and JavaScript file it serves carries the headers the page
 *   needs, on any host (a static host such as GitHub Pages sends none): the
 *   page's CSP, and cross-origin isolation (COOP and COEP), which gives the
 *   page SharedArrayBuffer, so Stop reaches Python mid-call. Isolation is
 *   decided when the page loads, so it holds from the first visit the worker
 *   serves: the second one.
 * - A new deploy is a new sw.js, which the browser checks on every visit: it
 *   installs the new build's cache in the background and waits. The page
 *   offers to reload (main.js); only then does the new worker take over,
 *   remove the old cache and serve the new build. Until then the page keeps
 *   loading every file, lazily loaded ones included, from its own build.
 * - Once its cache is filled, it compiles Pyodide's wasm from it, so the
 *   browser keeps the compiled code with the cached file: the next visit
 *   starts without compiling it. For a wasm file, the cached response itself
 *   is what it serves (its body is checked through a clone), so that code is
 *   found; any other file is served from the bytes it checked, read once.
 */

/**
 * Stamped by build.py: {id, files: {path: sha256}, headers: {name: value}, wasm: path or null,
 * lazy: [path]: files cached when first asked for, not at install}. "" is the page.
 */
const BUILD = "__BUILD__";
const CACHE = `mlp-from-scratch-${BUILD.id}`;
const FILES = new Map(Object.entries(BUILD.files));
const SCOPE = new URL(self.registration.scope);

/** The build's path of a request ("" for the page), or null if the request is not for one of its files. */
function buildPath(request) {
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return null;
  const path = url.pathname.slice(SCOPE.pathname.length);
  return FILES.has(path) ? path : null;
}

async function sha256(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether ``response`` is this build's ``path``: a 200 whose bytes have the stamped sha256. */
async function isBuildFile(path, response) {
  return response?.status === 200 && (await sha256(await response.clone().arrayBuffer())) === FILES.get(path);
}

/**
 * The cached ``response`` as served, if its bytes are this build's ``path``; else null.
 * WebAssembly: the cached object itself, its body checked through a clone, so
 * that the code Chromium compiled from it, kept beside it, is found. Any other
 * file: a response made from the very bytes that were checked, so that they
 * are read from the cache once, not twice (a warm start reads 28 MB).
 */
async function checkedFromCache(path, response) {
  if (response?.status !== 200) return null;
  if (path.endsWith(".wasm")) return (await isBuildFile(path, response)) ? response : null;
  const bytes = await response.arrayBuffer();
  if ((await sha256(bytes)) !== FILES.get(path)) return null;
  return new Response(bytes, { status: 200, statusText: response.statusText, headers: response.headers });
}

/** This build's ``path`` from the server, checked; a new Error naming the file if it is not. */
async function fetchBuildFile(path) {
  const name = path || "the page";
  let response;
  try {
    response = await fetch(new Request(new URL(path, SCOPE), { cache: "no-cache" }));
  } catch {
    throw new Error(`${name}: the server cannot be reached`);
  }
  if (!(await isBuildFile(path, response))) {
    throw new Error(`${name}: the server's copy is not this build's (HTTP ${response.status})`);
  }
  return response;
}

/** ``response`` as served: the cached object itself, or for the page and scripts a copy with the page's headers. */
function served(path, response) {
  // On the page and every script: a worker's CSP and embedder policy are its script's.
  if (path !== "" && !/\.(html|m?js)$/.test(path)) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(BUILD.headers)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Revalidated, so a file the browser's HTTP cache kept from an earlier build is never taken for this one's.
      const eager = [...FILES.keys()].filter((path) => !BUILD.lazy.includes(path));
      await Promise.all(eager.map(async (path) => cache.put(new URL(path, SCOPE), await fetchBuildFile(path))));
      if (BUILD.wasm) await compileOnce(await cache.match(new URL(BUILD.wasm, SCOPE)));
      if (!self.registration.active) await self.skipWaiting(); // the first build: nothing to wait for
    })(),
  );
});

/**
 * Compile a cached wasm response and drop the module: Chromium caches the code
 * compiled from a Cache Storage response beside it, and a later compile of the
 * same response loads it instead. Only a speed-up: nothing here can fail the
 * install. No response: nothing to do.
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

/** This build's cache, opened once for all the requests this worker serves while it runs. */
let buildCache = null;

/**
 * This build's ``path``: from the cache if its bytes are this build's, else
 * from the server, checked, and put back in the cache. If neither has this
 * build's bytes, a 503 that says which file and why.
 */
async function fromBuild(path) {
  const cache = await (buildCache ??= caches.open(CACHE));
  const key = new URL(path, SCOPE);
  const cached = await cache.match(key);
  const checked = await checkedFromCache(path, cached);
  if (checked) return served(path, checked);
  try {
    const response = await fetchBuildFile(path);
    await cache.put(key, response.clone());
    return served(path, response);
  } catch (err) {
    const reason = cached ? "its cached copy was changed in this browser" : "it is not in this browser's cache";
    return new Response(`${err.message}; ${reason}. Reload the page; if this persists, clear this site's data.`, {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  const path = buildPath(event.request);
  // Not a file of this build: the network, never the cache.
  if (path !== null) event.respondWith(fromBuild(path));
});
