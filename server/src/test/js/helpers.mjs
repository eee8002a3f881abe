// Shared by the tests: the client under test, real servers from the environment, and small waits
// that fail with a reason instead of hanging.
import WebSocket from "ws";
import { setTimeout as sleep } from "node:timers/promises";
import { SwitchboardClient } from "../../main/resources/static/switchboard.js";

export { SwitchboardClient, WebSocket, sleep };

/** A variable JsClientTest sets; missing means the tests were started without a server. */
export function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests through JsClientTest (mvn verify), `
      + "or start a server and set SWITCHBOARD_URL (and the token variables) yourself");
  }
  return value;
}

let users = 0;
/** A user id no other test (or test file, running in parallel) uses. */
export function uniqueUser(name) {
  return `${name}-${process.pid}-${++users}`;
}

/**
 * The ws class, remembering every socket it opens so a test can cut one; while `refuse(true)` is in
 * force, every new connection attempt fails at once.
 */
export function trackedWebSocket() {
  const sockets = [];
  let refusing = false;
  class Tracked extends WebSocket {
    constructor(...args) {
      super(...args);
      sockets.push(this);
      if (refusing) this.terminate(); // aborts the handshake: the client sees a failed attempt
    }
  }
  return { WebSocket: Tracked, sockets, current: () => sockets.at(-1), refuse: (on) => { refusing = on; } };
}

const open = [];
/**
 * A client of the dev-mode server with quick reconnects; closed after each test by closeClients().
 * Over a WebSocket unless `transport` says otherwise: these tests cut and refuse WebSockets on purpose,
 * where "auto" would move to SSE (sse.test.mjs tests that).
 */
export function client(options = {}) {
  const c = new SwitchboardClient({
    url: options.url ?? env("SWITCHBOARD_URL"), WebSocket, transport: "websocket", minReconnectDelay: 10,
    maxReconnectDelay: 100, requestTimeout: 5000, ...options,
  });
  open.push(c);
  return c;
}

export async function closeClients() {
  await Promise.all(open.splice(0).map((c) => c.close()));
}

/** The next `type` event that satisfies `predicate`. Subscribe before causing it. */
export function next(client, type, predicate = () => true, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching "${type}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.on(type, (event) => {
      if (predicate(event)) {
        clearTimeout(timer);
        off();
        resolve(event);
      }
    });
  });
}

/** Every `type` event from now on, in order. */
export function collect(client, type) {
  const events = [];
  client.on(type, (event) => events.push(event));
  return events;
}

/** Waits until `condition()` holds, polling every 5 ms; fails naming `what` (or what it returns) after the timeout. */
export async function until(condition, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "function" ? what() : what}`);
    }
    await sleep(5);
  }
}
