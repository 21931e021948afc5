// The tools' Web Worker: runs Pyodide and the cse_tools wheel, both from this site's own origin,
// so the page never freezes while Python starts or scores. It is a same-origin module file
// (never a blob: URL). The tools are loaded by name ("cse-tools") from the site's own
// pyodide-lock.json, which the build writes with pyodide-lock (macros/build.py): Pyodide fetches
// the wheel, checks its sha256 and installs it. Its messages in and out, and the requests it
// passes to cse_tools.browser.handle, are described once, in tools/cse_tools/protocol.py
// (WORKER_IN, WORKER_OUT, OPS), whose names it imports from cse-shared.js.
// Answers arrive as structured-clone messages and never leave this worker except as the reply:
// after start-up this worker makes no network request at all.
//
// Faster starts: the first time, Python's memory is snapshotted right after the interpreter
// starts (before the tools package is loaded and before any answer can arrive) and kept in Cache
// Storage; later starts restore it instead of starting Python from scratch. It holds nothing
// but the bare interpreter and some standard-library modules (PRELOAD). If it is missing,
// stale or unusable, Python starts normally. Either way the tools package is loaded after
// that, by name.
//
// Less to download: Python starts from the site's reduced standard library (pyodide/
// python_stdlib.zip: the modules the tools and Pyodide's start-up import, macros/stdlib.py).
// Its guard (_cse_stdlib) notices an import of a module it left out; then, or if Python cannot
// start from it, the worker starts again from the full library (pyodide/full/, served but never
// kept offline) and repeats the request: the page keeps its answers and gets its reply.
// The tools wheel is fetched while the interpreter starts (checked against the lockfile's
// sha256, as Pyodide checks it), and the runtime files this worker fetches before the service
// worker controls the page are kept in RUNTIME_CACHE for it, so it never downloads them again
// (assets/js/service-worker.js checks each against its hash and moves it into its own cache).

import { OPS, WORKER_IN, WORKER_OUT } from "./cse-shared.js";

const STEPS = 3;
const SNAPSHOT_CACHE = "cse-python-snapshot";
// Standard-library modules that loading and importing the tools needs, imported before the
// snapshot is taken, so a restored start does not import them again. Standard library only:
// the snapshot never holds the tools or anything typed. A name missing here only costs time.
const PRELOAD = "json, re, typing, dataclasses, datetime, enum, functools, inspect, textwrap, "
  + "collections, urllib.parse, pathlib, shutil, tempfile, zipfile, importlib.resources";
const SNAPSHOT_NAME = "snapshot-3"; // change it when PRELOAD changes
const REDUCED = "reduced";
const FULL = "full";
const STDLIB = { [REDUCED]: "python_stdlib.zip", [FULL]: "full/python_stdlib.zip" }; // from pyodide/
// Responses of runtime files fetched before the service worker controls the page, for it to keep
// (service-worker.js). Public files of the site only: never anything typed.
const RUNTIME_CACHE = "cse-runtime-fetched";
const RUNTIME_DIRS = ["pyodide/", "assets/wheels/"];
let handle = null;
let missed = () => [];
let starting = null;
let startMessage = null;

// Start-up timings (bench/run.py prints them): absolute times, sent with "ready"; the page turns
// them into performance marks named "cse:<step>".
const marks = {};
function mark(step) {
  marks[step] = performance.timeOrigin + performance.now();
}
mark("worker-started");

// Every fetch of this worker (Pyodide's included) goes through here: a file fetched ahead (the
// wheel) is handed over once, and a runtime file is kept for the service worker when it does not
// yet control the page (then it would keep the response itself).
const networkFetch = self.fetch.bind(self);
const ahead = new Map(); // absolute URL -> Promise<Response>
let keepFor = null; // the site root, while the runtime files are to be kept for the service worker

function runtimeFile(url) {
  return keepFor !== null && !url.search && url.href.startsWith(keepFor)
    && RUNTIME_DIRS.some((dir) => url.href.slice(keepFor.length).startsWith(dir))
    && !url.href.slice(keepFor.length).startsWith("pyodide/full/");
}

// Not awaited: Pyodide reads (and compiles) the response while the copy is written.
function keepResponse(url, response) {
  if (!response.ok || !runtimeFile(url) || typeof caches !== "object") return;
  const copy = response.clone();
  caches.open(RUNTIME_CACHE).then((cache) => cache.put(url.href, copy)).catch(() => {
    // nothing kept: the service worker fetches the file itself
  });
}

