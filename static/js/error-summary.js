// A refused form: its summary of errors (templates/partials/error_summary.html) takes the focus, so
// it is read and seen first; each link in it moves the focus into the field it names. A plan's or
// report's list of what is missing ([data-error-summary] too) does the same. Static, for the CSP.
(() => {
  document.addEventListener("DOMContentLoaded", () => {
    const summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.scrollIntoView({ block: "start" });
      summary.focus({ preventScroll: true });
      return;
    }
    // Arrived from a list of what is missing (a link to a form at its field): that field.
    const target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.matches("input, select, textarea")) {
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    }
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[data-focus]");
    const field = link && document.getElementById(link.dataset.focus);
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
    history.replaceState(null, "", `#${link.dataset.focus}`);
  });
})();
