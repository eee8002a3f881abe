/**
 * switchboard.js — a client for the Switchboard server's `switchboard.v1` protocol (docs/PROTOCOL.md),
 * for browsers and Node. A plain ES module without dependencies; every server serves it at
 * `/switchboard.js`, and at `/switchboard.mjs` for Node (save it as switchboard.mjs: Node reads a
 * .js file as CommonJS unless package.json says "type": "module").
 *
 *   import { SwitchboardClient } from "/switchboard.js";      // Node: from "./switchboard.mjs"
 *   const client = new SwitchboardClient({ url: "ws://localhost:5201/", userId: "bob" });
 *   client.on("message", (m) => console.log(m.seq, m.from, m.message));
 *   await client.connect();
 *   const ack = await client.send("alice", { text: "hi" }, { receipt: true });
 *
 * new SwitchboardClient(options)
 *   url                 the server, `ws://host:5201/` or `wss://…` (a browser may give `/`: the page's host)
 *   userId              dev mode: who this client is (omit both it and token for a send-only client)
 *   token               token mode: a JWT, or a function returning one or a Promise of one, called
 *                       before every connection attempt so a reconnect can bring a fresh token. It goes
 *                       in `?token=` (browsers cannot set headers on a WebSocket); userId is not sent.
 *   WebSocket           the WebSocket class: default `globalThis.WebSocket` (browsers, Node 22+). In
 *                       Node 20 pass the `ws` package's: `import WebSocket from "ws"`.
 *   requestTimeout      ms after which send/presence/ping reject with code "timeout" (10000)
 *   minReconnectDelay   backoff: attempt n waits a random time in [d/2, d], d = min(max, min·2ⁿ) (500)
 *   maxReconnectDelay   (30000); attempts start over once a connection is welcomed
 *   heartbeat           ms without a frame from the server before the client pings it; no pong within
 *                       requestTimeout drops the connection and reconnects (30000; 0 turns it off)
 *   since, epoch        a `client.position` saved earlier, to resume from on the first connection
 *
 * Methods
 *   connect() → Promise<welcome>   starts connecting (idempotent); resolves once welcomed
 *   send(to, message, { receipt }) → Promise<{ id, to, delivered, seq, partial }>   the server's ack
 *                                   (partial: in a cluster, a node holding `to` did not report in time)
 *   presence(user) → Promise<{ user, online, connections }>
 *   ping() → Promise<number>        the round trip in ms
 *   close(code = 1000, reason) → Promise<void>   stops reconnecting; rejects what is pending ("closed")
 *   on(type, listener) → unsubscribe function;  off(type, listener)
 * Properties: state ("idle" | "connecting" | "open" | "disconnected" | "closed"), userId,
 *   connectionId, position ({ seq, epoch }: the last message processed).
 *
 * Events
 *   "message"   { seq, from, message, ts, receipt }: each of this user's messages exactly once, in seq
 *               order, across reconnects. When receipt is true the client confirms it (`received`)
 *               after the listeners ran.
 *   "receipt"   { id, to, seq, connectionId }: a connection of `to` confirmed send `id`
 *   "presence"  { user, online, connections }: another connection of this user opened or closed
 *   "state"     { state, code, reason, delay }: "connecting", "open", "disconnected" (code and reason of
 *               the close; the next attempt in `delay` ms), "closed"
 *   "welcome"   the server's welcome, on every connection (`recovered`/`missed` when resuming)
 *   "resync"    { welcome, seq, epoch }: a reconnect could not recover what was missed after seq/epoch;
 *               after a server restart (a new epoch) what the new epoch holds follows it, from its start;
 *               reload the state from elsewhere. Messages continue from welcome.seq.
 *   "error"     an Error not tied to a request: an `error` frame without id (e.g. rate_limited), a
 *               frame that is not JSON, a listener that threw, a token function that failed
 *
 * Errors. A rejected request's Error (SwitchboardError) has a `code`: the server's ("forbidden",
 * "invalid_user_id", …), "timeout", "closed", or "connection_lost": the connection dropped after the
 * send went out and before its ack. Such a send is never resent — the server has no idempotency keys,
 * so it may or may not have been delivered; the caller decides. Requests made while disconnected wait
 * (up to requestTimeout) and go out once on the next connection; a presence query or ping that was
 * cut off is simply asked again.
 */

const PROTOCOL = "switchboard.v1";
const OPEN = 1;
const CLOSED = 3;
const DEFAULTS = { requestTimeout: 10000, minReconnectDelay: 500, maxReconnectDelay: 30000, heartbeat: 30000 };

/** An Error with the `code` of the failure (see above). */
export class SwitchboardError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "SwitchboardError";
    this.code = code;
  }
}

