// The client against a real dev-mode server (SWITCHBOARD_URL, started by JsClientTest).
import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import {
  WebSocket, client, closeClients, collect, env, next, trackedWebSocket, uniqueUser, until,
} from "./helpers.mjs";

describe("against a dev-mode server", () => {
  afterEach(closeClients);

  test("connects and is welcomed at the start of the user's stream", async () => {
    const bob = uniqueUser("bob");
    const c = client({ userId: bob });
    const states = collect(c, "state");
    const welcome = await c.connect();
    assert.equal(welcome.type, "welcome");
    assert.equal(welcome.userId, bob);
    assert.equal(welcome.seq, 0);
    assert.equal(typeof welcome.epoch, "string");
    assert.equal("recovered" in welcome, false, "a first connection does not resume");
    assert.equal(c.connectionId, welcome.connectionId);
    assert.deepEqual(c.position, { seq: 0, epoch: welcome.epoch });
    assert.deepEqual(states.map((e) => e.state), ["connecting", "open"]);
    assert.ok((await c.ping()) >= 0);
  });

  test("a send is acked with its seq and arrives as a message with that seq", async () => {
    const alice = uniqueUser("alice");
    const bob = uniqueUser("bob");
    const sender = client({ userId: alice });
    const receiver = client({ userId: bob });
    await Promise.all([sender.connect(), receiver.connect()]);
    const messages = collect(receiver, "message");

    const ack = await sender.send(bob, { text: "hi", n: [1, 2.5, null] });
    assert.deepEqual(ack, { id: ack.id, to: bob, delivered: 1, seq: 1, partial: false, duplicate: false });
    for (let i = 2; i <= 5; i++) assert.equal((await sender.send(bob, `m${i}`)).seq, i);
    await until(() => messages.length === 5, "5 messages");
    const [first] = messages;
    assert.deepEqual([first.seq, first.from, first.message, first.receipt], [1, alice, { text: "hi", n: [1, 2.5, null] }, false]);
    assert.ok(Math.abs(first.ts - Date.now()) < 60_000, `ts is the server's time in ms: ${first.ts}`);
    assert.deepEqual(messages.map((m) => m.seq), [1, 2, 3, 4, 5]);
    assert.deepEqual(messages.slice(1).map((m) => m.message), ["m2", "m3", "m4", "m5"]);
    assert.deepEqual(receiver.position, { seq: 5, epoch: receiver.position.epoch });
  });

  test("a plain-mode sender (no subprotocol) reaches the JS client", async () => {
    const bob = uniqueUser("bob");
    const carol = uniqueUser("carol");
    const receiver = client({ userId: bob });
    await receiver.connect();
    const arrived = next(receiver, "message");
    const plain = new WebSocket(`${env("SWITCHBOARD_URL")}?userId=${carol}`);
    try {
      await new Promise((resolve, reject) => { plain.onopen = resolve; plain.onerror = reject; });
      const ack = new Promise((resolve) => { plain.onmessage = (e) => resolve(JSON.parse(e.data)); });
      plain.send(JSON.stringify({ userId: bob, message: { from: "plain", list: [1, 2] } }));
      assert.deepEqual(await ack, { userId: bob, delivered: 1 });
      const m = await arrived;
      assert.deepEqual([m.seq, m.from, m.message], [1, carol, { from: "plain", list: [1, 2] }]);
    } finally {
      plain.close();
    }
  });

  test("the server's refusals reject with its code, and the connection stays usable", async () => {
    const c = client({ userId: uniqueUser("alice") });
    await c.connect();
    await assert.rejects(c.send("x".repeat(300), "hi"), { name: "SwitchboardError", code: "invalid_user_id" });
    await assert.rejects(c.send("", "hi"), { code: "missing_user_id" });
    await assert.rejects(c.presence(""), { code: "missing_user_id" });
    assert.equal((await c.send(uniqueUser("nobody"), "still here")).delivered, 0);
  });

  test("a send-only client (no user) can send, and has no stream", async () => {
    const bob = uniqueUser("bob");
    const receiver = client({ userId: bob });
    const anonymous = client();
    await receiver.connect();
    const welcome = await anonymous.connect();
    assert.deepEqual([welcome.userId, welcome.epoch, welcome.seq], [null, null, 0]);
    const arrived = next(receiver, "message");
    assert.equal((await anonymous.send(bob, "from nobody")).delivered, 1);
    assert.equal((await arrived).from, null);
  });

  test("receipts come back from each of the recipient's connections that got the message", async () => {
    const bob = uniqueUser("bob");
    const sender = client({ userId: uniqueUser("alice") });
    const phone = client({ userId: bob });
    const laptop = client({ userId: bob });
    await Promise.all([sender.connect(), phone.connect(), laptop.connect()]);
    const receipts = collect(sender, "receipt");
    const phoneGot = collect(phone, "message");

    const plain = await sender.send(bob, "no receipt wanted");
    const ack = await sender.send(bob, "please confirm", { receipt: true });
    assert.equal(ack.delivered, 2);
    await until(() => receipts.length === 2, "two receipts");
    assert.deepEqual(new Set(receipts.map((r) => r.connectionId)), new Set([phone.connectionId, laptop.connectionId]));
    for (const r of receipts) assert.deepEqual([r.id, r.to, r.seq], [ack.id, bob, ack.seq]);
    assert.deepEqual(phoneGot.map((m) => [m.seq, m.receipt]), [[plain.seq, false], [ack.seq, true]]);
    await sender.ping(); // a round trip after the receipts: nothing else was on its way
    assert.equal(receipts.length, 2, "one receipt per connection, none for the message that asked for none");
  });

  test("presence: queries, and events when another connection of the user comes and goes", async () => {
    const bob = uniqueUser("bob");
    const nobody = uniqueUser("nobody");
    const alice = client({ userId: uniqueUser("alice") });
    const pc = client({ userId: bob });
    await Promise.all([alice.connect(), pc.connect()]);
    assert.deepEqual(await alice.presence(bob), { user: bob, online: true, connections: 1 });
    assert.deepEqual(await alice.presence(nobody), { user: nobody, online: false, connections: 0 });

    const phoneCame = next(pc, "presence");
    const phone = client({ userId: bob });
    await phone.connect();
    assert.deepEqual(await phoneCame, { user: bob, online: true, connections: 2 });
    assert.deepEqual(await alice.presence(bob), { user: bob, online: true, connections: 2 });

    const phoneWent = next(pc, "presence");
    await phone.close();
    assert.deepEqual(await phoneWent, { user: bob, online: true, connections: 1 });
  });

  test("a send cut off by a dropped connection is resent and delivered once, before what was queued since", async () => {
    const bob = uniqueUser("bob");
    const sockets = trackedWebSocket();
    const sender = client({ userId: uniqueUser("alice"), WebSocket: sockets.WebSocket });
    const receiver = client({ userId: bob });
    await Promise.all([sender.connect(), receiver.connect()]);
    const got = collect(receiver, "message");

    const cut = sender.send(bob, "in flight");
    sockets.current().terminate(); // the ack can no longer arrive
    await until(() => sender.state !== "open", "the sender to notice the drop");
    const queued = sender.send(bob, "sent after the reconnect"); // disconnected now: waits, then goes once
    const [first, second] = await Promise.all([cut, queued]);
    assert.equal(sockets.sockets.length, 2);
    assert.ok(second.seq > first.seq);
    await until(() => got.at(-1)?.seq === second.seq, "the queued message");
    assert.deepEqual(got.map((m) => m.message), ["in flight", "sent after the reconnect"]);
    assert.deepEqual(got.map((m) => m.seq), [first.seq, second.seq]);
  });

  test("a repeated idempotency key gets the first ack, marked duplicate, and is not delivered again", async () => {
    const bob = uniqueUser("bob");
    const sender = client({ userId: uniqueUser("alice") });
    const receiver = client({ userId: bob });
    await Promise.all([sender.connect(), receiver.connect()]);
    const got = collect(receiver, "message");
    const first = await sender.send(bob, "once", { idempotencyKey: "k-1" });
    const again = await sender.send(bob, "once", { idempotencyKey: "k-1" });
    assert.deepEqual([again.seq, again.delivered, again.duplicate, first.duplicate], [first.seq, 1, true, false]);
    await assert.rejects(sender.send(bob, "another", { idempotencyKey: "k-1" }), { code: "idempotency_key_reused" });
    const later = await sender.send(bob, "later");
    await until(() => got.at(-1)?.seq === later.seq, "the later message");
    assert.deepEqual(got.map((m) => m.message), ["once", "later"]);
  });

  test("a saved position resumes on a new client: what was sent while away arrives first", async () => {
    const bob = uniqueUser("bob");
    const sender = client({ userId: uniqueUser("alice") });
    const before = client({ userId: bob });
    await Promise.all([sender.connect(), before.connect()]);
    await sender.send(bob, "seen");
    await until(() => before.position.seq === 1, "the first message");
    const saved = before.position;
    await before.close();
    for (const text of ["away 1", "away 2", "away 3"]) assert.equal((await sender.send(bob, text)).delivered, 0);

    const after = client({ userId: bob, since: saved.seq, epoch: saved.epoch });
    const got = collect(after, "message");
    const resyncs = collect(after, "resync");
    const welcome = await after.connect();
    assert.deepEqual([welcome.recovered, welcome.missed, welcome.seq], [true, 3, 4]);
    await until(() => got.length === 3, "the three missed messages");
    assert.deepEqual(got.map((m) => [m.seq, m.message]), [[2, "away 1"], [3, "away 2"], [4, "away 3"]]);
    assert.equal(resyncs.length, 0);

    const stale = client({ userId: bob, since: 1, epoch: "not-the-epoch" });
    const resync = next(stale, "resync");
    await stale.connect();
    const event = await resync;
    assert.deepEqual([event.seq, event.epoch, event.welcome.recovered, stale.position.seq], [1, "not-the-epoch", false, 4]);
  });

  test("GET /switchboard.js serves this very file as JavaScript, with its transports module inlined", async () => {
    const url = new URL("/switchboard.js", env("SWITCHBOARD_URL").replace(/^ws/, "http"));
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.match(response.headers.get("cache-control"), /no-cache/);
    const file = (name) => readFile(new URL(`../../main/resources/static/${name}`, import.meta.url), "utf8");
    const source = (await file("switchboard.js"))
      .replace('import { openSocket } from "./switchboard-sse.js";\n', await file("switchboard-sse.js"));
    assert.notEqual(source, await file("switchboard.js"), "the import was there to inline");
    assert.equal(await response.text(), source);
  });
});
