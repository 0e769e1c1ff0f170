/**
 * The service worker: keeps this build's files so a second visit, and an
 * offline one, need no network.
 *
 * - Each build has its own cache (the id below is stamped by build.py), so a
 *   new deploy installs a new cache and removes the old ones.
 * - Pyodide's files never change under the same name: cache first.
 * - Everything else (index.html, the app's JS, the model, the manifest) is
 *   network first, falling back to the cache offline, so a deploy is never
 *   hidden behind a stale page.
 */
const BUILD_ID = "__BUILD_ID__";
const CACHE = `mlp-from-scratch-${BUILD_ID}`;
const IMMUTABLE = /\/pyodide\//;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const manifest = await (await fetch("build-manifest.json", { cache: "no-cache" })).json();
      const files = Object.keys(manifest.files).filter((f) => !/\.(gz|br)$/.test(f) && f !== "sw.js");
      const cache = await caches.open(CACHE);
      await cache.addAll(["./", ...files, "build-manifest.json"]);
      await self.skipWaiting();
    })(),
  );
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
  const cached = await caches.match(request, { cacheName: CACHE });
  return cached ?? fetch(request);
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && request.method === "GET") {
      const cache = await caches.open(CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: request.mode === "navigate" });
    if (cached) return cached;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(IMMUTABLE.test(url.pathname) ? cacheFirst(event.request) : networkFirst(event.request));
});
