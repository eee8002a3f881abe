// The promise of switchboard.v1 with this client: a receiver whose connection is cut every 200 ms,
// while thousands of messages are sent to it, still sees every message exactly once, in order.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { client, closeClients, collect, sleep, trackedWebSocket, uniqueUser, until } from "./helpers.mjs";

const MESSAGES = 3000;
const BATCH = 25; // sends in flight at once; the sender waits for their acks, then pauses
const PAUSE_MS = 15; // paces the run at ~1,000 messages a second: about 3 s, 15 cuts
const CUT_EVERY_MS = 200;

afterEach(closeClients);

test(`${MESSAGES}+ messages reach a receiver cut every ${CUT_EVERY_MS} ms exactly once, in order`, async () => {
  const bob = uniqueUser("flapping-bob");
  const receiverSockets = trackedWebSocket();
  const receiver = client({ userId: bob, WebSocket: receiverSockets.WebSocket, minReconnectDelay: 10, maxReconnectDelay: 80 });
  const sender = client({ userId: uniqueUser("alice") });
  const messages = collect(receiver, "message");
  const welcomes = collect(receiver, "welcome");
  const resyncs = collect(receiver, "resync");
  await Promise.all([receiver.connect(), sender.connect()]);

  let cuts = 0;
  const cutter = setInterval(() => {
    const socket = receiverSockets.current();
    if (socket.readyState === socket.OPEN) {
      socket.terminate(); // no close frame: whatever was on its way to the receiver is lost
      cuts++;
    }
  }, CUT_EVERY_MS);

  const acks = [];
  const started = Date.now();
  try {
    for (let i = 0; i < MESSAGES; i += BATCH) {
      const batch = [];
      for (let j = i; j < Math.min(i + BATCH, MESSAGES); j++) batch.push(sender.send(bob, { n: j }));
      acks.push(...await Promise.all(batch));
      await sleep(PAUSE_MS);
    }
  } finally {
    clearInterval(cutter);
  }
  // The last batch goes out while the receiver is cut off and cannot get back in: it can only
  // arrive through recovery.
  await until(() => receiver.state === "open", "the receiver to be connected for the last cut");
  receiverSockets.refuse(true);
  receiverSockets.current().terminate();
  cuts++;
  const tail = [];
  for (let n = MESSAGES; n < MESSAGES + BATCH; n++) tail.push(sender.send(bob, { n }));
  acks.push(...await Promise.all(tail));
  receiverSockets.refuse(false);
  const total = MESSAGES + BATCH;
  await until(() => receiver.position.seq >= total, () => `seq ${total} (at ${receiver.position.seq})`, 15_000);
  await receiver.ping(); // a round trip more: anything extra would have arrived by now
  const elapsed = Date.now() - started;

  assert.deepEqual(acks.map((a) => a.seq), acks.map((_, i) => i + 1), "the sender's acks number bob's stream 1..N");
  const outOfPlace = messages.findIndex((m, i) => m.seq !== i + 1 || m.message.n !== i);
  assert.equal(outOfPlace, -1, `message ${outOfPlace} is ${JSON.stringify(messages[outOfPlace])}`);
  assert.equal(messages.length, total, "every message once");
  assert.equal(resyncs.length, 0, "every reconnect recovered what it missed");
  const resumed = welcomes.filter((w) => w.recovered === true);
  assert.equal(resumed.length, welcomes.length - 1, "every welcome after the first resumed");
  assert.ok(cuts >= 5, `the connection was cut ${cuts} times`);
  assert.ok(resumed.length >= 5, `${resumed.length} resumed connections`);
  assert.ok(welcomes.at(-1).missed >= BATCH, `the last ${BATCH} came from history: ${JSON.stringify(welcomes.at(-1))}`);
  const replayed = resumed.reduce((sum, w) => sum + w.missed, 0);
  console.log(`${total} messages in ${elapsed} ms; ${cuts} cuts, ${resumed.length} resumed connections, `
    + `${replayed} messages replayed from history`);
});
