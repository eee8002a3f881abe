/**
 * switchboard-sse.js — the transports of switchboard.js (served inside it): a WebSocket, or
 * `switchboard.v1` over server-sent events for networks that refuse WebSocket upgrades (a corporate
 * proxy, say). Both look like a WebSocket to the client: readyState, protocol, send, close, and the
 * onopen / onmessage / onclose / onerror handlers. Over SSE (docs/PROTOCOL.md, "v1 over SSE") the
 * stream is `GET /sse` read with fetch (so it works in browsers and in Node 18+, and the client
 * resumes by its own position), and each request is `POST /sse/{connectionId}`, one at a time so
 * they reach the server in order; the answer in the POST's response is handed on as if it had come
 * down the stream.
 */

const SUBPROTOCOL = "switchboard.v1";
// (Inlined into switchboard.js when served: no top-level name here may repeat one of its names.)
const SSE_CONNECTING = 0;
const SSE_OPEN = 1;
const SSE_CLOSED = 3;

/** The SSE address beside a WebSocket address: ws://host/ws (or ws://host/) → http://host/sse, query kept. */
export function sseUrl(webSocketUrl) {
  const url = new URL(webSocketUrl);
  url.protocol = url.protocol.replace(/^ws/, "http");
  url.pathname = url.pathname.replace(/\/ws$/, "/").replace(/\/?$/, "/") + "sse";
  return url;
}

/**
 * The socket of one connection attempt, by `transport`: "websocket", "sse", or "auto". Auto tries a
 * WebSocket and, when it is refused or not open within `websocketTimeout` ms, SSE at once, in the
 * same attempt; once SSE has carried a connection after a WebSocket failed (`memo.sse`), the
 * client's later attempts go straight to SSE. Without a WebSocket class at all, auto is SSE.
 */
export function openSocket(url, { transport, WebSocket, fetch, websocketTimeout, sseIdleTimeout }, memo) {
  const sse = () => new SseSocket(url, { fetch, idleTimeout: sseIdleTimeout });
  if (transport === "sse" || (transport === "auto" && (memo.sse || typeof WebSocket !== "function"))) return sse();
  const socket = new WebSocket(url, [SUBPROTOCOL]);
  if (transport !== "auto") return socket;
  return new FallbackSocket(socket, () => {
    const fallback = sse();
    fallback.opened = () => { memo.sse = true; };
    return fallback;
  }, websocketTimeout);
}

/** A WebSocket that turns into an SseSocket if it does not open. */
class FallbackSocket {
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  #inner;
  #timer;
  #closing = false;