self.fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input), self.location.href);
  const early = ahead.get(url.href);
  if (early) ahead.delete(url.href);
  const response = await (early || networkFetch(input, init));
  keepResponse(url, response);
  return response;
};

function fetchAhead(url, init) {
  const href = new URL(url, self.location.href).href;
  const job = networkFetch(href, init);
  job.catch(() => ahead.delete(href)); // a failure is Pyodide's to report, when it asks
  ahead.set(href, job);
}

// "sha256-<base64>" for fetch's integrity check, from the lockfile's hex digest.
function integrity(hex) {
  const bytes = hex.match(/../g).map((pair) => parseInt(pair, 16));
  return `sha256-${btoa(String.fromCharCode(...bytes))}`;
}

// The tools wheel, fetched now, while the interpreter starts; loadPackage takes it from `ahead`.
function fetchWheelAhead(text, lockFileURL) {
  try {
    const entry = JSON.parse(text).packages["cse-tools"];
    fetchAhead(new URL(entry.file_name, lockFileURL).href, { integrity: integrity(entry.sha256) });
  } catch {
    // loadPackage fetches it as usual
  }
}

function progress(step, text) {
  self.postMessage({ type: WORKER_OUT.progress, step, of: STEPS, text });
}

async function snapshotCache() {
  try {
    return typeof caches === "object" ? await caches.open(SNAPSHOT_CACHE) : null;
  } catch {
    return null; // no Cache Storage here (e.g. a non-secure context): start normally
  }
}

async function readSnapshot(cache, key) {
  const response = cache && (await cache.match(key));
  return response ? new Uint8Array(await response.arrayBuffer()) : null;
}

async function keepSnapshot(cache, key, bytes) {
  if (!cache) return;
  for (const old of await cache.keys()) await cache.delete(old); // one snapshot, the current one
  await cache.put(key, new Response(bytes));
}

// The site's lockfile, and a short hash of it. Python keeps what the lockfile says (which import
// names belong to which package) in its memory, so a snapshot is kept per lockfile.
async function readLockfile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The list of the tools' packages could not be loaded (${response.status}).`);
  const text = await response.text();
  if (!(self.crypto && crypto.subtle)) return { text, hash: "unhashed" }; // no snapshot there either
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return { text, hash: Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("") };
}

// After a restored snapshot: forget what Python remembers of the library zip's contents (a new
// build may have changed the reduced library under the same key), so imports read it afresh.
const FORGET_ZIP = "import importlib, sys, zipimport\n"
  + "getattr(zipimport, '_zip_directory_cache', {}).clear()\n"
  + "sys.path_importer_cache.clear()\nimportlib.invalidate_caches()";

// -> {pyodide, restored}: restored is true when the kept snapshot was used. The snapshot is kept
// for the reduced library only (the full one is a rare fallback).
async function startPython(loadPyodide, options, cache, key) {
  const snapshot = cache && (await readSnapshot(cache, key).catch(() => null));
  if (snapshot) {
    try {
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
      pyodide.runPython(FORGET_ZIP);
      return { pyodide, restored: true };
    } catch {
      await cache.delete(key).catch(() => {}); // unusable: forget it and start from scratch
    }
  }
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: Boolean(cache) });
  mark("python-loaded");
  pyodide.runPython(`import ${PRELOAD}`);
  mark("preload-imported");
  if (cache) keepSnapshot(cache, key, pyodide.makeMemorySnapshot()).catch(() => {});
  mark("snapshot-taken");
  return { pyodide, restored: false };
}

// The guard of the reduced library (tools/stdlib/_cse_stdlib.py): the left-out modules that
// something tried to import.
function installGuard(pyodide) {
  pyodide.runPython("import _cse_stdlib\n_cse_stdlib.install()");
  const guard = pyodide.pyimport("_cse_stdlib");
  return () => guard.missed().toJs();
}

class MissingModule extends Error {}

// The runtime could not be downloaded (a network error): most often offline, before the tools
// were ever kept on this device (the handbook is cached from any page; the tools once a tool
// page has been used online, see assets/js/offline.js).
function needsOneVisit(error) {
  if (!(error instanceof TypeError)) throw error;
  throw new Error("Python could not be downloaded: the tools need one visit to a tool page with a connection, and after that they work offline too");
}

