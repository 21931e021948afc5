// Every page, loaded early in <head> by overrides/main.html (a classic script, so it runs before
// the page is drawn). Two things a shared computer must not give back:
//
// 1. What was typed. Every box and choice on the page (the site's search box included) is set back
//    to its default when the page is hidden and again when the browser shows it from its
//    back/forward cache, as protectScreen() in tool-common.js does for the tools' forms. So Back,
//    Forward and a restored tab bring back empty boxes and no search results.
//
// 2. The site, after the quick exit. quick-exit.js replaces the page it leaves (location.replace),
//    so that page is gone from the tab's history, but a site cannot remove the pages before it
//    from the history. So the exit leaves one note in this tab's session storage: the neutral
//    address, nothing else (no page, nothing typed; the browser deletes it when the tab closes).
//    A page of this site reached by Back or Forward while the note is there goes straight to the
//    neutral site again, replacing itself, before anything is shown. Opening the site afresh
//    (a link, a bookmark, the address typed) removes the note, and the site works as usual.
//    What no site can do: remove the addresses and titles of those earlier pages from the
//    browser's history list, or from the list a long press on Back shows (docs/about/privacy.md).
(() => {
  const NOTE = "cse-quick-exit";

  const note = () => {
    try {
      return sessionStorage.getItem(NOTE);
    } catch {
      return null; // storage blocked: the exit still replaces the page it leaves
    }
  };

  const leaveAgain = (address) => {
    document.documentElement.classList.add("quick-exit--leaving");
    document.title = "Loading";
    window.location.replace(address);
  };

  const exitTo = note();
  if (exitTo) {
    const navigation = performance.getEntriesByType("navigation")[0];
    if (navigation && navigation.type === "back_forward") {
      leaveAgain(exitTo);
    } else {
      try {
        sessionStorage.removeItem(NOTE);
      } catch {
        /* nothing to remove */
      }
    }
  }

  const SKIP = new Set(["hidden", "submit", "button", "reset", "image"]);

  const clearFields = () => {
    for (const field of document.querySelectorAll("input, textarea, select")) {
      // Material's own switches (search panel, menu, colour scheme) are display state, not input.
      if (field.classList.contains("md-toggle") || field.closest("[data-md-component='palette']")) continue;
      if (field instanceof HTMLSelectElement) {
        for (const option of field.options) option.selected = option.defaultSelected;
      } else if (field.type === "checkbox" || field.type === "radio") {
        field.checked = field.defaultChecked;
      } else if (field.type === "file") {
        field.value = "";
      } else if (!SKIP.has(field.type)) {
        field.value = field.defaultValue;
      }
    }
    // Material's search redraws its results on keyup: with the box empty, the results go too.
    for (const box of document.querySelectorAll("[data-md-component='search-query']")) {
      box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
  };

  window.addEventListener("pagehide", clearFields);
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    clearFields();
    const address = note();
    if (address) {
      event.stopImmediatePropagation(); // quick-exit.js would show the page again
      leaveAgain(address);
    }
  });
})();
