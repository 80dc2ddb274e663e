// "On this phone": the entries kept on the device with their state (waiting, sent, refused with
// the reason and a way to fix it), and "Send now". A static file, for the CSP.
(() => {
  const FieldLog = window.FieldLog;
  const section = document.getElementById("device-section");
  if (!FieldLog || !section) return;
  const list = document.getElementById("device-entries");
  const template = document.getElementById("device-entry-template");
  const summary = document.getElementById("device-summary");
  const local = document.getElementById("device-words").dataset;
  const formUrl = document.body.dataset.formUrl;
  const BADGES = { waiting: "text-bg-warning", sent: "text-bg-success", refused: "text-bg-danger" };

  const message = sessionStorage.getItem("fieldlog-message");
  if (message) {
    sessionStorage.removeItem("fieldlog-message");
    summary.dataset.once = message;
  }

  // The day as the page writes its own dates (Serbian 08.12.2026., English 12/08/2026).
  const serbian = document.documentElement.lang.startsWith("sr");
  const day = (iso) => {
    if (!iso) return "";
    const [year, month, date] = iso.split("-");
    return serbian ? `${date}.${month}.${year}.` : `${month}/${date}/${year}`;
  };

  async function draw() {
    const entries = await FieldLog.store.mine();
    section.classList.toggle("d-none", entries.length === 0 && !summary.dataset.once);
    list.replaceChildren();
    for (const entry of entries) {
      const item = template.content.firstElementChild.cloneNode(true);
      const slot = (name) => item.querySelector(`[data-slot=${name}]`);
      item.dataset.id = entry.id;
      item.dataset.status = entry.status;
      slot("title").textContent = `${day(entry.data.date)} · ${entry.label?.type || ""}`;
      slot("status").textContent = local[entry.status];
      slot("status").classList.add(BADGES[entry.status]);
      slot("where").textContent = entry.label?.settlement || "—";
      slot("people").textContent = entry.label?.people ?? "";
      slot("households").textContent = entry.label?.households ?? "";
      slot("reason").textContent = entry.status === "refused" ? entry.reason : "";
      if (entry.status === "sent") slot("actions").remove();
      else {
        slot("fix").href = `${formUrl}?jmu=${encodeURIComponent(entry.data.jmu)}&fix=${encodeURIComponent(entry.id)}`;
        if (entry.status !== "refused") slot("fix").remove();
        slot("discard").addEventListener("click", async () => {
          if (!window.confirm(local.discard)) return;
          await FieldLog.store.remove(entry.id);
          document.dispatchEvent(new CustomEvent("fieldlog:changed"));
        });
      }
      list.appendChild(item);
    }
    const waiting = entries.filter((e) => e.status === "waiting").length;
    const parts = [];
    if (summary.dataset.once) parts.push(summary.dataset.once);
    if (waiting) parts.push(`${waiting} ${local.countWaiting}`);
    if (waiting && FieldLog.state === "login") parts.push(local.login);
    if (waiting && (FieldLog.state === "offline" || !navigator.onLine)) parts.push(local.offline);
    summary.textContent = parts.join(" · ");
    document.getElementById("send-now").disabled = waiting === 0;
  }

  document.getElementById("send-now").addEventListener("click", () => FieldLog.send().then(draw));
  // What was sent is now in the server's lists below (this week's totals): load them again.
  document.addEventListener("fieldlog:sent", () => {
    if (navigator.onLine) location.reload();
  });
  document.addEventListener("fieldlog:changed", () => {
    delete summary.dataset.once; // "kept on this phone" is old news once a send was tried
    draw();
  });
  window.addEventListener("online", draw);
  window.addEventListener("offline", draw);
  draw();
})();
