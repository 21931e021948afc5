// Filters for the action plan table rendered by the `action_plan_table()` macro
// (macros/action_plan.py). Loaded as a module through the page's front matter
// (`scripts: [assets/js/action-plan.js]`); no inline script, so the site's CSP holds.
//
// Without JavaScript the filters stay hidden and every row shows. With it, the filters appear,
// and choosing a RAG rating or a lead agency hides the rows that do not match.

function setUp(root) {
  const filters = root.querySelector("[data-action-plan-filters]");
  const rows = Array.from(root.querySelectorAll("tbody tr[data-rag]"));
  if (!filters || rows.length === 0) return;
  const selects = Array.from(filters.querySelectorAll("select[data-filter]"));
  const count = filters.querySelector("[data-action-plan-count]");

  function apply() {
    const wanted = {};
    for (const select of selects) {
      if (select.value) wanted[select.dataset.filter] = select.value;
    }
    let shown = 0;
    for (const row of rows) {
      const match = Object.entries(wanted).every(([key, value]) => row.dataset[key] === value);
      row.hidden = !match;
      if (match) shown += 1;
    }
    if (count) {
      count.textContent =
        shown === rows.length
          ? `Showing all ${rows.length} actions.`
          : `Showing ${shown} of ${rows.length} actions.`;
    }
  }

  for (const select of selects) select.addEventListener("change", apply);
  filters.hidden = false;
  apply();
}

document.querySelectorAll("[data-action-plan]").forEach(setUp);