  constructor(webSocket, fallback, timeout) {
    this.#wire(webSocket);
    webSocket.onopen = (event) => { clearTimeout(this.#timer); this.onopen?.(event); };
    webSocket.onclose = (event) => {
      clearTimeout(this.#timer);
      if (webSocket.protocol || this.#closing) this.onclose?.(event); // it had opened, or we closed it
      else this.#fallBack(fallback);
    };
    this.#timer = setTimeout(() => this.#fallBack(fallback), timeout);
  }

  get readyState() { return this.#inner.readyState; }
  get protocol() { return this.#inner.protocol; }
  send(text) { this.#inner.send(text); }
  close(code, reason) { this.#closing = true; clearTimeout(this.#timer); this.#inner.close(code, reason); }
  useToken(token) { this.#inner.useToken?.(token); }

  #wire(socket) {
    this.#inner = socket;
    socket.onmessage = (event) => this.onmessage?.(event);
    socket.onerror = (event) => this.onerror?.(event);
    socket.onopen = (event) => this.onopen?.(event);
    socket.onclose = (event) => this.onclose?.(event);
  }

  #fallBack(fallback) {
    clearTimeout(this.#timer);
    const webSocket = this.#inner;
    webSocket.onopen = webSocket.onmessage = webSocket.onclose = null;
    webSocket.onerror = () => {}; // the ws package throws an error event nobody listens to
    try { webSocket.close(); } catch { /* closing already */ }
    this.#wire(fallback());
  }
}

/** switchboard.v1 over server-sent events, as a WebSocket look-alike. */
export class SseSocket {
  readyState = SSE_CONNECTING;
  protocol = "";
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  opened = null; // called when the stream opens, before onopen
  #url;
  #fetch;
  #abort = new AbortController();
  #connectionId = null;
  #outbox = [];
  #posting = false;
  #idleTimer = null;
  #idleTimeout;

  /** `idleTimeout`: the stream is given up after this long without a byte (the server's keepalive comes every 25 s). */
  constructor(url, { fetch = globalThis.fetch, idleTimeout = 75000 } = {}) {
    this.#url = sseUrl(url);
    this.#fetch = (input, init) => fetch(input, init); // a browser's fetch refuses to run as a method of another object
    this.#idleTimeout = idleTimeout;
    this.#read();
  }

  send(text) {
    if (this.readyState !== SSE_OPEN) throw new Error("the SSE stream is not open");
    this.#outbox.push(text);
    this.#flush();
  }

  close(code = 1000, reason = "") { this.#end(code, reason); }

  /** A refreshed token: the stream's requests from now on carry it (the stream itself keeps going). */
  useToken(token) { this.#url.searchParams.set("token", token); }

  async #read() {
    let response;
    try {
      response = await this.#fetch(this.#url, { headers: { accept: "text/event-stream" }, cache: "no-store",
        signal: this.#abort.signal });
    } catch (error) {
      return this.#end(1006, `could not connect: ${error?.message ?? error}`);
    }
    if (!response.ok) {
      const reason = await this.#failure(response, "GET /sse");
      this.onerror?.({ message: reason });
      return this.#end(1006, reason);
    }
    if (this.readyState !== SSE_CONNECTING) return;
    this.readyState = SSE_OPEN;
    this.protocol = SUBPROTOCOL;
    this.#touch();
    this.opened?.();
    this.onopen?.({});
    try {
      await this.#events(response.body.getReader());
      this.#end(1006, "the stream ended");
    } catch (error) {
      this.#end(1006, `the stream failed: ${error?.message ?? error}`);
    }
  }

  /** Reads events: `data:` lines joined by "\n" until a blank line; comments (keepalives) only prove life. */
  async #events(reader) {
    const decoder = new TextDecoder();
    let buffer = "";
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done || this.readyState === SSE_CLOSED) return;
      this.#touch();
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.search(/[\r\n]/)) >= 0) {
        if (buffer[end] === "\r" && end === buffer.length - 1) break; // a "\n" may follow in the next chunk
        const line = buffer.slice(0, end);
        buffer = buffer.slice(buffer.startsWith("\r\n", end) ? end + 2 : end + 1);
        if (line === "") {
          if (data.length > 0) this.#event(data.join("\n"));
          data = [];
        } else if (line.startsWith("data:")) {
          data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
        }
        if (this.readyState === SSE_CLOSED) return;
      }
    }
  }

  #event(text) {
    let frame = null;
    try { frame = JSON.parse(text); } catch { /* the client reports a frame that is not JSON */ }
    if (frame?.type === "close") return this.#end(frame.code, frame.reason ?? "");
    if (frame?.type === "welcome" && this.#connectionId === null) this.#connectionId = frame.connectionId;
    this.onmessage?.({ data: text });
    this.#flush();
  }

  /** POSTs the requests in order, one at a time; an answer is handed on like a frame of the stream. */
  async #flush() {
    if (this.#posting || this.#connectionId === null) return;
    this.#posting = true;
    while (this.#outbox.length > 0 && this.readyState === SSE_OPEN) {
      const answer = await this.#post(this.#outbox.shift());
      if (answer && this.readyState === SSE_OPEN) this.onmessage?.({ data: answer });
    }
    this.#posting = false;
  }

  async #post(text) {
    const url = new URL(this.#url);
    url.pathname += `/${encodeURIComponent(this.#connectionId)}`;
    try {
      const response = await this.#fetch(url, { method: "POST", body: text, cache: "no-store",
        headers: { "content-type": "text/plain;charset=UTF-8" } });
      if (response.ok) return response.status === 204 ? null : await response.text();
      // The stream is gone, or not this identity's: start again (unanswered requests are sent again).
      const reason = await this.#failure(response, "POST");
      this.#end(response.status === 413 ? 1009 : 1006, reason);
    } catch (error) {
      this.#end(1006, `could not send: ${error?.message ?? error}`);
    }
    return null;
  }

  async #failure(response, what) {
    try {
      const body = await response.json();
      return `${what}: ${response.status} ${body.code}: ${body.error}`;
    } catch {
      return `${what}: HTTP ${response.status}`;
    }
  }

  #touch() {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#end(1006, "the stream went silent"), this.#idleTimeout);
  }

  #end(code, reason) {
    if (this.readyState === SSE_CLOSED) return;
    this.readyState = SSE_CLOSED;
    clearTimeout(this.#idleTimer);
    this.#outbox = [];
    this.#abort.abort();
    setTimeout(() => this.onclose?.({ code, reason, wasClean: false }), 0);
  }
}
