"use strict";
// Names the admin's autocomplete widgets (select2) after their field's label, so screen
// readers announce "Fund, combobox" rather than an unnamed box.
{
  const labelFor = (select) => {
    const label = document.querySelector(`label[for="${select.id}"]`);
    return label ? label.textContent.trim().replace(/:$/, "") : "";
  };

  const nameAutocompletes = () => {
    document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const widget = select.nextElementSibling;
      if (!widget || !widget.classList.contains("select2")) {
        return;
      }
      const name = labelFor(select);
      widget.querySelectorAll('[role="combobox"], [role="textbox"]').forEach((part) => {
        if (part.getAttribute("aria-label") !== name) {
          part.removeAttribute("aria-labelledby");
          part.setAttribute("aria-label", name);
        }
      });
    });
  };

  // The export page's "Select all" box has an inline handler, which the Content Security
  // Policy blocks, and a label pointing at no id: wire both up from here instead.
  const wireSelectAll = () => {
    document.querySelectorAll("input.select-toggle").forEach((toggle) => {
      toggle.removeAttribute("onchange");
      toggle.id = toggle.id || "select-all-toggle";
      if (typeof window.onSelectToggleChange === "function" && !toggle.dataset.wired) {
        toggle.addEventListener("change", window.onSelectToggleChange);
        toggle.dataset.wired = "yes";
      }
    });
  };

  document.addEventListener("DOMContentLoaded", wireSelectAll);

  window.addEventListener("load", () => {
    wireSelectAll();
    nameAutocompletes();
    new MutationObserver(nameAutocompletes).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
}
