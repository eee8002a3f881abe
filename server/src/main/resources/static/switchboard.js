/**
 * switchboard.js — a client for the Switchboard server's `switchboard.v1` protocol (docs/PROTOCOL.md),
 * for browsers and Node: an ES module without dependencies, served at `/switchboard.js` and, for Node
 * (which reads a .js file as CommonJS unless package.json says "type": "module"), `/switchboard.mjs`.
 * Every option, method, event and error code: docs/CLIENT-JS.md in Switchboard's repository.
 *
 *   import { SwitchboardClient } from "/switchboard.js";      // Node: from "./switchboard.mjs"
 *   const client = new SwitchboardClient({ url: "ws://localhost:5201/", userId: "bob" });
 *   client.on("message", (m) => console.log(m.seq, m.from, m.message));
 *   await client.connect();
 *   const ack = await client.send("alice", { text: "hi" }, { receipt: true });
 *
 * Messages arrive each once, in order, across reconnects. Sends are never lost: each carries an
 * idempotency key (random unless given), waits in a bounded queue until acknowledged, and is
 * written again, in order, after a dropped connection. Over a WebSocket, or SSE where none opens.
 */
import { openSocket } from "./switchboard-sse.js";

const PROTOCOL = "switchboard.v1";
const OPEN = 1;
const CLOSED = 3;
const DEFAULTS = { requestTimeout: 10000, minReconnectDelay: 500, maxReconnectDelay: 30000, heartbeat: 30000,
  sendQueue: 1000, sendOverflow: "reject-new", transport: "auto", websocketTimeout: 4000, sseIdleTimeout: 75000 };
const MAX_KEY_LENGTH = 128;
// A backlog (what waited through a reconnect) goes out 100 requests at once, then 10 every 200 ms,
// within the server's default rate limit (burst 200, 100/s): resending it is never refused.
const RESEND_BURST = 100;
const RESEND_PER_TICK = 10;
const TICK_MS = 200;

/** A JWT's `exp` in ms, or null when it has none or is not a JWT. */
function expiryOf(jwt) {
  try { return JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).exp * 1000 || null; } catch { return null; }
}

