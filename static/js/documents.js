// The documents page: the PDF this visit asked for downloads by itself once it is made. The list
// (polled by htmx while a PDF is being made) marks it with data-pdf-ready; each is downloaded once
// per tab, so reloading the page does not download it again.
(() => {
  const downloadReady = () => {
    const ready = document.querySelector("[data-pdf-ready]");
    if (!ready) return;
    const key = `pdf-downloaded-${ready.dataset.document}`;
    if (sessionStorage.getItem(key)) return;
    sessionStorage.setItem(key, "1");
    window.location.assign(ready.dataset.pdfReady);
  };
  document.addEventListener("DOMContentLoaded", downloadReady);
  document.body.addEventListener("htmx:afterSwap", downloadReady);
})();
