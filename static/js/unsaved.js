// Nothing typed is lost by a stray click: a POST form that was changed (or came back refused,
// still holding what was typed) asks before the page is left. Sending the form clears the
// guard; a form with `data-no-leave-warning` opts out (the language menu, one-click buttons).
// A static file, for the CSP.
(() => {
  const dirty = new Set();
  const guarded = (form) =>
    form instanceof HTMLFormElement &&
    (form.getAttribute("method") || "get").toLowerCase() === "post" &&
    !form.hasAttribute("data-no-leave-warning");

  const mark = (event) => {
    const form = event.target.form || event.target.closest?.("form");
    if (form && guarded(form) && !event.target.hasAttribute?.("data-autosubmit")) dirty.add(form);
  };
  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
  document.addEventListener("submit", (event) => dirty.delete(event.target));

  // A refused form came back with what was typed: that is still unsaved.
  document.addEventListener("DOMContentLoaded", () => {
    for (const form of document.querySelectorAll("form")) {
      if (guarded(form) && form.querySelector(".is-invalid, [data-kept-upload]")) dirty.add(form);
    }
  });

  window.addEventListener("beforeunload", (event) => {
    for (const form of dirty) {
      if (!form.isConnected) dirty.delete(form); // replaced by htmx: its answer is on the page
    }
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = ""; // older browsers show their own sentence; no custom text is allowed
    }
  });
})();
