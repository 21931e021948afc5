// Material for MkDocs' inline bootstrap (partials/javascripts/base.html), moved to a same-origin file
// so that the Content-Security-Policy can forbid inline scripts. The site root is two folders up
// from this file (assets/js/), which is what Material's own script computes from base_url.
/* eslint-disable no-var */
var __md_scope = new URL("../../", document.currentScript.src);
var __md_hash = (e) => [...e].reduce((e2, c) => (e2 << 5) - e2 + c.charCodeAt(0), 0);
var __md_get = (e, s = localStorage, t = __md_scope) => JSON.parse(s.getItem(t.pathname + "." + e));
var __md_set = (e, v, s = localStorage, t = __md_scope) => {
  try { s.setItem(t.pathname + "." + e, JSON.stringify(v)); } catch (err) { /* storage full or blocked */ }
};
