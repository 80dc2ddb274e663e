/* JMU Planner service worker, version {{ version }} (jmu_planner/pwa.py). */
importScripts(...{{ workbox|safe }});

const VERSION = "{{ version }}";
const PAGES = `jmu-pages-${VERSION}`;
const STATIC = `jmu-static-${VERSION}`;
const OFFLINE_PAGES = {{ pages|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const STATIC_PREFIX = {{ static_prefix|safe }};

workbox.core.setCacheNameDetails({ prefix: "jmu", suffix: VERSION });
workbox.core.skipWaiting();
workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute({{ precache|safe }});

// A page answered by a redirect (to the log-in page: the session expired) is not the page.
const onlyThePage = {
  cacheWillUpdate: async ({ response }) => (response && response.ok && !response.redirected ? response : null),
};
const pages = new workbox.strategies.NetworkFirst({
  cacheName: PAGES,
  networkTimeoutSeconds: 6,
  plugins: [onlyThePage],
  matchOptions: { ignoreSearch: true, ignoreVary: true },
});
workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === location.origin && OFFLINE_PAGES.includes(url.pathname),
  pages,
);
workbox.routing.registerRoute(({ request }) => request.mode === "navigate", new workbox.strategies.NetworkOnly());
// Other static files (fonts, images) are kept once they were used.
workbox.routing.registerRoute(
  ({ request, url }) => request.method === "GET" && url.origin === location.origin && url.pathname.startsWith(STATIC_PREFIX),
  new workbox.strategies.CacheFirst({
    cacheName: STATIC,
    plugins: [new workbox.expiration.ExpirationPlugin({ maxEntries: 200 })],
  }),
);
workbox.routing.setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    return (await workbox.precaching.matchPrecache(OFFLINE_URL)) || Response.error();
  }
  return Response.error();
});

// The field-log pages of the signed-in user, put in the cache as soon as the page asks for it.
async function warmPages() {
  const cache = await caches.open(PAGES);
  await Promise.all(
    OFFLINE_PAGES.map(async (path) => {
      try {
        const response = await fetch(path, { credentials: "same-origin" });
        if (response.ok && !response.redirected) await cache.put(path, response);
      } catch (error) {
        /* offline: the pages stay as they were */
      }
    }),
  );
}

self.addEventListener("message", (event) => {
  if (event.data === "warm-pages") event.waitUntil(warmPages());
  if (event.data === "forget-pages") event.waitUntil(caches.delete(PAGES));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(
        keys
          .filter((key) => (key.startsWith("jmu-pages-") || key.startsWith("jmu-static-")) && ![PAGES, STATIC].includes(key))
          .map((key) => caches.delete(key)),
      ),
    ),
  );
});
