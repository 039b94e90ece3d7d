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

  // A region marked data-poll (the letters' progress) is fetched again every two seconds
  // and swapped in, until the fresh copy no longer asks to be polled. Without
  // JavaScript its "Check again" link does the same.
  const poll = () => {
    const region = document.querySelector("[data-poll]");
    if (!region) {
      return;
    }
    setTimeout(async () => {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById(region.id);
      if (fresh) {
        region.replaceWith(fresh);
        poll();
      }
    }, 2000);
  };

  document.addEventListener("DOMContentLoaded", poll);

  window.addEventListener("load", () => {
    nameAutocompletes();
    new MutationObserver(nameAutocompletes).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
}
