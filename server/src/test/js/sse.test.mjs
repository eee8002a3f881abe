// switchboard.v1 over server-sent events: the wire (GET /sse read with fetch and parsed here, apart
// from the client's own parser; requests POSTed beside it), then the client over SSE and its
// fallback from a WebSocket that a proxy refuses.
import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chaosProxy } from "./proxy.mjs";
import { client, closeClients, collect, env, next, sleep, uniqueUser, until } from "./helpers.mjs";

const base = () => new URL(env("SWITCHBOARD_URL").replace(/^ws/, "http"));
const streams = [];

/** Opens GET /sse; `events` fills with { id, data } as they arrive. */
async function stream(query, headers = {}) {
  const url = new URL("/sse", base());
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const s = { response, events: [], comments: 0, cut: () => abort.abort() };
  streams.push(s);
  if (response.ok) read(s, response.body.getReader());
  return s;
}

async function read(s, reader) {
  const decoder = new TextDecoder();
  let buffer = "";
  let event = { data: [] };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line === "") {
          if (event.data.length) s.events.push({ id: event.id, data: JSON.parse(event.data.join("\n")) });
          event = { data: [] };
        } else if (line.startsWith(":")) s.comments++;
        else if (line.startsWith("id: ")) event.id = line.slice(4);
        else if (line.startsWith("data: ")) event.data.push(line.slice(6));
      }
    }
  } catch { /* cut by the test */ }
}

