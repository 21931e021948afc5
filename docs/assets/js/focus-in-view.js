// Nothing hides the focus (WCAG 2.2 2.4.11). The site's CSS gives the page scroll padding for its
// sticky bars (site.css: the header and the quick-exit bar at the top, a tool's result bar at the
// foot), but Chrome leaves a field where it is when part of it already shows, even if its lower
// edge is under the result bar. So on every focus, the field (a radio's drawn answer) is brought
// to the nearest place inside that padding; a field already clear of the bars does not move.
// tests/test_parents_path.py checks the corners of each focused field with elementFromPoint.
// Only focus that comes from the keyboard moves the page: a field focused by a tap or a click is
// where the reader is already looking, and moving it between press and release would make the
// release land on another answer.

let byPointer = false;
document.addEventListener("pointerdown", () => { byPointer = true; }, true);
document.addEventListener("keydown", () => { byPointer = false; }, true);

document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (byPointer) return;
  if (!(field instanceof HTMLElement) || !field.closest("article")) return;
  const drawn = field.matches("input[type=radio], input[type=checkbox]") ? field.parentElement : field;
  drawn.scrollIntoView({ block: "nearest", inline: "nearest" });
});
