// The field-log form: the sum of people as they type, and (new entries) the entry kept on the
// device first, then sent: online it is answered at once (refusals shown next to the fields),
// offline it waits on the phone. "?fix=<id>" loads a refused or waiting entry back for fixing.
// A static file, for the CSP.
(() => {
  const form = document.getElementById("activity-form");
  if (!form) return;
  const sum = document.getElementById("people-sum");
  const counts = [...form.querySelectorAll("[data-count]")];
  const showSum = () => {
    sum.textContent = counts.reduce((total, input) => total + (parseInt(input.value, 10) || 0), 0);
  };
  counts.forEach((input) => input.addEventListener("input", showSum));
  showSum();

  if (!form.hasAttribute("data-fieldlog-form") || !window.FieldLog) return;
  const FieldLog = window.FieldLog;
  const words = document.getElementById("fieldlog-words").dataset;
  const status = document.getElementById("fieldlog-status");
  const LISTS = ["members", "areas", "measures"];
  const KEPT = ["jmu", "date", "type", "settlement", "members"]; // "Save and add another" keeps these

  const say = (text, kind) => {
    status.className = `alert alert-${kind} py-2`;
    status.textContent = text;
  };

  const read = () => {
    const data = {};
    const raw = new FormData(form);
    for (const name of LISTS) data[name] = raw.getAll(name);
    for (const [name, value] of raw.entries()) {
      if (!LISTS.includes(name) && !["csrfmiddlewaretoken", "client_id", "next", "save", "another"].includes(name)) {
        data[name] = value;
      }
    }
    return data;
  };

  const label = (data) => {
    const option = (name) => form.querySelector(`[name=${name}] option:checked`)?.textContent.trim() || "";
    const people = counts.reduce((total, input) => total + (parseInt(input.value, 10) || 0), 0);
    return { type: option("type"), settlement: data.settlement ? option("settlement") : "", people, households: data.households || "0" };
  };

  const clearErrors = () => {
    form.querySelectorAll("[data-sync-error]").forEach((el) => el.remove());
    form.querySelectorAll(".is-invalid").forEach((el) => el.classList.remove("is-invalid"));
    const top = document.getElementById("form-errors");
    top.classList.add("d-none");
    top.textContent = "";
  };

  const showErrors = (errors) => {
    clearErrors();
    for (const [name, messages] of Object.entries(errors || {})) {
      const input = form.querySelector(`[name=${name}]`);
      const box = input && (form.querySelector(`[data-field=${name}]`) || input.closest(".mb-3") || input.parentElement);
      if (!box) {
        const top = document.getElementById("form-errors");
        top.classList.remove("d-none");
        for (const message of messages) {
          const div = document.createElement("div");
          div.dataset.syncError = "";
          div.textContent = message;
          top.appendChild(div);
        }
        continue;
      }
      form.querySelectorAll(`[name=${name}]`).forEach((el) => el.classList.add("is-invalid"));
      for (const message of messages) {
        const div = document.createElement("div");
        div.className = "invalid-feedback d-block";
        div.dataset.syncError = "";
        div.textContent = message;
        box.appendChild(div);
      }
    }
    form.querySelector(".is-invalid")?.focus();
  };

  const fill = (data) => {
    for (const [name, value] of Object.entries(data)) {
      const inputs = form.querySelectorAll(`[name=${name}]`);
      if (LISTS.includes(name)) inputs.forEach((input) => (input.checked = value.includes(input.value)));
      else inputs.forEach((input) => (input.value = value));
    }
    showSum();
  };

  const fresh = (keep) => {
    const data = read();
    form.reset();
    fill(Object.fromEntries(KEPT.filter((k) => k in data).map((k) => [k, data[k]])));
    form.elements.client_id.value = crypto.randomUUID();
    counts.forEach((input) => (input.value = "0"));
    form.elements.households.value = "0";
    showSum();
    if (!keep) clearErrors();
    form.querySelector("[name=settlement]")?.focus();
  };

  // A new id for every new entry: the page itself may come from the device's cache, with the id
  // it was first drawn with (already used by the entry typed then).
  form.elements.client_id.value = crypto.randomUUID();
  const fixing = new URLSearchParams(location.search).get("fix");
  if (fixing) {
    FieldLog.store.get(fixing).then((entry) => {
      if (!entry || entry.user !== FieldLog.user) return;
      fill(entry.data);
      form.elements.client_id.value = entry.id;
      if (entry.status === "refused") {
        showErrors(entry.errors);
        say(`${words.refused}: ${entry.reason}`, "danger");
      }
    });
  }

  let busy = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const another = event.submitter?.name === "another";
    const data = read();
    const entry = {
      id: form.elements.client_id.value,
      user: FieldLog.user,
      status: "waiting",
      savedAt: new Date().toISOString(),
      data,
      label: label(data),
    };
    try {
      await FieldLog.store.put(entry); // kept before anything else can fail
      const { state } = await FieldLog.send([entry]);
      const kept = await FieldLog.store.get(entry.id);
      if (kept.status === "refused") {
        showErrors(kept.errors);
        say(`${words.refused}: ${kept.reason}`, "danger");
        return;
      }
      clearErrors();
      const text = kept.status === "sent" ? words.sentNow : state === "login" ? words.keptLogin : words.keptOffline;
      if (another) {
        say(text, kept.status === "sent" ? "success" : "warning");
        fresh();
      } else if (form.elements.next?.value && kept.status === "sent") {
        location.assign(form.elements.next.value); // back to the report it was logged from
      } else {
        sessionStorage.setItem("fieldlog-message", text);
        location.assign(form.dataset.listUrl);
      }
    } catch (error) {
      say(words.notKept, "danger");
    } finally {
      busy = false;
    }
  });
})();