async function post(connectionId, query, body) {
  const url = new URL(`/sse/${connectionId}`, base());
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const response = await fetch(url, { method: "POST", body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const frames = (s, type) => s.events.filter((e) => e.data.type === type);
async function welcomeOf(s) {
  await until(() => s.events.length > 0, "the welcome");
  return s.events[0].data;
}

afterEach(async () => {
  streams.splice(0).forEach((s) => s.cut());
  await closeClients();
});

describe("v1 over SSE, on the wire", () => {
  test("the welcome comes first; a POSTed send is acked in its response and arrives with id epoch:seq", async () => {
    const bob = uniqueUser("sse-bob");
    const s = await stream({ userId: bob });
    assert.equal(s.response.status, 200);
    assert.match(s.response.headers.get("content-type"), /^text\/event-stream/);
    const welcome = await welcomeOf(s);
    assert.equal(welcome.type, "welcome");
    assert.equal(welcome.userId, bob);
    assert.equal(s.events[0].id, undefined, "only messages carry an event id");

    const answer = await post(welcome.connectionId, { userId: bob }, { type: "send", id: "r1", to: bob, message: { n: 1 } });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { type: "ack", id: "r1", to: bob, delivered: 1, seq: welcome.seq + 1 });
    await until(() => frames(s, "message").length === 1, "the message on the stream");
    const [message] = frames(s, "message");
    assert.equal(message.id, `${welcome.epoch}:${welcome.seq + 1}`);
    assert.deepEqual(message.data.message, { n: 1 });
    assert.equal(message.data.from, bob);
  });

  test("presence, ping and errors are answered in the POST's response", async () => {
    const bob = uniqueUser("sse-bob");
    const s = await stream({ userId: bob });
    const { connectionId } = await welcomeOf(s);
    assert.deepEqual((await post(connectionId, { userId: bob }, { type: "presence", id: "p", user: bob })).body,
      { type: "presence", id: "p", user: bob, online: true, connections: 1 });
    assert.deepEqual((await post(connectionId, { userId: bob }, { type: "ping", id: "q" })).body, { type: "pong", id: "q" });
    const bad = await post(connectionId, { userId: bob }, { type: "send", id: "e", message: 1 });
    assert.equal(bad.status, 200);
    assert.equal(bad.body.type, "error");
    assert.equal(bad.body.id, "e");
    assert.equal(bad.body.code, "missing_user_id");
  });

  test("another identity's connection is 403; an unknown one 404", async () => {
    const bob = uniqueUser("sse-bob");
    const s = await stream({ userId: bob });
    const { connectionId } = await welcomeOf(s);
    const eve = await post(connectionId, { userId: uniqueUser("eve") }, { type: "send", id: "x", to: bob, message: "hi" });
    assert.equal(eve.status, 403);
    assert.equal(eve.body.code, "forbidden");
    const anonymous = await post(connectionId, {}, { type: "ping", id: "x" });
    assert.equal(anonymous.status, 403);
    const unknown = await post(`${connectionId}0`, { userId: bob }, { type: "ping", id: "x" });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "unknown_connection");
    assert.equal(frames(s, "message").length, 0, "nothing was sent");
  });

  test("receipts: the recipient's POSTed received reaches the sender's stream", async () => {
    const [alice, bob] = [uniqueUser("sse-alice"), uniqueUser("sse-bob")];
    const a = await stream({ userId: alice });
    const b = await stream({ userId: bob });
    const [wa, wb] = [await welcomeOf(a), await welcomeOf(b)];
    const ack = await post(wa.connectionId, { userId: alice }, { type: "send", id: "r9", to: bob, message: "hi", receipt: true });
    await until(() => frames(b, "message").length === 1, "bob's message");
    assert.equal(frames(b, "message")[0].data.receipt, true);
    const confirmed = await post(wb.connectionId, { userId: bob }, { type: "received", seq: ack.body.seq });
    assert.equal(confirmed.status, 204);
    await until(() => frames(a, "receipt").length === 1, "alice's receipt");
    assert.deepEqual(frames(a, "receipt")[0].data,
      { type: "receipt", id: "r9", to: bob, seq: ack.body.seq, connectionId: wb.connectionId });
  });

  test("presence events: the stream sees the user's other connections come and go", async () => {
    const bob = uniqueUser("sse-bob");
    const s = await stream({ userId: bob });
    await welcomeOf(s);
    const phone = client({ userId: bob });
    await phone.connect();
    await until(() => frames(s, "presence").some((e) => e.data.connections === 2), "presence with 2 connections");
    await phone.close();
    await until(() => frames(s, "presence").some((e) => e.data.connections === 1), "presence back to 1");
  });

  test("a cut stream resumes with Last-Event-ID: what was missed follows the welcome, once, in order", async () => {
    const bob = uniqueUser("sse-bob");
    const first = await stream({ userId: bob });
    const { connectionId } = await welcomeOf(first);
    for (let n = 1; n <= 3; n++) await post(connectionId, { userId: bob }, { type: "send", id: `s${n}`, to: bob, message: n });
    await until(() => frames(first, "message").length === 3, "three messages");
    const lastId = frames(first, "message")[2].id;
    first.cut();
    const sender = client({ userId: uniqueUser("sse-alice") });
    await sender.connect();
    for (let n = 4; n <= 5; n++) await sender.send(bob, n);

    const again = await stream({ userId: bob, since: "1", epoch: "ignored-when-last-event-id-is-sent" }, { "Last-Event-ID": lastId });
    const welcome = await welcomeOf(again);
    assert.equal(welcome.recovered, true);
    assert.equal(welcome.missed, 2);
    await until(() => frames(again, "message").length === 2, "the two missed messages");
    assert.deepEqual(frames(again, "message").map((e) => e.data.message), [4, 5]);
  });

  test("a Last-Event-ID of another epoch: recovered false, and the epoch's history from its start", async () => {
    const bob = uniqueUser("sse-bob");
    const sender = client({ userId: uniqueUser("sse-alice") });
    await sender.connect();
    for (let n = 1; n <= 2; n++) await sender.send(bob, n);
    const s = await stream({ userId: bob }, { "Last-Event-ID": "not-the-epoch:7" });
    const welcome = await welcomeOf(s);
    assert.equal(welcome.recovered, false);
    assert.equal(welcome.missed, 2);
    await until(() => frames(s, "message").length === 2, "the epoch's two messages");
    assert.deepEqual(frames(s, "message").map((e) => e.data.message), [1, 2]);
  });

  test("a malformed Last-Event-ID is a 400", async () => {
    const s = await stream({ userId: uniqueUser("sse-bob") }, { "Last-Event-ID": "no-seq-here" });
    assert.equal(s.response.status, 400);
    assert.equal((await s.response.json()).code, "bad_request");
  });
});

describe("the client over SSE", () => {
  test("transport sse: send, receive, presence, ping and receipts as over a WebSocket", async () => {
    const [alice, bob] = [uniqueUser("sse-alice"), uniqueUser("sse-bob")];
    const sender = client({ userId: alice, transport: "sse" });
    const receiver = client({ userId: bob, transport: "sse" });
    const got = collect(receiver, "message");
    const receipts = collect(sender, "receipt");
    await Promise.all([sender.connect(), receiver.connect()]);
    const acks = [];
    for (let n = 0; n < 20; n++) acks.push(sender.send(bob, { n }, { receipt: n === 19 }));
    const settled = await Promise.all(acks);
    assert.deepEqual(settled.map((a) => a.delivered), Array(20).fill(1));
    await until(() => got.length === 20, () => `20 messages (have ${got.length})`);
    assert.deepEqual(got.map((m) => m.message.n), Array.from({ length: 20 }, (_, n) => n));
    await until(() => receipts.length === 1, "the receipt");
    assert.equal(receipts[0].connectionId, receiver.connectionId);
    assert.deepEqual(await sender.presence(bob), { user: bob, online: true, connections: 1 });
    assert.ok(await sender.ping() >= 0);
  });

  test("auto: behind a proxy that refuses WebSocket upgrades the client falls back to SSE and recovers after a cut", async () => {
    const proxy = await chaosProxy(Number(base().port), { refuseWebSockets: true });
    try {
      const bob = uniqueUser("sse-bob");
      const pc = client({ userId: bob, url: proxy.url, transport: "auto" });
      const sender = client({ userId: uniqueUser("sse-alice") });
      const got = collect(pc, "message");
      const welcomes = collect(pc, "welcome");
      await Promise.all([pc.connect(), sender.connect()]);
      for (let n = 1; n <= 5; n++) await sender.send(bob, n);
      await until(() => got.length === 5, "five messages over SSE");

      assert.ok(proxy.cutAll() >= 1, "the stream went through the proxy");
      for (let n = 6; n <= 10; n++) await sender.send(bob, n);
      await until(() => got.length === 10, () => `ten messages (have ${got.length})`);
      assert.deepEqual(got.map((m) => m.message), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.ok(welcomes.length >= 2, "it reconnected");
      assert.ok(welcomes.slice(1).every((w) => w.recovered === true), "and recovered what it missed");
      const ack = await pc.send(uniqueUser("nobody"), "up over SSE");
      assert.equal(ack.delivered, 0);
    } finally {
      await proxy.close();
    }
  });

  test("auto: a WebSocket that opens is used, and SSE is not tried", async () => {
    const c = client({ userId: uniqueUser("sse-bob"), transport: "auto" });
    const welcome = await c.connect();
    await sleep(50);
    assert.equal(welcome.type, "welcome");
    const presence = await c.presence(welcome.userId);
    assert.equal(presence.connections, 1, "one connection, not a WebSocket and a stream");
  });
});

describe("token mode over SSE", () => {
  test("a refresh over SSE moves the expiry; the stream's requests carry the new token", async () => {
    const user = env("SWITCHBOARD_TOKEN_USER");
    let issued = 0;
    const tokens = [];
    const c = client({ url: env("SWITCHBOARD_TOKEN_URL"), transport: "sse",
      token: async () => { issued++; const t = await signed(user, issued === 1 ? 3 : 3600); tokens.push(t); return t; } });
    const refreshed = next(c, "refreshed", () => true, 8000);
    const welcomes = collect(c, "welcome");
    await c.connect();
    const event = await refreshed;
    assert.ok(event.expiresAt > Date.now() + 3_000_000, "the new expiry is the fresh token's");
    await sleep(3500); // past the first token's exp: a request with it would now be refused
    assert.ok(await c.ping() >= 0, "a request after the first token expired still works");
    assert.equal(welcomes.length, 1, "no reconnect");
  });
});

/** An HS256 JWT for `sub` that expires in `seconds`, signed with the token server's secret. */
async function signed(sub, seconds) {
  const { createHmac } = await import("node:crypto");
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub, iat: now, exp: now + seconds })}`;
  const signature = createHmac("sha256", env("SWITCHBOARD_TOKEN_SECRET")).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}
