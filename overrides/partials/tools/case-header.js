// The case header's script (template: case-header.html, styles: case-header.css). Its fields
// ([data-case]: reference, age, date, practitioner, agency, and on plans the lead professional,
// meeting date, chair and attendees) are read and filled here, by name. MkDocs copies this file to
// site/partials/tools/; the page controllers in assets/js/ import it from there.

// The case header's fields, read and filled.
export function caseFields(root) {
  const out = {};
  root.querySelectorAll("[data-case]").forEach((field) => { out[field.dataset.case] = field.value; });
  return out;
}

export function fillCase(root, values, onlyEmpty = true) {
  root.querySelectorAll("[data-case]").forEach((field) => {
    const value = values[field.dataset.case];
    if (value !== undefined && value !== null && !(onlyEmpty && field.value)) field.value = String(value);
  });
}

// Every field set from `values` (a saved file's case header); a field it leaves out is emptied.
export function setCase(root, values) {
  root.querySelectorAll("[data-case]").forEach((field) => {
    const value = (values || {})[field.dataset.case];
    field.value = value === undefined || value === null ? "" : String(value);
  });
}
