// The client's own logic against a scripted fake socket: ordering and de-duplication, resume,
// request outcomes, backoff, heartbeat. No server needed; each test plays the server's part.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SwitchboardClient, collect, next, sleep, until } from "./helpers.mjs";

/** A WebSocket class whose sockets the test opens, feeds and drops by hand. */
function fakeServer() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url, protocols) {
      this.url = new URL(url);
      this.protocols = protocols;
      this.readyState = 0;
      this.protocol = "";
      this.sent = [];
      sockets.push(this);
    }

    send(data) {
      if (this.readyState !== 1) throw new Error("send on a socket that is not open");
      this.sent.push(JSON.parse(data));
    }

    close(code, reason) {
      if (this.readyState === 3) return;
      this.readyState = 3;
      queueMicrotask(() => this.onclose?.({ code: code ?? 1005, reason: reason ?? "" }));
    }

    accept(protocol = "switchboard.v1") {
      this.readyState = 1;
      this.protocol = protocol;
      this.onopen?.({});
    }

    welcome(fields = {}) {
      this.accept();
      this.receive({ type: "welcome", connectionId: `c${sockets.indexOf(this) + 1}`, userId: "bob", epoch: "E1",
        seq: 0, ...fields });
    }

    receive(frame) {
      this.onmessage?.({ data: typeof frame === "string" ? frame : JSON.stringify(frame) });
    }

    drop(code = 1006) {
      this.readyState = 3;
      this.onclose?.({ code, reason: "" });
    }
  }
  const socket = async (n) => {
    await until(() => sockets.length >= n, `connection attempt ${n}`, 2000);
    return sockets[n - 1];
  };
  return { FakeWebSocket, sockets, socket };
}

function fakeClient(options = {}) {
  const server = fakeServer();
  const client = new SwitchboardClient({
    url: "ws://switchboard.test/", userId: "bob", WebSocket: server.FakeWebSocket, transport: "websocket", minReconnectDelay: 1,
    maxReconnectDelay: 8, heartbeat: 0, ...options,
  });
  return { client, ...server };
}

const message = (seq, fields = {}) => ({ type: "message", seq, from: "alice", message: `m${seq}`, ts: 1, ...fields });

