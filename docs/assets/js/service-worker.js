// The service worker's body. The build (macros/offline.py) writes site/sw.js as two constants,
// VERSION and FILES (every file of this build, the Pyodide runtime and the tools wheel included),
// followed by this file. A new build changes VERSION, so the browser installs the new worker
// beside the old one; the page then offers a reload (assets/js/offline.js).
//
// Only the site's own public files are cached. Nothing typed into a tool is ever cached: the
// worker caches the precache list at install and never stores a response at run time.
/* global VERSION, FILES */

const CACHE = `cse-handbook-${VERSION}`;
const SCOPE = new URL("./", self.location).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((f) => new Request(SCOPE + f, { cache: "reload" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(names.filter((n) => n.startsWith("cse-handbook-") && n !== CACHE).map((n) => caches.delete(n))),
    ).then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
  if (event.data && event.data.type === "version") event.source.postMessage({ type: "version", version: VERSION });
});

// Directory URLs ("procedure/") are cached as "procedure/index.html".
function cacheKey(url) {
  const u = new URL(url);
  u.search = "";
  u.hash = "";
  if (u.pathname.endsWith("/")) u.pathname += "index.html";
  return u.href;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = await cache.match(cacheKey(request.url));
      if (cached) return cached;
      try {
        return await fetch(request);
      } catch (error) {
        if (request.mode === "navigate") {
          const offline = await cache.match(SCOPE + "404.html");
          if (offline) return offline;
        }
        throw error;
      }
    }),
  );
});
