// The service worker's body. The build (macros/offline.py) writes site/sw.js as two constants,
// VERSION and TIERS, followed by this file. TIERS is the revisioned manifest:
//   {handbook: {files: {path: hash}, bytes}, tools: {...}, diagrams: {...}}
// - "handbook" (pages, styles, scripts, search index) is cached when the worker installs.
// - "tools" (Python runtime, its reduced standard library, tools wheel; never the full library of
//   pyodide/full/) and "diagrams" (Mermaid) are cached only when a page
//   asks for them (assets/js/offline.js: a tool page once Python has started, the pathway page,
//   or the reader's "keep the tools for offline use" button), or when a page of this site
//   fetches one of their files while this worker is in control.
// A new build changes VERSION, so the browser installs the new worker beside the old one. It
// copies every file whose hash has not changed from the old cache, fetches only the rest, and
// keeps the tiers the reader already had. The page then offers a reload (offline.js).
//
// Only the site's own public files, as listed in TIERS, are ever stored, and only after their
// content has been checked against the hash. Nothing typed into a tool is ever cached: forms
// never submit, and a request with a query string is never stored.
/* global VERSION, TIERS */

const PREFIX = "cse-handbook-";
const CACHE = PREFIX + VERSION;
const SCOPE = new URL("./", self.location).href;
const HASH = "X-Content-Hash"; // kept on each cached response: the hash of its content
// What the tool worker fetched for the runtime before this worker controlled the page
// (assets/js/tool-worker.js): taken from there, once checked, instead of downloaded again.
const RUNTIME_CACHE = "cse-runtime-fetched";

const FILES = new Map(); // path -> {tier, hash}
for (const [tier, { files }] of Object.entries(TIERS)) {
  for (const [path, hash] of Object.entries(files)) FILES.set(path, { tier, hash });
}

// "procedure/" is cached as "procedure/index.html"; null when outside this site.
function pathOf(url) {
  const u = new URL(url);
  const plain = u.origin + u.pathname;
  if (!plain.startsWith(SCOPE)) return null;
  const path = plain.slice(SCOPE.length);
  return path === "" || path.endsWith("/") ? path + "index.html" : path;
}

async function digest(buffer) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

// A copy of a response for the cache, if its content is exactly the file this version lists.
async function checked(response, hash) {
  if (!response.ok || response.redirected || response.type !== "basic") return null;
  const body = await response.arrayBuffer();
  if ((await digest(body)) !== hash) return null;
  const headers = new Headers(response.headers);
  headers.delete("Content-Encoding"); // the body below is already decoded
  headers.delete("Content-Length");
  headers.set(HASH, hash);
  return new Response(body, { status: 200, statusText: "OK", headers });
}

// Fetch one listed file. The first try takes the browser's HTTP cache copy if it has one, without
// asking the server (the hash says whether it is this version's file), so a file the page has just
// downloaded is not downloaded again, whether or not the host sends ETag or Last-Modified.
async function fetchChecked(path, hash) {
  for (const mode of ["force-cache", "reload"]) {
    const copy = await checked(await fetch(SCOPE + path, { cache: mode }), hash);
    if (copy) return copy;
  }
  throw new Error(`${path} is not the file of this version`);
}

// An unchanged copy of the file in an older version's cache, if there is one.
async function previousCopy(path, hash) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const old = await (await caches.open(name)).match(SCOPE + path);
    if (old && old.headers.get(HASH) === hash) return old;
  }
  return null;
}

// The tool worker's copy of a runtime file, if it is exactly this version's file.
async function fetchedCopy(path, hash) {
  const kept = await (await caches.open(RUNTIME_CACHE)).match(SCOPE + path);
  return kept ? checked(kept, hash) : null;
}

const filling = new Map(); // path -> promise, so two callers never fetch the same file
function store(cache, path, hash) {
  if (!filling.has(path)) {
    const job = (async () => {
      const have = await cache.match(SCOPE + path);
      if (have && have.headers.get(HASH) === hash) return;
      const copy = (await previousCopy(path, hash)) || (await fetchedCopy(path, hash).catch(() => null))
        || (await fetchChecked(path, hash));
      await cache.put(SCOPE + path, copy);
    })().finally(() => filling.delete(path));
    filling.set(path, job);
  }
  return filling.get(path);
}

async function fill(tier) {
  const cache = await caches.open(CACHE);
  await Promise.all(Object.entries(TIERS[tier].files).map(([path, hash]) => store(cache, path, hash)));
  if (tier === "tools") await caches.delete(RUNTIME_CACHE); // all kept now, or never to be
}

// The optional tiers the reader already had in an older version.
async function tiersInUse() {
  const used = new Set();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    for (const request of await (await caches.open(name)).keys()) {
      const entry = FILES.get(pathOf(request.url));
      if (entry && entry.tier !== "handbook") used.add(entry.tier);
    }
  }
  return used;
}

async function install() {
  const optional = await tiersInUse();
  await fill("handbook");
  // Kept up to date as the reader had them; if that fails now, they come back when next used.
  await Promise.all([...optional].map((tier) => fill(tier).catch(() => {})));
}

// What each tier costs and whether this version holds all of it.
async function tierStatus() {
  const cache = await caches.open(CACHE);
  const cached = new Set((await cache.keys()).map((request) => pathOf(request.url)));
  const out = {};
  for (const [tier, { files, bytes }] of Object.entries(TIERS)) {
    const paths = Object.keys(files);
    out[tier] = { bytes, files: paths.length, cached: paths.filter((p) => cached.has(p)).length };
  }
  return out;
}

self.addEventListener("install", (event) => event.waitUntil(install()));

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))),
    ).then(() => self.clients.claim()), // the first visit's page is controlled without a reload
  );
});

// Messages from offline.js. Replies go to the MessageChannel port sent with the message.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (message) => event.ports[0] && event.ports[0].postMessage(message);
  if (data.type === "skip-waiting") self.skipWaiting();
  else if (data.type === "version") reply({ version: VERSION });
  else if (data.type === "tiers") event.waitUntil(tierStatus().then((tiers) => reply({ tiers })));
  else if (data.type === "keep" && Object.hasOwn(TIERS, data.tier)) {
    event.waitUntil(
      fill(data.tier).then(
        () => reply({ ok: true }),
        (error) => reply({ ok: false, error: String(error && error.message ? error.message : error) }),
      ),
    );
  }
});

async function respond(event, path) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(SCOPE + path);
  if (cached) return cached;
  let response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    if (event.request.mode === "navigate") {
      const offline = await cache.match(SCOPE + "404.html");
      if (offline) return offline;
    }
    throw error;
  }
  // A listed file fetched while this worker is in control: keep it, so it is never fetched twice.
  const entry = FILES.get(path);
  if (entry && !new URL(event.request.url).search) {
    const copy = response.clone();
    event.waitUntil(
      checked(copy, entry.hash).then((ok) => ok && cache.put(SCOPE + path, ok)).catch(() => {}),
    );
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  const path = pathOf(event.request.url);
  if (path === null) return;
  event.respondWith(respond(event, path));
});
