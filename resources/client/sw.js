'use strict';
// Herald's page as an app (in a secure context only): its own files are kept, so that it opens
// and shows Herald's own "reconnecting" state when Herald cannot be reached, rather than the
// browser's error page. The network comes first, so the page is always Herald's newest when it
// can be had; the streams and the API never go through the cache.

const CacheName = 'herald-page-1';
const PageFiles = ['/', '/client.js', '/client.css', '/favicon.svg', '/markdown-it.js', '/emoji.js',
  '/manifest.webmanifest', '/icon-192.png', '/icon-512.png'];

self.addEventListener('install', (event) => {
  // One by one: a private Herald's page needs the reader's token, and comes when the reader opens it.
  event.waitUntil(caches.open(CacheName)
    .then((cache) => Promise.allSettled(PageFiles.map((file) => cache.add(file))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== CacheName).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  const isPage = request.mode === 'navigate';
  if (!isPage && !PageFiles.includes(url.pathname)) return; // streams and the API: the network alone
  const key = isPage ? '/' : url.pathname; // the page whatever its query (?view=display, ?topic=)
  event.respondWith(fetch(request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CacheName).then((cache) => cache.put(key, copy));
      }
      return response;
    })
    .catch(() => caches.match(key).then((kept) => kept || Response.error())));
});

// A notification brings its page to the front, or opens one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true })
    .then((windows) => (windows.length ? windows[0].focus() : self.clients.openWindow('/'))));
});
