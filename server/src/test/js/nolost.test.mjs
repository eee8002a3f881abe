// No word lost on the way in: a sender whose connection black-holes one direction and then dies,
// every ~200 ms, still gets each of its sends to the recipient exactly once, in order — the client
// resends what was not acknowledged, with its idempotency key, and the server delivers a key once.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { chaosProxy } from "./proxy.mjs";
import { client, closeClients, collect, env, sleep, uniqueUser, until } from "./helpers.mjs";

const SENDS = 5000;
const WINDOW = 50; // sends the sender lets wait for their acks at once
const PER_SECOND = 1000; // the pace: at least 5 s, so the link flaps 20+ times however fast the machine
const FLAP_EVERY_MS = 200;
const HOLE_MS = 60;

afterEach(closeClients);

test(`${SENDS} sends through a link that black-holes one way and dies every ${FLAP_EVERY_MS} ms arrive once, in order`, async () => {
  const proxy = await chaosProxy(Number(new URL(env("SWITCHBOARD_URL")).port));
  try {
    const bob = uniqueUser("nolost-bob");
    const receiver = client({ userId: bob });
    const sender = client({ userId: uniqueUser("nolost-alice"), url: proxy.url, minReconnectDelay: 10, maxReconnectDelay: 50 });
    const got = collect(receiver, "message");
    const reconnects = collect(sender, "welcome");
    await Promise.all([receiver.connect(), sender.connect()]);

    proxy.flap(FLAP_EVERY_MS, HOLE_MS);
    const acks = [];
    const start = Date.now();
    for (let n = 0; n < SENDS; n++) {
      while (Date.now() < start + (n * 1000) / PER_SECOND || sender.pendingSends >= WINDOW) await sleep(1);
      acks.push(sender.send(bob, { n }));
    }
    const settled = await Promise.all(acks);
    await proxy.close();

    await until(() => got.length >= SENDS, () => `${SENDS} messages (have ${got.length})`, 15_000);
    await receiver.ping(); // one round trip more: a duplicate would have arrived by now
    assert.deepEqual(got.map((m) => m.message.n), Array.from({ length: SENDS }, (_, n) => n),
      "the recipient has each send exactly once, in order");
    assert.deepEqual(settled.map((a) => a.seq), got.map((m) => m.seq), "each ack names the seq its message got");
    const duplicates = settled.filter((a) => a.duplicate).length;
    console.log(`# ${SENDS} sends, ${proxy.cycles} black holes and cuts, ${reconnects.length} connections,`
      + ` ${duplicates} resends answered as duplicates`);
    assert.ok(proxy.cycles >= 10, `the link flapped ${proxy.cycles} times`);
    assert.ok(reconnects.length >= 10, `the sender reconnected ${reconnects.length - 1} times`);
  } finally {
    await proxy.close();
  }
});