/** 22 random base64url characters (128 bits). */
function randomKey() {
  const bytes = globalThis.crypto?.getRandomValues?.(new Uint8Array(16))
    ?? Uint8Array.from({ length: 16 }, () => Math.random() * 256);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

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
  #transport = { sse: false }; // "auto": whether a WebSocket failed to open, so SSE is used
  #listeners = new Map();
  #state = "idle";
  #socket = null;
  #welcome = null;
  #waiters = [];
  #pending = new Map(); // id -> { frame, isSend, sent, resolve, reject, timer }, in request order
  #sends = 0; // how many pending entries are sends: the send queue's length
  #pacing = null; // while a backlog drains after a welcome: the timer of the next tick
  #expiresAt = null; // when the token (from a provider) expires, ms
  #refreshTimer = null;
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
    this.#options = { ...DEFAULTS, ...options, WebSocket: options.WebSocket ?? globalThis.WebSocket };
    if (!["auto", "websocket", "sse"].includes(this.#options.transport)) {
      throw new TypeError(`SwitchboardClient: transport must be "auto", "websocket" or "sse"`);
    }
    if (this.#options.transport === "websocket" && typeof this.#options.WebSocket !== "function") {
      throw new TypeError("SwitchboardClient: no global WebSocket here; pass one, e.g. the ws package's");
    }
    if (!["reject-new", "drop-oldest"].includes(this.#options.sendOverflow)) {
      throw new TypeError(`SwitchboardClient: sendOverflow must be "reject-new" or "drop-oldest"`);
    }
    this.#seq = options.since ?? 0;
    this.#epoch = options.epoch ?? null;
  }

  get state() { return this.#state; }
  get userId() { return this.#welcome?.userId ?? null; }
  get connectionId() { return this.#state === "open" ? this.#welcome.connectionId : null; }
  get position() { return { seq: this.#seq, epoch: this.#epoch }; }
  get pendingSends() { return this.#sends; }

  connect() {
    if (this.#state === "closed") return Promise.reject(new SwitchboardError("closed", "the client is closed"));
    if (this.#state === "open") return Promise.resolve(this.#welcome);
    const welcomed = new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (this.#state === "idle") this.#open();
    return welcomed;
  }

  send(to, message, { receipt = false, idempotencyKey = randomKey() } = {}) {
    if (typeof idempotencyKey !== "string" || idempotencyKey.length < 1 || idempotencyKey.length > MAX_KEY_LENGTH) {
      return Promise.reject(new TypeError(`idempotencyKey must be a string of 1 to ${MAX_KEY_LENGTH} characters`));
    }
    if (this.#state !== "closed" && this.#sends >= this.#options.sendQueue) {
      const full = (which) => new SwitchboardError("queue_full",
        `${this.#sends} sends are waiting for their acks (sendQueue); ${which} was not sent`);
      if (this.#options.sendOverflow === "reject-new") return Promise.reject(full("this send"));
      const oldest = [...this.#pending.keys()].find((id) => this.#pending.get(id).isSend);
      this.#settle(oldest, (entry) => entry.reject(full(`send ${oldest} (the oldest, for a newer one)`)));
    }
    return this.#request({ type: "send", to, message, receipt, idempotencyKey }, true)
      .then((ack) => ({ id: ack.id, to: ack.to, delivered: ack.delivered, seq: ack.seq, partial: ack.partial === true,
        duplicate: ack.duplicate === true }));
  }

  presence(user) {
    return this.#request({ type: "presence", user }, false)
      .then((p) => ({ user: p.user, online: p.online, connections: p.connections }));
  }

  ping() {
    const started = Date.now();
    return this.#request({ type: "ping" }, false).then(() => Date.now() - started);
  }

  close(code = 1000, reason = "") {
    if (this.#state === "closed") return Promise.resolve();
    this.#setState("closed", { code, reason });
    [this.#retryTimer, this.#pacing, this.#refreshTimer].forEach(clearTimeout);
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

  off(type, listener) { this.#listeners.get(type)?.delete(listener); }

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
      socket = openSocket(url, this.#options, this.#transport);
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
    if (token != null) {
      const jwt = typeof token === "function" ? await token() : token;
      this.#expiresAt = typeof token === "function" ? expiryOf(jwt) : null; // only a provider can refresh
      url.searchParams.set("token", jwt);
    }
    else if (userId != null) url.searchParams.set("userId", userId);
    if (this.#epoch != null) {
      url.searchParams.set("since", String(this.#seq));
      url.searchParams.set("epoch", this.#epoch);
    }
    return url.href;
  }

  /** The connection ended: what it carried unanswered goes out again, in order, on the next one. */
  #lost(socket, code, reason) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#stopHeartbeat();
    [this.#pacing, this.#refreshTimer].forEach(clearTimeout);
    this.#pacing = null;
    for (const entry of this.#pending.values()) entry.sent = false;
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

  #setState(state, details = {}) { this.#state = state; this.#emit("state", { state, ...details }); }

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
      case "refreshed":
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
    this.#drain(RESEND_BURST);
    this.#startHeartbeat();
    this.#scheduleRefresh();
  }

  /** Token refresh in place: a minute (at most a third of what is left) before the token expires. */
  #scheduleRefresh() {
    clearTimeout(this.#refreshTimer);
    const left = this.#expiresAt == null ? NaN : this.#expiresAt - Date.now();
    if (!(left > 0)) return;
    this.#refreshTimer = setTimeout(async () => {
      const socket = this.#socket;
      try {
        const token = await this.#options.token();
        const answer = await this.#request({ type: "refresh", token }, false);
        if (socket === this.#socket) socket.useToken?.(token); // SSE: its requests carry the new token
        this.#expiresAt = answer.expiresAt;
        this.#emit("refreshed", { expiresAt: answer.expiresAt });
        this.#scheduleRefresh();
      } catch (error) {
        this.#emitError(error); // then reconnect: the next attempt fetches a token of its own
        if (socket && socket === this.#socket) this.#abandon(socket, "token refresh failed");
      }
    }, left - Math.min(60000, left / 3));
  }

  #onMessage(frame) {
    if (frame.seq <= this.#seq) return; // processed already (an overlap after a reconnect)
    this.#seq = frame.seq;
    const receipt = frame.receipt === true;
    this.#emit("message", { seq: frame.seq, from: frame.from, message: frame.message, ts: frame.ts, receipt });
    if (receipt) this.#write({ type: "received", seq: frame.seq });
  }

  // --- requests ---

  /** Files a request; a send waits until answered, a query at most requestTimeout. */
  #request(body, isSend) {
    if (this.#state === "closed") return Promise.reject(new SwitchboardError("closed", "the client is closed"));
    const id = `r${this.#nextId++}`;
    const timeout = this.#options.requestTimeout;
    return new Promise((resolve, reject) => {
      const entry = { frame: { ...body, id }, isSend, sent: false, resolve, reject };
      if (!isSend) {
        entry.timer = setTimeout(() => this.#settle(id, () => reject(new SwitchboardError("timeout", entry.sent
          ? `no answer to ${body.type} ${id} within ${timeout} ms`
          : `not connected within ${timeout} ms: ${body.type} ${id} was not sent`))), timeout);
      }
      this.#pending.set(id, entry);
      if (isSend) this.#sends++;
      if (this.#state === "open" && this.#pacing === null) entry.sent = this.#write(entry.frame);
    });
  }

  /** Writes unsent requests in order, at most `budget` now; the rest a tick later, until caught up. */
  #drain(budget) {
    clearTimeout(this.#pacing);
    this.#pacing = null;
    for (const entry of this.#pending.values()) {
      if (entry.sent) continue;
      if (budget-- <= 0) return void (this.#pacing = setTimeout(() => this.#drain(RESEND_PER_TICK), TICK_MS));
      if (!(entry.sent = this.#write(entry.frame))) return;
    }
  }

  /** Removes the pending request `id` and hands it to `settle`; false if there is none. */
  #settle(id, settle) {
    const entry = this.#pending.get(id);
    if (!entry) return false;
    this.#pending.delete(id);
    if (entry.isSend) this.#sends--;
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

  #stopHeartbeat() { clearInterval(this.#heartbeatTimer); this.#heartbeatTimer = null; }

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
    if (this.#listeners.get("error")?.size) this.#emit("error", error); else console.error("switchboard:", error);
  }
}
