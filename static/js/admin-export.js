"use strict";
// The export page's "Select all" box ticks or clears every field box of the chosen
// resource. Kept in a file, not an inline handler, so the Content Security Policy allows it.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("select-all-toggle");
  if (!toggle) {
    return;
  }
  toggle.addEventListener("change", () => {
    document
      .querySelectorAll('.selectable-field-export-row input[type="checkbox"]:not(.select-toggle)')
      .forEach((box) => {
        box.checked = toggle.checked;
      });
  });
});
