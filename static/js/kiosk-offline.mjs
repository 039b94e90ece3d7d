// The kiosk's offline path. Needs JavaScript; without it the kiosk works online only.
//
// - Registers the kiosk's service worker, which keeps the offline page (the station's
//   ballots, never a voter's) and shows it whenever the network is gone.
// - Keeps the station session's key, given by the server only to the tablet staff
//   opened, as a non-extractable, encrypt-only WebCrypto key in IndexedDB: this page can
//   lock ballots with it but nothing on the tablet can unlock them; the server can.
// - Keeps each ballot made offline in IndexedDB as AES-GCM ciphertext with its
//   idempotency key, and sends the queue when the network is back (the `online` event,
//   and every 30 seconds), dropping each ballot only once the server has answered for it.
// - Starting again for the next voter reloads the offline page: the voter's screens go,
//   the queue stays.

const SYNC_EVERY_MS = 30_000;
const DB_NAME = "nd-kiosk-offline";
const config = document.querySelector("[data-kiosk-offline]")?.dataset;

// --- IndexedDB ------------------------------------------------------------------------

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("kit", { keyPath: "id" });
      request.result.createObjectStore("queue", { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function inStore(name, mode, work) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(name, mode);
      const request = work(transaction.objectStore(name));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

const readKit = () => inStore("kit", "readonly", (store) => store.get("kit"));
const queued = () => inStore("queue", "readonly", (store) => store.getAll());
const waitingCount = () => inStore("queue", "readonly", (store) => store.count());

// --- Bytes ------------------------------------------------------------------------------

const toBase64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const hex = (bytes) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

function csrfToken() {
  const found = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return found ? decodeURIComponent(found.split("=")[1]) : "";
}

async function post(url, body) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    cache: "no-store",
    redirect: "manual",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: body === undefined ? "{}" : JSON.stringify(body),
  });
}

// --- The key ----------------------------------------------------------------------------

async function fetchKit() {
  const answer = await post(config.key);
  if (answer.status !== 200) return false;
  const kit = await answer.json();
  const key = await crypto.subtle.importKey("raw", fromBase64(kit.key), "AES-GCM", false, [
    "encrypt",
  ]);
  await inStore("kit", "readwrite", (store) =>
    store.put({ id: "kit", kit: kit.kit, key, pin: kit.pin }),
  );
  return true;
}

async function seal(payload) {
  const kit = await readKit();
  if (!kit) throw new Error("no key");
  const key = crypto.randomUUID();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(key) },
    kit.key,
    new TextEncoder().encode(JSON.stringify(payload)),
  );
  // Nothing but ciphertext and the idempotency key is kept: not even when, or where.
  await inStore("queue", "readwrite", (store) =>
    store.add({ key, iv: toBase64(iv), data: toBase64(data) }),
  );
}

// --- Sending the queue ------------------------------------------------------------------

let sending = false;

// Sends what is waiting; true if the server answered (the network is back).
async function sendQueue() {
  if (sending || !config) return false;
  sending = true;
  let reached = false;
  try {
    for (const ballot of await queued()) {
      let answer;
      try {
        answer = await post(config.sync, ballot);
      } catch {
        break; // Still no network: try again later.
      }
      reached = true;
      if (answer.status === 200 && (await answer.json()).outcome) {
        await inStore("queue", "readwrite", (store) => store.delete(ballot.key));
      } else if (answer.status === 400 || answer.status === 409) {
        continue; // This one cannot be taken (see the README): kept, the rest still go.
      } else {
        break; // Not bound to an open station now, or the server failed: kept for later.
      }
    }
  } finally {
    sending = false;
    await showWaiting();
  }
  return reached;
}

async function showWaiting() {
  let count;
  try {
    count = await waitingCount();
  } catch {
    return;
  }
  for (const element of document.querySelectorAll("[data-offline-waiting-text]")) {
    element.textContent = element.dataset.template.replace("{n}", String(count));
  }
  for (const element of document.querySelectorAll("[data-offline-queue]")) element.hidden = false;
  for (const element of document.querySelectorAll("[data-offline-queue-warning]")) {
    element.hidden = count === 0;
  }
  for (const element of document.querySelectorAll("[data-offline-needs-js]")) element.hidden = true;
}

// --- Getting ready (kiosk pages with a network) ------------------------------------------

async function prepare() {
  if (!("serviceWorker" in navigator) || !window.crypto?.subtle) return false;
  // Just after staff open the station, and on the staff screen: the server gives the key.
  if (document.body.hasAttribute("data-offline-key-due")) await fetchKit().catch(() => false);
  // The other languages' kiosks too, so switching language with no network still works.
  const others = (config.allWorkers || "").split(" ").filter((w) => w && w !== config.worker);
  await Promise.all(
    others.map((worker) =>
      navigator.serviceWorker.register(worker).then(settled, () => undefined),
    ),
  );
  await navigator.serviceWorker.register(config.worker, { type: "classic" });
  const registration = await navigator.serviceWorker.ready;
  const kept = await new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data?.ready === true);
    registration.active.postMessage("refresh", [channel.port2]);
  });
  return kept && Boolean(await readKit());
}

