// Progressive enhancement only: every page works without this file.
// "Expand all quotes" opens every folded quote of a thread at once.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("button.expand-all");
  const folded = document.querySelectorAll("details.quote");
  if (!button || folded.length === 0) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-pressed") !== "true";
    folded.forEach((d) => { d.open = open; });
    button.setAttribute("aria-pressed", String(open));
  });
  // Opening a permalink to a message inside a folded quote shows it.
  if (location.hash) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView();
  }
});
