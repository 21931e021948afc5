// The tools' Web Worker: runs Pyodide and the cse_tools wheel, both from this site's own origin,
// so the page never freezes while Python starts or scores. It is a same-origin module file
// (never a blob: URL). Messages in: {type: "start", wheel, pyodide} once, then
// {type: "call", id, request}; out: {type: "progress", step, of, text}, {type: "ready"},
// {type: "failed", message}, {type: "reply", id, response}.
// Answers arrive as structured-clone messages and never leave this worker except as the reply:
// after start-up this worker makes no network request at all.

const STEPS = 3;
let handle = null;
let starting = null;

function progress(step, text) {
  self.postMessage({ type: "progress", step, of: STEPS, text });
}

async function start(wheelUrl, pyodideUrl) {
  if (typeof WebAssembly !== "object") {
    throw new Error("This browser cannot run WebAssembly, which the tools need.");
  }
  progress(1, "Downloading Python (about 10 MB, only the first time)");
  const { loadPyodide } = await import(pyodideUrl);
  progress(2, "Starting Python and loading the tools");
  // The wheel is fetched while the runtime starts (loadPyodide's `packages` option).
  const pyodide = await loadPyodide({ packages: [wheelUrl] });
  const browser = pyodide.pyimport("cse_tools.browser");
  handle = (text) => browser.handle(text);
  // Warm up: the first call loads the definitions, so the first real answer comes quickly.
  handle(JSON.stringify({ op: "definitions" }));
  progress(3, "Python is ready");
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  if (message.type === "start") {
    if (!starting) {
      starting = start(message.wheel, message.pyodide).then(
        () => self.postMessage({ type: "ready" }),
        (error) => self.postMessage({ type: "failed", message: String(error && error.message ? error.message : error) }),
      );
    }
    return;
  }
  if (message.type === "call") {
    await starting;
    let response;
    if (!handle) {
      response = { ok: false, error: "The tools could not start in this browser.", field: null };
    } else {
      try {
        response = JSON.parse(handle(JSON.stringify(message.request)));
      } catch (error) {
        response = { ok: false, error: "Something went wrong in the tool. Please save your work and report this.", field: null };
      }
    }
    self.postMessage({ type: "reply", id: message.id, response });
  }
});