describe("the client against a scripted server", () => {
  test("offers switchboard.v1 and names the user in the URL", async () => {
    const { client, socket } = fakeClient();
    const welcomed = client.connect();
    const s = await socket(1);
    assert.deepEqual(s.protocols, ["switchboard.v1"]);
    assert.equal(s.url.searchParams.get("userId"), "bob");
    assert.equal(s.url.searchParams.has("since"), false);
    s.welcome({ seq: 7 });
    assert.equal((await welcomed).seq, 7);
    assert.equal(client.state, "open");
    assert.equal(client.connectionId, "c1");
    assert.deepEqual(client.position, { seq: 7, epoch: "E1" });
    await client.close();
  });

  test("delivers each message once, in seq order, and confirms only those that ask", async () => {
    const { client, socket } = fakeClient();
    const messages = collect(client, "message");
    client.connect();
    const s = await socket(1);
    s.welcome({ seq: 3 });
    for (const frame of [message(3), message(4), message(5), message(5), message(4), message(6, { receipt: true })]) {
      s.receive(frame);
    }
    assert.deepEqual(messages.map((m) => [m.seq, m.message, m.receipt]), [[4, "m4", false], [5, "m5", false], [6, "m6", true]]);
    assert.deepEqual(s.sent, [{ type: "received", seq: 6 }]);
    await client.close();
  });

  test("resumes from the last seq and epoch; a recovered welcome keeps the position", async () => {
    const { client, socket } = fakeClient();
    const messages = collect(client, "message");
    const resyncs = collect(client, "resync");
    client.connect();
    const first = await socket(1);
    first.welcome();
    first.receive(message(1));
    first.receive(message(2));
    first.drop();
    const second = await socket(2);
    assert.equal(second.url.searchParams.get("since"), "2");
    assert.equal(second.url.searchParams.get("epoch"), "E1");
    second.welcome({ seq: 4, recovered: true, missed: 2 });
    assert.deepEqual(client.position, { seq: 2, epoch: "E1" }, "the missed messages are still to come");
    for (const seq of [2, 3, 4]) second.receive(message(seq));
    assert.deepEqual(messages.map((m) => m.seq), [1, 2, 3, 4]);
    assert.equal(resyncs.length, 0);
    await client.close();
  });

  test("a welcome with recovered:false asks for a resync and continues from the welcome", async () => {
    const { client, socket } = fakeClient({ since: 2, epoch: "OLD" });
    const messages = collect(client, "message");
    const resync = next(client, "resync");
    client.connect();
    const s = await socket(1);
    assert.equal(s.url.searchParams.get("since"), "2");
    assert.equal(s.url.searchParams.get("epoch"), "OLD");
    s.welcome({ epoch: "E2", seq: 10, recovered: false, missed: 0 });
    const event = await resync;
    assert.deepEqual([event.seq, event.epoch, event.welcome.seq], [2, "OLD", 10]);
    assert.deepEqual(client.position, { seq: 10, epoch: "E2" });
    s.receive(message(11));
    assert.deepEqual(messages.map((m) => m.seq), [11]);
    await client.close();
  });

  test("a send cut off by a drop goes out again with its key, in order, before what was queued since", async () => {
    const { client, socket } = fakeClient();
    client.connect();
    const first = await socket(1);
    first.welcome();
    const cut = client.send("alice", "one");
    const asked = client.presence("alice");
    const own = client.send("alice", "mine", { idempotencyKey: "segment-7" });
    assert.deepEqual(first.sent.map((f) => [f.type, f.id]), [["send", "r1"], ["presence", "r2"], ["send", "r3"]]);
    const key = first.sent[0].idempotencyKey;
    assert.match(key, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(first.sent[2].idempotencyKey, "segment-7");
    first.drop();
    assert.equal(client.pendingSends, 2);

    const queued = client.send("alice", "two", { receipt: true });
    const second = await socket(2);
    second.welcome({ recovered: true, missed: 0 });
    assert.deepEqual(second.sent.map((f) => [f.id, f.message ?? f.user, f.idempotencyKey]),
      [["r1", "one", key], ["r2", "alice", undefined], ["r3", "mine", "segment-7"], ["r4", "two", second.sent[3].idempotencyKey]]);
    assert.notEqual(second.sent[3].idempotencyKey, key);
    second.receive({ type: "ack", id: "r1", to: "alice", delivered: 1, seq: 8, duplicate: true });
    second.receive({ type: "presence", id: "r2", user: "alice", online: true, connections: 2 });
    second.receive({ type: "ack", id: "r3", to: "alice", delivered: 1, seq: 9 });
    second.receive({ type: "ack", id: "r4", to: "alice", delivered: 2, seq: 10 });
    assert.deepEqual(await cut, { id: "r1", to: "alice", delivered: 1, seq: 8, partial: false, duplicate: true });
    assert.deepEqual(await asked, { user: "alice", online: true, connections: 2 });
    assert.equal((await own).duplicate, false);
    assert.deepEqual(await queued, { id: "r4", to: "alice", delivered: 2, seq: 10, partial: false, duplicate: false });
    assert.equal(client.pendingSends, 0);
    await client.close();
  });

  test("a backlog goes out 100 at once, then 10 a tick, within the server's default rate limit; new sends wait behind it", async () => {
    const { client, socket } = fakeClient();
    const acks = Array.from({ length: 130 }, (_, n) => client.send("alice", n));
    client.connect();
    const s = await socket(1);
    s.welcome();
    assert.equal(s.sent.length, 100, "the first 100 at once");
    const late = client.send("alice", "late");
    assert.equal(s.sent.length, 100, "a new send waits behind the backlog");
    await until(() => s.sent.length >= 110, "the next tick", 1000);
    assert.equal(s.sent.length, 110);
    await until(() => s.sent.length === 131, "the rest", 2000);
    assert.deepEqual(s.sent.map((f) => f.message), [...Array.from({ length: 130 }, (_, n) => n), "late"]);
    s.sent.forEach((f, i) => s.receive({ type: "ack", id: f.id, to: "alice", delivered: 1, seq: i + 1 }));
    assert.equal((await late).seq, 131);
    assert.equal((await Promise.all(acks)).length, 130);
    const now = client.send("alice", "caught up");
    assert.equal(s.sent.at(-1).message, "caught up", "once caught up, a send goes out at once");
    s.receive({ type: "ack", id: s.sent.at(-1).id, to: "alice", delivered: 1, seq: 132 });
    await now;
    await client.close();
  });

  test("the send queue is bounded: reject-new refuses the newest, drop-oldest the oldest", async () => {
    for (const [sendOverflow, refused] of [["reject-new", "three"], ["drop-oldest", "one"]]) {
      const { client } = fakeClient({ sendQueue: 2, sendOverflow });
      const outcomes = ["one", "two", "three"].map((text) => client.send("alice", text).then(
        () => `${text} sent`, (e) => `${text} ${e.code}`));
      assert.equal(client.pendingSends, 2, sendOverflow);
      await client.close();
      assert.deepEqual((await Promise.all(outcomes)).filter((o) => o.endsWith("queue_full")), [`${refused} queue_full`]);
    }
    assert.throws(() => fakeClient({ sendOverflow: "drop-newest" }), /sendOverflow/);
    const { client } = fakeClient();
    await assert.rejects(client.send("alice", "x", { idempotencyKey: "k".repeat(129) }), TypeError);
    await assert.rejects(client.send("alice", "x", { idempotencyKey: "" }), TypeError);
    await client.close();
  });

  test("an ack from a cluster whose node did not report in time says partial", async () => {
    const { client, socket } = fakeClient();
    client.connect();
    const s = await socket(1);
    s.welcome();
    const sent = client.send("alice", "hi");
    await new Promise((resolve) => setTimeout(resolve, 0));
    const id = s.sent.at(-1).id;
    s.receive({ type: "ack", id, to: "alice", delivered: 1, seq: 3, partial: true });
    assert.deepEqual(await sent, { id, to: "alice", delivered: 1, seq: 3, partial: true, duplicate: false });
    await client.close();
  });

  test("server errors reject the request they name; others go to error listeners", async () => {
    const { client, socket } = fakeClient();
    const errors = collect(client, "error");
    client.connect();
    const s = await socket(1);
    s.welcome();
    const refused = client.send("carol", "hi");
    s.receive({ type: "error", id: "r1", code: "forbidden", error: "you may not address this user" });
    await assert.rejects(refused, { code: "forbidden", message: "you may not address this user" });
    s.receive({ type: "error", id: null, code: "rate_limited", error: "slow down" });
    s.receive("not json");
    assert.deepEqual(errors.map((e) => e.code), ["rate_limited", "invalid_json"]);
    await client.close();
  });

  test("a listener that throws does not stop delivery or the receipt", async () => {
    const { client, socket } = fakeClient();
    const errors = collect(client, "error");
    const seen = [];
    client.on("message", (m) => {
      seen.push(m.seq);
      if (m.seq === 1) throw new Error("listener bug");
    });
    client.connect();
    const s = await socket(1);
    s.welcome();
    s.receive(message(1, { receipt: true }));
    s.receive(message(2));
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(errors.map((e) => e.message), ["listener bug"]);
    assert.deepEqual(s.sent, [{ type: "received", seq: 1 }]);
    await client.close();
  });

  test("queries time out, saying whether they were sent; sends wait for their ack", async () => {
    const { client, socket } = fakeClient({ requestTimeout: 30 });
    const unsent = client.presence("alice");
    const early = client.send("alice", "early");
    client.connect();
    await assert.rejects(unsent, { code: "timeout", message: /was not sent/ });
    const s = await socket(1);
    s.welcome();
    await assert.rejects(client.presence("alice"), { code: "timeout", message: /no answer to presence/ });
    assert.equal(client.pendingSends, 1, "the send still waits");
    s.receive({ type: "ack", id: s.sent[0].id, to: "alice", delivered: 0, seq: 1 });
    assert.equal((await early).seq, 1);
    await client.close();
  });

  test("close() rejects what is pending and stops reconnecting", async () => {
    const { client, sockets, socket } = fakeClient();
    client.connect();
    const s = await socket(1);
    s.welcome();
    const pending = client.send("alice", "hi");
    const states = collect(client, "state");
    await client.close();
    await assert.rejects(pending, { code: "closed" });
    await assert.rejects(client.connect(), { code: "closed" });
    await assert.rejects(client.ping(), { code: "closed" });
    await sleep(30); // well past maxReconnectDelay (8 ms): a reconnect would have happened
    assert.equal(sockets.length, 1);
    assert.deepEqual(states.map((e) => e.state), ["closed"]);
  });

  test("reconnect delays grow exponentially with jitter, capped, and start over after a welcome", async () => {
    const { client, socket } = fakeClient({ minReconnectDelay: 4, maxReconnectDelay: 32 });
    const delays = [];
    client.on("state", (e) => { if (e.state === "disconnected") delays.push(e.delay); });
    client.connect();
    for (let n = 1; n <= 6; n++) (await socket(n)).drop();
    const ceilings = [4, 8, 16, 32, 32, 32];
    delays.forEach((delay, i) => assert.ok(delay >= ceilings[i] / 2 && delay <= ceilings[i],
      `attempt ${i + 1}: ${delay} ms is outside [${ceilings[i] / 2}, ${ceilings[i]}]`));
    assert.equal(delays.length, 6);
    const s = await socket(7);
    s.welcome();
    s.drop();
    assert.ok(delays[6] >= 2 && delays[6] <= 4, `after a welcome the delay starts over: ${delays[6]}`);
    await client.close();
  });

  test("a token (or a function giving one) goes in ?token= on every attempt, instead of userId", async () => {
    let issued = 0;
    const { client, socket } = fakeClient({ token: () => Promise.resolve(`jwt-${++issued}`) });
    client.connect();
    const first = await socket(1);
    assert.equal(first.url.searchParams.get("token"), "jwt-1");
    assert.equal(first.url.searchParams.has("userId"), false);
    first.welcome();
    first.drop();
    assert.equal((await socket(2)).url.searchParams.get("token"), "jwt-2");
    await client.close();
  });

  test("a server that does not speak switchboard.v1 is a failed attempt", async () => {
    const { client, socket } = fakeClient();
    const disconnected = next(client, "state", (e) => e.state === "disconnected");
    const connecting = client.connect();
    (await socket(1)).accept("");
    assert.match((await disconnected).reason, /protocol mismatch|subprotocol/);
    await client.close();
    await assert.rejects(connecting, { code: "closed" }, "connect() gives up when the client is closed");
  });

  test("a silent connection is pinged, and dropped when no pong comes", async () => {
    const { client, socket } = fakeClient({ heartbeat: 20, requestTimeout: 20 });
    const disconnected = next(client, "state", (e) => e.state === "disconnected");
    client.connect();
    const s = await socket(1);
    s.welcome();
    await until(() => s.sent.some((f) => f.type === "ping"), "a ping", 1000);
    assert.equal((await disconnected).reason, "no answer to ping");
    await socket(2);
    await client.close();
  });

  test("without a WebSocket class it says what to pass", { skip: typeof globalThis.WebSocket === "function" }, () => {
    assert.throws(() => new SwitchboardClient({ url: "ws://x/", transport: "websocket" }), /pass one, e.g. the ws package/);
  });

  test("an unknown transport is refused", () => {
    assert.throws(() => new SwitchboardClient({ url: "ws://x/", transport: "carrier-pigeon" }), /transport must be/);
  });
});
