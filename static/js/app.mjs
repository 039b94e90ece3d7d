// Progressive enhancement only: every page works without this file.
import { initAll } from "/static/govuk-frontend/govuk-frontend.min.js";

initAll();

// Switching language on the ballot keeps what was ticked but not yet sent. It is held in
// this tab's sessionStorage for the next ballot page only, never in the address: a shared
// computer's history must not show how someone was about to vote.
const ballot = document.querySelector("form.nd-ballot");
if (ballot) {
  const key = `nd-unsent-ballot-${ballot.dataset.envelope}`;
  const kept = sessionStorage.getItem(key);
  if (kept !== null) {
    sessionStorage.removeItem(key);
    const entries = JSON.parse(kept);
    const ticked = new Set(entries.map(([name, value]) => `${name}=${value}`));
    const typed = new Map(entries);
    for (const field of ballot.querySelectorAll("input[name]")) {
      if (field.type === "checkbox") field.checked = ticked.has(`${field.name}=${field.value}`);
      else if (field.type === "number") field.value = typed.get(field.name) ?? "";
    }
    // Shown again now the ticks are back (the ballot's head hid it, so it never shows
    // them all unticked); the total stays hidden until the server has recounted them.
    const root = document.documentElement;
    root.classList.remove("nd-restoring");
    const shown = () => root.classList.remove("nd-recounting");
    ballot.addEventListener("htmx:afterRequest", shown, { once: true });
    // The budget meter follows the form's change event, as soon as htmx listens for it.
    const recount = () => ballot.dispatchEvent(new Event("change", { bubbles: true }));
    if (window.htmx) recount();
    else document.addEventListener("htmx:load", recount, { once: true });
  }
  // On a phone the running total sticks to the top of the screen (main.scss). Nothing
  // focused or jumped to may stay under it (WCAG 2.4.11): its height sets how far below
  // it a jump lands, and focus (tabbing back up, say) that lands under it scrolls clear
  // of it, which the browser's own scrolling does not do for a partly hidden element.
  const total = ballot.querySelector(".nd-ballot__aside");
  if (total) {
    new ResizeObserver(() => {
      document.documentElement.style.setProperty("--nd-ballot-total", `${total.offsetHeight}px`);
    }).observe(total);
    ballot.addEventListener("focusin", ({ target }) => {
      if (total.contains(target)) return;
      const cover = total.getBoundingClientRect();
      const box = target.getBoundingClientRect();
      const under = box.top < cover.bottom && box.bottom > cover.top;
      const beside = box.left >= cover.right || box.right <= cover.left;
      if (under && !beside) window.scrollBy({ top: box.top - cover.bottom - 15, behavior: "instant" });
    });
  }
  for (const link of document.querySelectorAll(".govuk-language-navigation__link")) {
    link.addEventListener("click", () => {
      const unsent = [...new FormData(ballot)].filter(
        ([name]) => name !== "csrfmiddlewaretoken" && name !== "submission",
      );
      sessionStorage.setItem(key, JSON.stringify(unsent));
    });
  }
}
