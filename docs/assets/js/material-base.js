// Material for MkDocs' inline bootstrap (partials/javascripts/base.html), moved to a same-origin file
// so that the Content-Security-Policy can forbid inline scripts. The site root is two folders up
// from this file (assets/js/), which is what Material's own script computes from base_url.
//
// Display preferences (the colour scheme picked with the header's toggle, and larger text) share
// ONE localStorage key, "cse-display", which holds nothing else and never anything about a child.
// "Follow the system" is the default and is not stored. See docs/about/privacy.md.
var __md_scope = new URL("../../", document.currentScript.src);
var __md_hash = (e) => [...e].reduce((e2, c) => (e2 << 5) - e2 + c.charCodeAt(0), 0);
var cse_display = {
  key: "cse-display",
  read: function () {
    try { return JSON.parse(localStorage.getItem(cse_display.key)) || {}; } catch (err) { return {}; }
  },
  set: function (name, value) {
    var prefs = cse_display.read();
    if (value === null || value === undefined) delete prefs[name];
    else prefs[name] = value;
    try {
      if (Object.keys(prefs).length) localStorage.setItem(cse_display.key, JSON.stringify(prefs));
      else localStorage.removeItem(cse_display.key);
    } catch (err) { /* storage blocked: the preference lasts for this page only */ }
  },
};
var __md_get = (e, s = localStorage, t = __md_scope) =>
  e === "__palette" ? cse_display.read().palette || null : JSON.parse(s.getItem(t.pathname + "." + e));
var __md_set = (e, v, s = localStorage, t = __md_scope) => {
  if (e === "__palette") {
    cse_display.set("palette", v && v.index ? { index: v.index, color: v.color } : null);
    return;
  }
  try { s.setItem(t.pathname + "." + e, JSON.stringify(v)); } catch (err) { /* storage full or blocked */ }
};
