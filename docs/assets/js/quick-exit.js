// Quick exit ("Exit this page"), modelled on GOV.UK Frontend's Exit this page component.
//
// The markup is overrides/partials/quick-exit.html: a link to a neutral site that works without
// JavaScript. This module adds:
//   - leaving with location.replace(), so the Back button does not come back to this page;
//   - blanking the page first, so nothing stays on screen while the neutral site loads;
//   - pressing Shift three times within a few seconds does the same as the button;
//   - announcements for screen readers (a polite live region).
// No inline scripts or handlers: the Content-Security-Policy forbids them.

const PRESSES_NEEDED = 3;
const PRESS_WINDOW_MS = 5000;

const root = document.querySelector("[data-quick-exit]");
const button = root && root.querySelector("[data-quick-exit-button]");

if (root && button) {
  const exitUrl = root.dataset.quickExitUrl || button.href;

  // Prepared now so they are in the page before anything is said or shown: screen readers only
  // announce changes to a live region that already exists.
  const live = document.createElement("div");
  live.className = "quick-exit__live cse-visually-hidden";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  document.body.append(live);

  const overlay = document.createElement("div");
  overlay.className = "quick-exit__overlay";
  overlay.textContent = "Loading.";
  overlay.hidden = true;
  document.body.append(overlay);

  const say = (text) => {
    live.textContent = text;
  };

  let leaving = false;
  const pageTitle = document.title;

  const leave = () => {
    if (leaving) return;
    leaving = true;
    document.documentElement.classList.add("quick-exit--leaving");
    overlay.hidden = false;
    document.title = "Loading";
    say("Exiting this page.");
    // The pages before this one cannot be taken out of the tab's history: this note (the neutral
    // address only) makes any of them reached by Back go to the neutral site instead
    // (leave-no-trace.js, which also says what no site can remove).
    try {
      sessionStorage.setItem("cse-quick-exit", exitUrl);
    } catch {
      /* storage blocked: Back can then show the page before this one */
    }
    // replace(): the page is taken out of the history, so Back does not return to it.
    window.location.replace(exitUrl);
  };

  // Every exit button: the sticky one and the second one at the foot of the page.
  for (const each of document.querySelectorAll("[data-quick-exit-button]")) {
    each.addEventListener("click", (event) => {
      event.preventDefault();
      leave();
    });
  }

  // Shift three times. Counted on keyup, and not when Shift was held for another key (typing a
  // capital letter), as GOV.UK does. Any other key, or a pause, starts the count again.
  let presses = 0;
  let timer = null;
  let lastKeyWasModified = false;

  const reset = () => {
    presses = 0;
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
  };

  document.addEventListener("keyup", (event) => {
    if (event.key === "Shift" && !lastKeyWasModified) {
      presses += 1;
      if (presses >= PRESSES_NEEDED) {
        reset();
        leave();
      } else {
        const left = PRESSES_NEEDED - presses;
        say(`Shift, press ${left} more ${left === 1 ? "time" : "times"} to exit.`);
        if (timer !== null) window.clearTimeout(timer);
        timer = window.setTimeout(() => {
          reset();
          say("Exit this page expired.");
        }, PRESS_WINDOW_MS);
      }
    } else if (presses > 0) {
      reset();
    }
    lastKeyWasModified = event.shiftKey;
  });

  // The Shift shortcut only works with JavaScript, so it is only mentioned when it works.
  const shiftHint = document.querySelector("[data-quick-exit-shift]");
  if (shiftHint) shiftHint.hidden = false;

  // If the browser shows this page again from its back/forward cache, show it normally.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      leaving = false;
      document.documentElement.classList.remove("quick-exit--leaving");
      overlay.hidden = true;
      document.title = pageTitle;
      say("");
    }
  });
}
