// A <select data-autosubmit> sends its form as soon as a choice is made (the language menu).
// A static file rather than an inline onchange: the Content-Security-Policy allows no inline script.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select?.form) select.form.requestSubmit();
});
