// A TCP proxy that breaks connections the way a phone leaving Wi-Fi does: for a while the bytes in
// one direction vanish (the sockets stay open, nobody is told), then the connection dies with a
// reset. Whatever was written in that window is lost for good — the case a client must survive.
import net from "node:net";

const FORBIDDEN = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/**
 * A proxy on a free loopback port in front of 127.0.0.1:`targetPort`; `url` is its ws:// address.
 * `refuseWebSockets`: like a corporate proxy, it answers a WebSocket upgrade with 403 and passes
 * every other request.
 */
export async function chaosProxy(targetPort, { refuseWebSockets = false } = {}) {
  const links = new Set();
  const server = net.createServer((client) => {
    if (refuseWebSockets) {
      client.once("data", (first) => {
        if (/^upgrade:\s*websocket/im.test(first.toString("latin1"))) {
          client.on("error", () => {});
          client.end(FORBIDDEN);
          return;
        }
        client.pause();
        relay(client, first);
      });
      return;
    }
    relay(client, null);
  });
  function relay(client, first) {
    const upstream = net.connect(targetPort, "127.0.0.1");
    // Once a direction drops bytes it never forwards again: a frame must not arrive with a hole in it.
    const link = { client, upstream, dropUp: false, dropDown: false };
    links.add(link);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    if (first) upstream.write(first);
    client.on("data", (data) => { if (!link.dropUp) upstream.write(data); });
    client.resume();
    upstream.on("data", (data) => { if (!link.dropDown) client.write(data); });
    const end = () => kill(link);
    for (const socket of [client, upstream]) {
      socket.on("error", end);
      socket.on("close", end);
    }
  }
  function kill(link) {
    if (!links.delete(link)) return false;
    for (const socket of [link.client, link.upstream]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
    return true;
  }
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = server.address().port;
  let timer = null;
  let cycles = 0;
  return {
    url: `ws://127.0.0.1:${port}/`,
    /** Current connections start dropping what goes `direction` ("up": to the server, "down": to the client). */
    blackHole(direction) {
      for (const link of links) link[direction === "up" ? "dropUp" : "dropDown"] = true;
    },
    /** Resets every current connection; returns how many. */
    cutAll() {
      return [...links].filter(kill).length;
    },
    /** Every `periodMs`: black-hole one direction (alternating) for `holeMs`, then cut. */
    flap(periodMs, holeMs) {
      timer = setInterval(() => {
        this.blackHole(cycles++ % 2 === 0 ? "up" : "down");
        setTimeout(() => this.cutAll(), holeMs);
      }, periodMs);
    },
    get cycles() { return cycles; },
    async close() {
      clearInterval(timer);
      this.cutAll();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
