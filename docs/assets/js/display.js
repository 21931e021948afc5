// Larger text: a display preference kept in the one "cse-display" key (material-base.js), never
// with anything about a child. Loaded in <head>, so the text size is right before the page shows;
// the toggle button joins the colour scheme toggle in the header.
/* global cse_display */
(function () {
  var CLASS = "cse-text-large";
  var root = document.documentElement;
  if (cse_display.read().text === "large") root.classList.add(CLASS);

  function addToggle() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector("[data-text-size]")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button cse-text-toggle";
    button.dataset.textSize = "";
    button.textContent = "A+";
    button.setAttribute("aria-label", "A+ larger text");
    button.title = "Larger text";
    var sync = function () { button.setAttribute("aria-pressed", String(root.classList.contains(CLASS))); };
    button.addEventListener("click", function () {
      var large = root.classList.toggle(CLASS);
      cse_display.set("text", large ? "large" : null);
      sync();
    });
    sync();
    var before = header.querySelector(".md-header__option") || header.querySelector("label[for='__search']");
    header.insertBefore(button, before);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addToggle);
  else addToggle();
})();
