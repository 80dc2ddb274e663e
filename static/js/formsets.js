// Adds a blank row to an inline formset without a reload: htmx fetches the row from the server
// (so it is rendered exactly like the others) and the formset's TOTAL_FORMS is raised by one.
// Without JavaScript the form still works: it always offers one blank row and Remove boxes.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const prefix = button.dataset.addRow;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const index = parseInt(total.value, 10);
  htmx.ajax("GET", `${button.dataset.url}?index=${index}`, {
    target: button.dataset.target,
    swap: "beforeend",
  }).then(() => {
    total.value = index + 1;
    const rows = document.querySelectorAll(`${button.dataset.target} tr`);
    rows[rows.length - 1]?.querySelector("input, select")?.focus();
  });
});

// Ticking "Remove" marks the row at once; the row goes when the form is saved.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.name || !box.name.endsWith("-DELETE")) return;
  box.closest("tr")?.classList.toggle("row-removed", box.checked);
});