// Resolves once a registration's worker has installed (its cache filled) or failed.
function settled(registration) {
  const worker = registration.installing || registration.waiting;
  if (!worker) return Promise.resolve();
  return new Promise((resolve) => {
    worker.addEventListener("statechange", () => {
      if (["activated", "redundant"].includes(worker.state)) resolve();
    });
  });
}

function showReady(ready) {
  for (const element of document.querySelectorAll("[data-offline-ready-text]")) {
    const text = ready ? element.dataset.ready : element.dataset.notReady;
    element.textContent = text || "";
    element.hidden = !text;
  }
  if (ready) document.body.setAttribute("data-offline-ready", "");
}

// --- The offline page --------------------------------------------------------------------

function offlinePage() {
  const screens = document.querySelectorAll("[data-screen]");
  const errorBox = document.querySelector("[data-offline-error]");
  let voter = null;

  const restart = () => window.location.replace(config.shell);
  const fail = (message) => {
    errorBox.querySelector("[data-offline-error-text]").textContent = message;
    errorBox.hidden = false;
    errorBox.focus();
  };
  const show = (name) => {
    errorBox.hidden = true;
    for (const screen of screens) screen.hidden = screen.dataset.screen !== name;
    const shown = document.querySelector(`[data-screen="${name}"]`);
    document.title = `${shown.querySelector("h1").textContent.trim()} · ${document.title.split(" · ").pop()}`;
    window.scrollTo(0, 0);
    shown.querySelector("h1").focus();
  };
  const toBallot = (envelope) => {
    const screen = document.querySelector(`[data-screen="ballot-${envelope}"]`);
    if (!screen) return false;
    for (const age of screen.querySelectorAll("[data-offline-age]")) {
      age.hidden = voter.method !== "code";
    }
    show(`ballot-${envelope}`);
    return true;
  };
  const envelopeOf = (form, name) => form.querySelector(`[name="${name}"]:checked, input[type=hidden][name="${name}"]`)?.value;

  // The address may be the page that could not be reached: show the offline page's own.
  const kept = new URLSearchParams(window.location.search).has("kept");
  window.history.replaceState(null, "", config.shell);
  show("start");
  document.querySelector("[data-offline-kept]").hidden = !kept;

  for (const button of document.querySelectorAll("[data-offline-restart]")) {
    button.addEventListener("click", restart);
  }
  // "Start again" asks first when anything is ticked or given points, as online.
  for (const button of document.querySelectorAll("[data-offline-start-again]")) {
    const screen = button.closest("[data-screen]");
    const ask = screen.querySelector("[data-offline-ask-restart]");
    button.addEventListener("click", () => {
      const chosen = [...screen.querySelectorAll("input[name=choice], input[type=number]")].some(
        (field) => (field.type === "checkbox" ? field.checked : Number(field.value) > 0),
      );
      if (!chosen) return restart();
      ask.hidden = false;
      ask.focus();
    });
    screen.querySelector("[data-offline-keep]").addEventListener("click", () => {
      ask.hidden = true;
      button.focus();
    });
  }
  for (const button of document.querySelectorAll("[data-offline-go]")) {
    button.addEventListener("click", () => show(button.dataset.offlineGo));
  }

  const codeForm = document.querySelector("[data-offline-code-form]");
  codeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = codeForm.querySelector("input[type=text], input:not([type])").value.trim();
    const envelope = envelopeOf(codeForm, "neighbourhood-code");
    if (!code) return fail(codeForm.dataset.missing);
    if (!envelope) return fail(codeForm.dataset.noNeighbourhood);
    voter = { method: "code", code, envelope: Number(envelope) };
    codeForm.reset();
    toBallot(envelope);
  });

  const unlockForm = document.querySelector("[data-offline-unlock-form]");
  unlockForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = unlockForm.querySelector("input[type=password]");
    const kit = await readKit();
    if (!kit?.pin) return fail(unlockForm.dataset.noPin);
    const material = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(input.value),
      "PBKDF2",
      false,
      ["deriveBits"],
    );
    const bits = await crypto.subtle.deriveBits(
      {
        name: "PBKDF2",
        hash: "SHA-256",
        salt: new TextEncoder().encode(kit.pin.salt),
        iterations: kit.pin.iterations,
      },
      material,
      256,
    );
    input.value = "";
    if (hex(bits) !== kit.pin.hash) return fail(unlockForm.dataset.wrong);
    show("staff");
  });

  const declarationForm = document.querySelector("[data-offline-declaration-form]");
  declarationForm?.addEventListener("submit", (event) => {
    event.preventDefault();
    const field = (suffix) => declarationForm.querySelector(`[name$="-${suffix}"]`);
    const dateOfBirth = field("date_of_birth");
    const filled =
      field("name").value.trim() &&
      field("postcode").value.trim() &&
      field("checked_by").value &&
      field("confirmed").checked &&
      (!dateOfBirth || dateOfBirth.value.trim());
    if (!filled) return fail(declarationForm.dataset.missing);
    const envelope = envelopeOf(declarationForm, "neighbourhood-declaration");
    if (!envelope) return fail(declarationForm.dataset.noNeighbourhood);
    voter = {
      method: "declaration",
      name: field("name").value.trim(),
      postcode: field("postcode").value.trim(),
      date_of_birth: dateOfBirth ? dateOfBirth.value.trim() : "",
      checked_by: Number(field("checked_by").value),
      envelope: Number(envelope),
    };
    declarationForm.reset();
    toBallot(envelope);
  });

  for (const ballotForm of document.querySelectorAll("[data-offline-ballot]")) {
    ballotForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!voter) return restart();
      const problem = ruleProblem(ballotForm, voter);
      if (problem) return fail(problem);
      const form = [...new FormData(ballotForm).entries()].filter(([, value]) => value !== "");
      try {
        await seal({ ...voter, form });
      } catch {
        return fail(ballotForm.dataset.notKept || "");
      }
      voter = null;
      // A fresh page for the next voter: nothing of this one stays, not even in history.
      window.location.replace(`${config.shell}?kept=1`);
    });
  }

  // Idle: back to the start, as online.
  const idleSeconds = Number(document.body.dataset.offlineIdle || 0);
  if (idleSeconds > 0) {
    let timer;
    const again = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        if (voter || document.querySelector('[data-screen="start"]').hidden) restart();
      }, idleSeconds * 1000);
    };
    for (const name of ["pointerdown", "keydown", "input", "touchstart"]) {
      window.addEventListener(name, again, { passive: true, capture: true });
    }
    again();
  }

  // Back online: send the queue, and at the start screen go back to the kiosk's own
  // pages as soon as the server answers (a queue that cannot be sent yet stays queued).
  const backOnline = async () => {
    await sendQueue();
    const atStart = !document.querySelector('[data-screen="start"]').hidden;
    if (!atStart || voter || !navigator.onLine) return;
    // Asked of the manifest, which changes nothing: the start page would forget a voter.
    const probe = await fetch(config.manifest, { cache: "no-store", redirect: "error" }).catch(
      () => null,
    );
    if (probe && (probe.ok || probe.status === 403)) window.location.replace(config.start);
  };
  window.addEventListener("online", backOnline);
  window.setInterval(backOnline, SYNC_EVERY_MS);
}

