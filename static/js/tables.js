// Phones: a table never makes the page wider than the screen. A table not already inside a
// `.table-responsive` box gets one, and a box that really scrolls becomes keyboard-focusable and
// named after its table (caption or the nearest heading), so keyboard users can scroll it too.
(() => {
  const main = document.getElementById("main");
  if (!main) return;
  for (const table of main.querySelectorAll("table")) {
    if (table.closest(".table-responsive")) continue;
    const box = document.createElement("div");
    box.className = "table-responsive";
    table.replaceWith(box);
    box.append(table);
  }
  const nameOf = (box) => {
    const caption = box.querySelector("caption");
    if (caption) return caption.textContent.trim();
    const section = box.closest("section, .card, article");
    const heading = section && section.querySelector("h1, h2, h3, h4, strong");
    return heading ? heading.textContent.trim() : "";
  };
  const mark = () => {
    for (const box of main.querySelectorAll(".table-responsive")) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) continue;
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      const name = nameOf(box);
      if (name && !box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", name);
      }
    }
  };
  mark();
  window.addEventListener("resize", mark);
})();
