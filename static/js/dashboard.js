// The dashboard's charts, drawn from the JSON the page carries (json_script): no inline script
// under the Content-Security-Policy. Labels come translated and in the reader's script; the
// numbers behind each chart are in the table under it.
(() => {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const style = getComputedStyle(document.body);
  // The page's own font: it carries both Latin and Cyrillic glyphs.
  Chart.defaults.font.family = style.fontFamily;
  Chart.defaults.color = style.color;
  const locale = document.documentElement.lang || undefined;
  const palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#ffc107", "#0dcaf0", "#6c757d", "#d63384"];

  // Long area names ("Civil registration and personal documents") wrap onto lines of ~18 characters.
  const wrap = (label) => {
    const lines = [];
    for (const word of String(label).split(" ")) {
      const last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= 18) lines[last] += " " + word;
      else lines.push(word);
    }
    return lines;
  };

  const draw = (id, type, series, options = {}) => {
    const canvas = document.getElementById(id);
    if (!canvas || !series) return;
    new Chart(canvas, {
      type,
      data: {
        labels: type === "bar" ? series.labels.map(wrap) : series.labels,
        datasets: [{
          label: series.label,
          data: series.values,
          backgroundColor: type === "doughnut" ? palette : palette[0],
        }],
      },
      options: {
        locale,
        responsive: true,
        maintainAspectRatio: false,
        animation: false, // drawn at once: no motion for those who avoid it, and printable
        plugins: { legend: { display: type === "doughnut", position: "bottom" } },
        ...options,
      },
    });
  };

  draw("chart-progress", "bar", data.progress, {
    indexAxis: "y",
    // Every area named, even when wrapped names leave no room between them.
    scales: { x: { min: 0, max: 100 }, y: { ticks: { autoSkip: false, font: { size: 11 } } } },
  });
  draw("chart-spending", "bar", data.spending, { scales: { y: { beginAtZero: true } } });
  draw("chart-statuses", "doughnut", data.statuses);
})();
