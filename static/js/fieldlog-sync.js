// The field log kept on the device (IndexedDB, through idb) and sent to the server when there is a
// connection: on page load, when the connection returns, every minute while entries wait, and on
// "Send now". Each entry carries the id the device made: the server takes an id it already has as
// the same entry, so retries never make twins. Entries belong to the user who typed them (data-user
// on <body>) and are never sent under another log-in. Also registers the service worker and warns
// at log-out while entries wait. A static file, for the CSP.
(() => {
  const body = document.body;
  const user = body.dataset.user || "";
  const syncUrl = body.dataset.syncUrl;
  const words = document.getElementById("fieldlog-words")?.dataset || {};
  const KEEP_SENT_DAYS = 7;
  const BATCH = 25;

  const dbPromise = window.idb
    ? idb.openDB("jmu-field-log", 1, {
        upgrade(db) {
          const store = db.createObjectStore("entries", { keyPath: "id" });
          store.createIndex("user", "user");
        },
      })
    : Promise.reject(new Error("IndexedDB wrapper missing"));

  const store = {
    async put(entry) {
      return (await dbPromise).put("entries", entry);
    },
    async get(id) {
      return (await dbPromise).get("entries", id);
    },
    async remove(id) {
      return (await dbPromise).delete("entries", id);
    },
    async mine() {
      if (!user) return [];
      const all = await (await dbPromise).getAllFromIndex("entries", "user", user);
      return all.sort((a, b) => (b.savedAt || "").localeCompare(a.savedAt || ""));
    },
  };

  const csrfToken = () => {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    return document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  };

  const changed = () => document.dispatchEvent(new CustomEvent("fieldlog:changed"));
  let state = "idle"; // idle | offline | login | error

  // Sends the user's waiting entries (or the ones given); the answer per entry is kept on it.
  async function send(only) {
    if (!user || !syncUrl) return { state: "login" };
    const waiting = (only || (await store.mine())).filter((e) => e.status === "waiting");
    if (!waiting.length) return { state: "idle" };
    if (!navigator.onLine) {
      state = "offline";
      changed();
      return { state };
    }
    let sent = 0;
    const run = async () => {
      for (let start = 0; start < waiting.length; start += BATCH) {
        const batch = waiting.slice(start, start + BATCH);
        let response;
        try {
          response = await fetch(syncUrl, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify({ entries: batch.map((e) => ({ ...e.data, id: e.id })) }),
          });
        } catch (error) {
          return "offline";
        }
        if (response.status === 401 || response.status === 403) return "login";
        if (!response.ok) return "error";
        const answer = await response.json();
        for (const result of answer.results || []) {
          const entry = batch.find((e) => e.id === result.id);
          if (!entry) continue;
          entry.status = result.status === "sent" ? "sent" : "refused";
          entry.pk = result.pk || null;
          entry.reason = result.reason || "";
          entry.errors = result.errors || {};
          entry.answeredAt = new Date().toISOString();
          await store.put(entry);
          if (entry.status === "sent") sent += 1;
        }
      }
      return "idle";
    };
    state = navigator.locks ? await navigator.locks.request("jmu-field-log-send", run) : await run();
    changed();
    if (sent) document.dispatchEvent(new CustomEvent("fieldlog:sent", { detail: { sent } }));
    return { state, sent };
  }

  async function forgetOldSent() {
    const limit = Date.now() - KEEP_SENT_DAYS * 86400000;
    for (const entry of await store.mine()) {
      if (entry.status === "sent" && Date.parse(entry.answeredAt || 0) < limit) await store.remove(entry.id);
    }
  }

  async function waitingCount() {
    return (await store.mine()).filter((e) => e.status !== "sent").length;
  }

  async function showBadge() {
    const count = await waitingCount();
    const badge = document.getElementById("fieldlog-badge");
    if (badge) badge.textContent = count;
    document.querySelectorAll("[data-fieldlog-nav]").forEach((el) => el.classList.toggle("d-none", count === 0));
  }

  window.FieldLog = { store, send, user, get state() { return state; }, words, waitingCount };

  document.addEventListener("fieldlog:changed", showBadge);
  window.addEventListener("online", () => send());
  window.addEventListener("offline", () => {
    state = "offline";
    changed();
  });
  setInterval(() => send(), 60000);
  if (user) {
    forgetOldSent()
      .then(() => send())
      .catch(() => {})
      .finally(showBadge);
  }

  // Log-out keeps the entries (they wait for the next log-in) but says so first; the pages the
  // service worker kept for this user are forgotten.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches || !form.matches("[data-logout]") || form.dataset.confirmed) return;
    event.preventDefault();
    const count = await waitingCount().catch(() => 0);
    if (count && !window.confirm(`${words.logoutWarning || ""} (${count})`)) return;
    navigator.serviceWorker?.controller?.postMessage("forget-pages");
    form.dataset.confirmed = "true";
    form.submit();
  });

  if ("serviceWorker" in navigator && body.dataset.swUrl) {
    navigator.serviceWorker
      .register(body.dataset.swUrl, { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (user) registration.active?.postMessage("warm-pages");
      })
      .catch(() => {});
    // A new worker (a deploy) takes over: it keeps the user's field-log pages too.
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (user) navigator.serviceWorker.controller?.postMessage("warm-pages");
    });
  }
})();