export class SwitchboardClient {
  #options;
  #WebSocket;
  #listeners = new Map();
  #state = "idle";
  #socket = null;
  #welcome = null;
  #waiters = [];
  #pending = new Map(); // id -> { frame, idempotent, sent, resolve, reject, timer }, in request order
  #nextId = 1;
  #attempt = 0;
  #retryTimer = null;
  #heartbeatTimer = null;
  #lastFrameAt = 0;
  #pinging = false;
  #seq;
  #epoch;

  constructor(options = {}) {
    if (!options.url) throw new TypeError("SwitchboardClient: options.url is required");
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (typeof this.#WebSocket !== "function") {
      throw new TypeError("SwitchboardClient: no global WebSocket here; pass one, e.g. the ws package's");
    }
    this.#options = { ...DEFAULTS, ...options };
    this.#seq = options.since ?? 0;
    this.#epoch = options.epoch ?? null;
  }

  get state() { return this.#state; }
  get userId() { return this.#welcome?.userId ?? null; }
  get connectionId() { return this.#state === "open" ? this.#welcome.connectionId : null; }
  get position() { return { seq: this.#seq, epoch: this.#epoch }; }

  connect() {
    if (this.#state === "closed") return Promise.reject(new SwitchboardError("closed", "the client is closed"));
    if (this.#state === "open") return Promise.resolve(this.#welcome);
    const welcomed = new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (this.#state === "idle") this.#open();
    return welcomed;
  }

  send(to, message, { receipt = false } = {}) {
    return this.#request({ type: "send", to, message, receipt }, false)
      .then((ack) => ({ id: ack.id, to: ack.to, delivered: ack.delivered, seq: ack.seq, partial: ack.partial === true }));
  }

  presence(user) {
    return this.#request({ type: "presence", user }, true)
      .then((p) => ({ user: p.user, online: p.online, connections: p.connections }));
  }

  ping() {
    const started = Date.now();
    return this.#request({ type: "ping" }, true).then(() => Date.now() - started);
  }

  close(code = 1000, reason = "") {
    if (this.#state === "closed") return Promise.resolve();
    this.#setState("closed", { code, reason });
    clearTimeout(this.#retryTimer);
    this.#stopHeartbeat();
    const closed = () => new SwitchboardError("closed", "the client was closed");
    for (const id of [...this.#pending.keys()]) this.#settle(id, (entry) => entry.reject(closed()));
    for (const waiter of this.#waiters.splice(0)) waiter.reject(closed());
    const socket = this.#socket;
    this.#socket = null;
    if (!socket || socket.readyState === CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      socket.onmessage = null;
      socket.onclose = () => resolve();
      socket.close(code, reason);
    });
  }

  on(type, listener) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(listener);
    return () => this.off(type, listener);
  }

  off(type, listener) {
    this.#listeners.get(type)?.delete(listener);
  }

  // --- connection lifecycle ---

  async #open() {
    this.#setState("connecting");
    let url;
    try {
      url = await this.#url();
    } catch (error) {
      if (this.#state !== "connecting") return;
      this.#emitError(error);
      return this.#retry(undefined, `no token: ${error?.message ?? error}`);
    }
    if (this.#state !== "connecting") return; // closed while the token was fetched
    let socket;
    try {
      socket = new this.#WebSocket(url, [PROTOCOL]);
    } catch (error) {
      this.#emitError(error);
      return this.#retry(undefined, String(error?.message ?? error));
    }
    this.#socket = socket;
    let failure;
    socket.onerror = (event) => { failure = event?.message ?? event?.error?.message; };
    socket.onopen = () => {
      if (socket === this.#socket && socket.protocol !== PROTOCOL) {
        failure = `the server did not accept the ${PROTOCOL} subprotocol`;
        socket.close(1000, "protocol mismatch");
      }
    };
    socket.onmessage = (event) => { if (socket === this.#socket) this.#onFrame(event.data); };
    socket.onclose = (event) => this.#lost(socket, event.code, failure || event.reason || "");
  }

  async #url() {
    const url = new URL(this.#options.url, globalThis.location?.href);
    url.protocol = url.protocol.replace(/^http/, "ws"); // a page's own address: http: -> ws:, https: -> wss:
    const { token, userId } = this.#options;
    if (token != null) url.searchParams.set("token", typeof token === "function" ? await token() : token);
    else if (userId != null) url.searchParams.set("userId", userId);
    if (this.#epoch != null) {
      url.searchParams.set("since", String(this.#seq));
      url.searchParams.set("epoch", this.#epoch);
    }
    return url.href;
  }

  /** The connection ended: fail the sends it carried, keep the rest for the next one, reconnect. */
  #lost(socket, code, reason) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#stopHeartbeat();
    for (const [id, entry] of this.#pending) {
      if (!entry.sent) continue;
      if (entry.idempotent) {
        entry.sent = false;
      } else {
        this.#settle(id, (e) => e.reject(new SwitchboardError("connection_lost",
          `the connection closed (${code}) before send ${id} was acknowledged: it may or may not have ` +
          "been delivered, and it was not resent")));
      }
    }
    if (this.#state !== "closed") this.#retry(code, reason);
  }

  #retry(code, reason) {
    const { minReconnectDelay: min, maxReconnectDelay: max } = this.#options;
    const ceiling = Math.min(max, min * 2 ** this.#attempt++);
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.#setState("disconnected", { code, reason, delay });
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  /** Drops a connection that stopped answering, without waiting for a closing handshake. */
  #abandon(socket, reason) {
    socket.onclose = socket.onmessage = null;
    try { socket.close(4000, reason); } catch { /* already closing */ }
    this.#lost(socket, 1006, reason);
  }

  #setState(state, details = {}) {
    this.#state = state;
    this.#emit("state", { state, ...details });
  }

  // --- frames from the server ---

  #onFrame(data) {
    this.#lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return this.#emitError(new SwitchboardError("invalid_json", "the server sent a frame that is not JSON"));
    }
    switch (frame.type) {
      case "welcome": return this.#onWelcome(frame);
      case "message": return this.#onMessage(frame);
      case "ack":
      case "pong": return this.#settle(frame.id, (entry) => entry.resolve(frame));
      case "presence":
        if (frame.id == null) {
          return this.#emit("presence", { user: frame.user, online: frame.online, connections: frame.connections });
        }
        return this.#settle(frame.id, (entry) => entry.resolve(frame));
      case "receipt":
        return this.#emit("receipt", { id: frame.id, to: frame.to, seq: frame.seq, connectionId: frame.connectionId });
      case "error": {
        const error = new SwitchboardError(frame.code, frame.error);
        if (frame.id == null || !this.#settle(frame.id, (entry) => entry.reject(error))) this.#emitError(error);
        return;
      }
      default: // frames a later version adds are not ours to handle
    }
  }

  #onWelcome(welcome) {
    this.#welcome = welcome;
    this.#attempt = 0;
    if (welcome.recovered !== true) {
      // A fresh start, or a resume that could not be recovered: continue from where the server is.
      const previous = { seq: this.#seq, epoch: this.#epoch };
      this.#seq = welcome.seq;
      this.#epoch = welcome.epoch;
      if (welcome.recovered === false) this.#emit("resync", { welcome, ...previous });
    }
    this.#setState("open");
    this.#emit("welcome", welcome);
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(welcome);
    for (const entry of this.#pending.values()) {
      if (!entry.sent) entry.sent = this.#write(entry.frame);
    }
    this.#startHeartbeat();
  }

  #onMessage(frame) {
    if (frame.seq <= this.#seq) return; // processed already (an overlap after a reconnect)
    this.#seq = frame.seq;
    const receipt = frame.receipt === true;
    this.#emit("message", { seq: frame.seq, from: frame.from, message: frame.message, ts: frame.ts, receipt });
    if (receipt) this.#write({ type: "received", seq: frame.seq });
  }

  // --- requests ---

  #request(body, idempotent) {
    if (this.#state === "closed") return Promise.reject(new SwitchboardError("closed", "the client is closed"));
    const id = `r${this.#nextId++}`;
    const timeout = this.#options.requestTimeout;
    return new Promise((resolve, reject) => {
      const entry = { frame: { ...body, id }, idempotent, sent: false, resolve, reject };
      entry.timer = setTimeout(() => this.#settle(id, () => reject(new SwitchboardError("timeout", entry.sent
        ? `no answer to ${body.type} ${id} within ${timeout} ms` + (idempotent ? "" : ": it may or may not have been delivered")
        : `not connected within ${timeout} ms: ${body.type} ${id} was not sent`))), timeout);
      this.#pending.set(id, entry);
      if (this.#state === "open") entry.sent = this.#write(entry.frame);
    });
  }

  /** Removes the pending request `id` and hands it to `settle`; false if there is none. */
  #settle(id, settle) {
    const entry = this.#pending.get(id);
    if (!entry) return false;
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    settle(entry);
    return true;
  }

  #write(frame) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  // --- heartbeat: notice a connection that died without a close (a laptop lid, a NAT timeout) ---

  #startHeartbeat() {
    const every = this.#options.heartbeat;
    if (!every) return;
    this.#stopHeartbeat();
    this.#heartbeatTimer = setInterval(() => {
      const socket = this.#socket;
      if (this.#pinging || !socket || Date.now() - this.#lastFrameAt < every) return;
      this.#pinging = true;
      this.ping().then(
        () => { this.#pinging = false; },
        (error) => {
          this.#pinging = false;
          if (error.code === "timeout" && socket === this.#socket) this.#abandon(socket, "no answer to ping");
        });
    }, every);
  }

  #stopHeartbeat() {
    clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
  }

  // --- listeners ---

  #emit(type, event) {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        listener(event);
      } catch (error) {
        if (type === "error") console.error(error);
        else this.#emitError(error);
      }
    }
  }

  #emitError(error) {
    if (this.#listeners.get("error")?.size) this.#emit("error", error);
    else console.error("switchboard:", error);
  }
}