function ruleProblem(form, voter) {
  const rule = form.dataset;
  const ticked = [...form.querySelectorAll("input[name=choice]:checked")];
  const points = [...form.querySelectorAll("input[name^='points-']")]
    .map((input) => Number(input.value || 0))
    .filter((value) => value !== 0);
  if (!ticked.length && !points.length) return rule.none;
  if (rule.ruleKind === "cumulative") {
    const total = points.reduce((sum, value) => sum + value, 0);
    if (points.some((value) => value < 0 || value > Number(rule.pointsMax)) || total > Number(rule.pointsTotal)) {
      return rule.tooManyPoints;
    }
  }
  if (rule.ruleKind === "k_approval" && ticked.length > Number(rule.maxChoices)) return rule.tooMany;
  if (rule.ruleKind === "knapsack") {
    const cost = ticked.reduce((sum, input) => sum + Number(input.closest("[data-cost]").dataset.cost), 0);
    if (cost > Number(rule.budget)) return rule.overBudget;
  }
  const age = form.querySelector("[data-offline-age]:not([hidden]) input");
  if (voter.method === "code" && age && !age.checked) return rule.noAge;
  return "";
}

// --- Start --------------------------------------------------------------------------------

// The station is closed: the kiosk's pages are no longer kept. A queue left behind (staff
// closed with votes waiting, despite the warning) stays on the tablet, still sealed; a
// closed session cannot send it (see the README).
if (document.querySelector("[data-kiosk-offline-closed]") && "serviceWorker" in navigator) {
  navigator.serviceWorker
    .getRegistrations()
    .then((registrations) => Promise.all(registrations.map((r) => r.unregister())))
    .then(() => caches.keys())
    .then((names) =>
      Promise.all(names.filter((n) => n.startsWith("nd-kiosk-offline")).map((n) => caches.delete(n))),
    )
    .catch(() => undefined);
}

if (config && "indexedDB" in window && window.crypto?.subtle) {
  if (document.body.hasAttribute("data-kiosk-offline-shell")) {
    offlinePage();
    showWaiting();
    if (navigator.onLine) sendQueue();
  } else {
    prepare()
      .then(showReady, () => showReady(false))
      .finally(() => {
        showWaiting();
        sendQueue();
      });
    window.addEventListener("online", sendQueue);
    window.setInterval(sendQueue, SYNC_EVERY_MS);
    // Network gone on the start screen: straight to the offline page.
    if (document.body.hasAttribute("data-kiosk-start")) {
      window.addEventListener("offline", () => window.location.replace(config.shell));
    }
  }
}
