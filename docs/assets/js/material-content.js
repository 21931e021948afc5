// Material for MkDocs' inline content script (partials/javascripts/content.html), moved to a
// same-origin file for the Content-Security-Policy: open the content tab named in the URL.
(function () {
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
