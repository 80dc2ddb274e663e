// A form sent once: while a POST is in flight its submit buttons are disabled, so a double click
// (or a second Enter) makes no second plan, copy or measure. The server keeps the last word: the
// forms carry a one-time token and the database refuses twins. A static file, for the CSP.
(() => {
  const BUTTONS = "button:not([type]), button[type=submit], input[type=submit]";
  const isHtmx = (form) => ["hx-post", "hx-put", "hx-patch", "hx-delete"].some((a) => form.hasAttribute(a));

  const setBusy = (form, busy) => {
    if (busy) form.dataset.submitting = "true";
    else delete form.dataset.submitting;
    for (const button of form.querySelectorAll(BUTTONS)) {
      button.disabled = busy;
      button.toggleAttribute("aria-busy", busy);
    }
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "get").toLowerCase() !== "post") return;
    if (isHtmx(form)) return; // htmx requests are handled by its events below
    if (form.dataset.submitting) {
      event.preventDefault(); // the first submit is on its way
      return;
    }
    if (event.defaultPrevented) return;
    form.dataset.submitting = "true"; // at once: a second click in the same instant is refused
    // The buttons after the event: disabling them now would drop the clicked one's name and value.
    setTimeout(() => setBusy(form, true), 0);
  });

  // Back to the page from the browser's history: the buttons work again.
  window.addEventListener("pageshow", () => {
    for (const form of document.querySelectorAll("form[data-submitting]")) setBusy(form, false);
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt.closest?.("form");
    if (form && event.detail.requestConfig?.verb !== "get") setTimeout(() => setBusy(form, true), 0);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt.closest?.("form");
    if (form?.isConnected) setBusy(form, false);
  });
})();
