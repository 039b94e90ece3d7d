// Progressive enhancement only: every page works without this file.
import { initAll } from "/static/govuk-frontend/govuk-frontend.min.js";

initAll();

// Switching language on the ballot keeps the ticks not yet sent: the language link
// carries them in its address, and the ballot page in the other language shows them.
const ballot = document.querySelector("form.nd-ballot");
if (ballot) {
  for (const link of document.querySelectorAll(".govuk-language-navigation__link")) {
    link.addEventListener("click", () => {
      const kept = new URLSearchParams({ kept: "1" });
      for (const [name, value] of new FormData(ballot)) {
        if (name !== "csrfmiddlewaretoken" && name !== "submission") kept.append(name, value);
      }
      const url = new URL(link.href, window.location.href);
      url.search = kept.toString();
      link.href = url.toString();
    });
  }
}
