// Registers the service worker (site/sw.js) so the handbook works without a signal after the
// first visit, asks it to keep the parts this page needs, and tells the reader when a newer
// version of the procedure has been published.
//   - Every page: the handbook tier (pages, styles, scripts, search) is cached by the worker.
//   - A tool page, once Python has started: the tools tier (runtime and tools wheel), mostly
//     from what the page has just downloaded.
//   - A page that draws diagrams: the diagrams tier (Mermaid).
//   - [data-offline-tools] (tools index page): a button that keeps the tools, stating the size.
const script = document.querySelector('script[src$="assets/js/offline.js"]');
const root = new URL("../../", script ? script.src : location.href);
const toolPage = document.querySelector('meta[name="cse-tools-wheel"]');
let reloadAsked = false;

// Ask the active service worker something; resolves with its reply.
async function ask(message) {
  const registration = await navigator.serviceWorker.ready;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    registration.active.postMessage(message, [channel.port2]);
  });
}

// True when the reader has typed or chosen anything on this page (a reload would lose it).
function hasInput() {
  const fields = document.querySelectorAll(".md-content input, .md-content textarea, .md-content select");
  return Array.from(fields).some((field) => {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") return Array.from(field.options).some((o) => o.selected !== o.defaultSelected);
    if (["button", "submit", "reset", "hidden"].includes(field.type)) return false;
    if (field.type === "file") return field.files && field.files.length > 0;
    return field.value !== field.defaultValue;
  });
}

function reloadThisTab(registration) {
  if (hasInput() && !window.confirm(
    "Reloading clears what you have entered on this page. Save it to a file or print it first if you need it. Reload now?",
  )) return false;
  reloadAsked = true; // only this tab reloads; other open tabs keep their page and their banner
  if (registration.waiting) registration.waiting.postMessage({ type: "skip-waiting" });
  else location.reload(); // the new version is already active (another tab asked for it)
  return true;
}

// Exported so that tests can show the banner the way a waiting new version does (tests/test_tool_ui.py).
export function showUpdate(registration) {
  if (document.querySelector("[data-update-banner]")) return;
  const banner = document.createElement("div");
  banner.className = "update-banner";
  banner.dataset.updateBanner = "";
  banner.setAttribute("role", "status");
  const text = document.createElement("p");
  text.textContent = "This procedure has been updated since you opened this page.";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button md-button--primary";
  button.textContent = "Reload to see the latest version";
  button.addEventListener("click", () => {
    if (reloadThisTab(registration)) button.disabled = true;
  });
  banner.append(text, button);
  document.body.prepend(banner);
}

function megabytes(bytes) {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

// The tools index page: keep the tools for offline use on request, saying what it costs.
async function offerOfflineTools() {
  const box = document.querySelector("[data-offline-tools]");
  if (!box) return;
  const button = box.querySelector("button");
  const status = box.querySelector("[data-offline-tools-status]");
  const { tiers } = await ask({ type: "tiers" });
  const tools = tiers.tools;
  const kept = () => {
    button.hidden = true;
    status.textContent = "The tools are kept on this device: they work without a connection.";
    box.dataset.state = "kept";
  };
  box.hidden = false;
  if (tools.cached === tools.files) return kept();
  button.textContent = `Keep the tools for offline use (about ${megabytes(tools.bytes)} to download)`;
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = "Downloading the tools...";
    const reply = await ask({ type: "keep", tier: "tools" });
    if (reply.ok) kept();
    else {
      button.disabled = false;
      status.textContent = "The tools could not be downloaded. Check your connection and try again.";
    }
  });
}

// The optional parts this page uses, kept once the worker is ready.
async function keepWhatThisPageUses() {
  if (document.querySelector('script[src$="mermaid.min.js"]')) await ask({ type: "keep", tier: "diagrams" });
  if (toolPage && document.documentElement.dataset.pythonStart !== "failed") await ask({ type: "keep", tier: "tools" });
}

async function register() {
  if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only the tab where the reader asked reloads (a first install also changes the controller).
    if (reloadAsked) location.reload();
  });
  const registration = await navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname });
  const watch = (worker) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) showUpdate(registration);
    });
  };
  if (registration.waiting && navigator.serviceWorker.controller) showUpdate(registration);
  if (registration.installing) watch(registration.installing);
  registration.addEventListener("updatefound", () => watch(registration.installing));
  // Check for a new version now and whenever the reader comes back to the tab.
  registration.update().catch(() => {});
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
  await navigator.serviceWorker.ready; // the handbook is cached
  await Promise.all([offerOfflineTools(), keepWhatThisPageUses()]);
  document.documentElement.dataset.offlineReady = "yes"; // and what this page needs (tests, bench)
}

// Register once the page is quiet: after `load`, and on tool pages once Python has started
// (tools-boot.js), so caching never slows down what the reader opened.
function whenQuiet() {
  if (toolPage && !document.documentElement.dataset.toolsSettled) {
    return new Promise((resolve) => window.addEventListener("cse-tools-settled", resolve, { once: true }));
  }
  if (document.readyState === "complete") return Promise.resolve();
  return new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
}

whenQuiet()
  .then(register)
  .catch((error) => console.warn("Offline support is not available:", error.message));
