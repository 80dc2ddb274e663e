// Phones: a `.table-stack` table reads as stacked rows, each cell with its column's heading beside
// it (app.css), so no column of meaning is hidden off-screen. The headings are copied here from the
// table's own <thead> (one place for the words). A static file, for the CSP.
(() => {
  for (const table of document.querySelectorAll("table.table-stack")) {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr, tfoot tr")) {
      [...row.children].forEach((cell, index) => {
        if (headings[index] && !cell.dataset.label) cell.dataset.label = headings[index];
      });
    }
  }
})();
