// The kiosk's service worker (scope: the kiosk's pages). It keeps the offline page and
// what that page loads, and shows the offline page whenever a kiosk page cannot be
// reached: a reload with no network, or a form sent just as the network went.
// It never keeps a page of a voter's, and never touches the queue (IndexedDB).

const CACHE = `nd-kiosk-offline:${self.registration.scope}`;
const MANIFEST = new URL("offline/manifest.json", self.registration.scope).href;

// Never following a redirect: the kiosk's pages redirect to the start page, which
// forgets the voter on screen, and this runs beside whatever screen is showing.
const fetchKiosk = (url) =>
  fetch(url, { credentials: "same-origin", cache: "no-store", redirect: "error" });

async function fill() {
  const answer = await fetchKiosk(MANIFEST);
  if (!answer.ok || !answer.headers.get("content-type")?.includes("json")) {
    throw new Error("The kiosk is not open on this tablet.");
  }
  const manifest = await answer.json();
  const page = await fetchKiosk(manifest.shell);
  if (!page.ok) throw new Error("The offline page could not be kept.");
  const cache = await caches.open(CACHE);
  await cache.put(manifest.shell, page);
  await cache.addAll(manifest.assets);
  await cache.put("manifest", new Response(JSON.stringify(manifest)));
  return manifest;
}

async function shell() {
  const cache = await caches.open(CACHE);
  const kept = await cache.match("manifest");
  if (!kept) return Response.error();
  const manifest = await kept.json();
  return (await cache.match(manifest.shell)) || Response.error();
}

self.addEventListener("install", (event) => {
  event.waitUntil(fill().catch(() => undefined));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

// The page asks for a fresh copy (the ballot may have changed) and is told when it is kept.
self.addEventListener("message", (event) => {
  if (event.data !== "refresh") return;
  const port = event.ports[0];
  event.waitUntil(
    fill().then(
      () => port?.postMessage({ ready: true }),
      () => port?.postMessage({ ready: false }),
    ),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // The network first, always: kiosk pages are never kept. With no network, the
    // offline page (a form sent with no network is lost, and the page says so).
    event.respondWith(fetch(request).catch(() => shell()));
    return;
  }
  if (request.method === "GET" && url.pathname.startsWith("/static/")) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const kept = await cache.match(request, { ignoreVary: true });
        if (kept) return kept;
        const answer = await fetch(request);
        if (answer.ok) cache.put(request, answer.clone());
        return answer;
      }),
    );
  }
});