async function start(pyodideUrl, lockFileURL, library) {
  if (typeof WebAssembly !== "object") {
    throw new Error("This browser cannot run WebAssembly, which the tools need.");
  }
  progress(1, "Downloading Python (about 5 MB, only the first time)");
  const [{ loadPyodide, version }, cache, { text, hash }] = await Promise.all([
    import(pyodideUrl).catch(needsOneVisit), library === REDUCED ? snapshotCache() : null,
    readLockfile(lockFileURL).catch(needsOneVisit),
  ]);
  mark("pyodide-imported");
  progress(2, "Starting Python and loading the tools");
  fetchWheelAhead(text, lockFileURL);
  const key = new URL(`${SNAPSHOT_NAME}-${version}-${hash}`, pyodideUrl).href;
  // Wheels named in the lockfile are found relative to it (here ../assets/wheels/).
  const options = {
    lockFileContents: text, packageBaseUrl: new URL(".", lockFileURL).href,
    stdLibURL: new URL(STDLIB[library], pyodideUrl).href, messageCallback: () => {},
  };
  const { pyodide, restored } = await startPython(loadPyodide, options, cache, key);
  mark(restored ? "interpreter-restored" : "interpreter-started");
  missed = library === REDUCED ? installGuard(pyodide) : () => [];
  // Loaded by name from the lockfile, after the snapshot, so the snapshot stays bare.
  const loaded = await pyodide.loadPackage("cse-tools", { messageCallback: () => {}, errorCallback: () => {} });
  if (!loaded.some((p) => p.name === "cse-tools")) throw new Error("The tools package could not be loaded.");
  mark("tools-installed");
  const browser = pyodide.pyimport("cse_tools.browser");
  mark("tools-imported");
  handle = (request) => browser.handle(request);
  // Warm up: the first call loads the definitions, so the first real answer comes quickly.
  handle(JSON.stringify({ op: OPS.definitions }));
  if (missed().length) throw new MissingModule(missed().join(", "));
  mark("definitions-loaded");
  progress(3, "Python is ready");
  return { restored, marks, library };
}

// Python from the reduced library; from the full one if it cannot start from it (a module left
// out, or anything else but a failed download).
async function startTools(library) {
  const { pyodide: pyodideUrl, lockFile } = startMessage;
  try {
    return await start(pyodideUrl, lockFile, library);
  } catch (error) {
    handle = null;
    if (library === FULL || (error instanceof TypeError) || /tools need one visit/.test(String(error.message))) throw error;
    return start(pyodideUrl, lockFile, FULL);
  }
}

function announce(job) {
  return job.then(
    ({ restored, marks: timings, library }) => self.postMessage({ type: WORKER_OUT.ready, restored, marks: timings, library }),
    (error) => self.postMessage({ type: WORKER_OUT.failed, message: String(error && error.message ? error.message : error) }),
  );
}

// One request through browser.handle; if it needed a module the reduced library left out, the
// worker starts again from the full library and answers the same request from there.
async function answer(request) {
  await Promise.resolve(starting).catch(() => {});
  if (!handle) return { ok: false, error: "The tools could not start in this browser.", field: null };
  let response;
  try {
    response = JSON.parse(handle(JSON.stringify(request)));
  } catch {
    response = { ok: false, error: "Something went wrong in the tool. Please save your work and report this.", field: null };
  }
  if (missed().length === 0) return response;
  missed = () => [];
  handle = null;
  starting = start(startMessage.pyodide, startMessage.lockFile, FULL);
  announce(starting);
  return answer(request);
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === WORKER_IN.start) {
    mark("start-received");
    if (!starting) {
      const lockFile = message.lockFile || new URL("pyodide-lock.json", message.pyodide).href;
      startMessage = { pyodide: message.pyodide, lockFile };
      // Before the service worker controls the page, keep the runtime files for it.
      if (!message.controlled) keepFor = new URL("../", message.pyodide).href;
      starting = startTools(REDUCED);
      announce(starting);
    }
    return;
  }
  if (message.type === WORKER_IN.call) {
    const response = await answer(message.request);
    self.postMessage({ type: WORKER_OUT.reply, id: message.id, response });
  }
});
