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
 *   installs the new build's cache in the background, takes over and removes
 *   the old cache; the page says a newer version is ready (main.js), and the
 *   next load is the new build.
 */
const BUILD_ID = "__BUILD_ID__";
const CACHE = `mlp-from-scratch-${BUILD_ID}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const manifest = await (await fetch("build-manifest.json", { cache: "no-cache" })).json();
      const files = Object.keys(manifest.files).filter((f) => !/\.(gz|br)$/.test(f) && f !== "sw.js");
      const cache = await caches.open(CACHE);
      // Revalidated, so a file the browser's HTTP cache kept from an earlier build is never taken for this one's.
      await cache.addAll(["./", ...files, "build-manifest.json"].map((f) => new Request(f, { cache: "no-cache" })));
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
  const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: request.mode === "navigate" });
  return cached ?? fetch(request);
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(cacheFirst(event.request));
});
