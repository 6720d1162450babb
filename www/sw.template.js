// Offline service worker for the demo page (generated into dist/sw.js by webpack.config.js).
// Cache-first for this site's own files, pre-cached at install, so the page and the engine load
// with no network once visited. It never caches or forwards anything else: the widget makes no
// request with store data, and the official check (a POST) always goes to the network.
const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
const CACHE = `merchant-credit-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('merchant-credit-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.match(req, { ignoreSearch: true }).then((hit) => hit || fetch(req)),
  );
});
