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

  window.addEventListener("load", () => {
    nameAutocompletes();
    new MutationObserver(nameAutocompletes).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
}
