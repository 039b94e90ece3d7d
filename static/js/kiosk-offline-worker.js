// The kiosk's service worker (scope: the kiosk's pages). It keeps the offline page and
// what that page loads, and shows the offline page whenever a kiosk page cannot be
// reached: a reload with no network, or a form sent just as the network went.
// It never keeps a page of a voter's, and never touches the queue (IndexedDB).

const CACHE = `nd-kiosk-offline:${self.registration.scope}`;
const MANIFEST = new URL("offline/manifest.json", self.registration.scope).href;

async function fill() {
  const answer = await fetch(MANIFEST, { credentials: "same-origin", cache: "no-store" });
  if (!answer.ok || !answer.headers.get("content-type")?.includes("json")) {
    throw new Error("The kiosk is not open on this tablet.");
  }
  const manifest = await answer.json();
  const cache = await caches.open(CACHE);
  await cache.addAll([manifest.shell, ...manifest.assets]);
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
