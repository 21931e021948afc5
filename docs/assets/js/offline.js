// Registers the service worker (site/sw.js) so the handbook and tools work without a signal after
// the first visit, and tells the reader when a newer version of the procedure has been published.
const script = document.querySelector('script[src$="assets/js/offline.js"]');
const root = new URL("../../", script ? script.src : location.href);

function showUpdate(worker) {
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
    button.disabled = true;
    worker.postMessage({ type: "skip-waiting" });
  });
  banner.append(text, button);
  document.body.prepend(banner);
}

async function register() {
  if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only reload when the reader asked for it (a first install also changes the controller).
    if (hadController && !reloading) {
      reloading = true;
      location.reload();
    }
  });
  const registration = await navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname });
  const watch = (worker) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) showUpdate(worker);
    });
  };
  if (registration.waiting && navigator.serviceWorker.controller) showUpdate(registration.waiting);
  if (registration.installing) watch(registration.installing);
  registration.addEventListener("updatefound", () => watch(registration.installing));
  // Check for a new version now and whenever the reader comes back to the tab.
  registration.update().catch(() => {});
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
}

// Register once the page is quiet: after `load`, and on tool pages once Python has started
// (tools-boot.js), so the download of the whole site never slows down what the reader opened.
function whenQuiet() {
  const toolPage = document.querySelector('meta[name="cse-tools-wheel"]');
  if (toolPage && !document.documentElement.dataset.toolsSettled) {
    return new Promise((resolve) => window.addEventListener("cse-tools-settled", resolve, { once: true }));
  }
  if (document.readyState === "complete") return Promise.resolve();
  return new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
}

whenQuiet()
  .then(register)
  .catch((error) => console.warn("Offline support is not available:", error.message));
