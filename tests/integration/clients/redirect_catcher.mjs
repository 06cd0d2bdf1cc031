// The client's redirect_uri: a loopback HTTP server, as a native app has (RFC 8252 section 7.3),
// that answers each request for it with a page and hands its URL to whoever awaits it.
import { once } from 'node:events';
import { createServer } from 'node:http';

export async function catchRedirects(redirectUri, timeout = 15_000) {
  const base = new URL(redirectUri);
  const arrived = [];
  const waiting = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url, base);
    if (url.pathname !== base.pathname) {  // the page's /favicon.ico, say
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Client</title><h1>Back at the client</h1>');
    if (waiting.length) waiting.shift()(url);
    else arrived.push(url);
  });
  server.listen(Number(base.port), base.hostname);
  await once(server, 'listening');
  return {
    // The URL of the next request, or a rejection after `timeout` ms.
    next() {
      if (arrived.length) return Promise.resolve(arrived.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(settle), 1);
          reject(new Error(`no redirect to ${redirectUri} within ${timeout} ms`));
        }, timeout);
        const settle = (url) => {
          clearTimeout(timer);
          resolve(url);
        };
        waiting.push(settle);
      });
    },
    // Whether the browser was sent here already, without waiting.
    pending: () => arrived.length > 0,
    close() {
      server.closeAllConnections();  // the browser's keep-alive connections would hold it open
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
