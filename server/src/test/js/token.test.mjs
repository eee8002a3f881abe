// The client against a real token-mode server (HS256): SWITCHBOARD_TOKEN_URL, with a valid token for
// SWITCHBOARD_TOKEN_USER in SWITCHBOARD_TOKEN, all set by JsClientTest.
import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { client, closeClients, env, next, trackedWebSocket, until } from "./helpers.mjs";

describe("against a token-mode server", () => {
  afterEach(closeClients);

  test("the token goes in ?token=, names the user, and is asked for again on every reconnect", async () => {
    const user = env("SWITCHBOARD_TOKEN_USER");
    const sockets = trackedWebSocket();
    let issued = 0;
    const c = client({
      url: env("SWITCHBOARD_TOKEN_URL"), WebSocket: sockets.WebSocket, userId: "mallory",
      token: async () => { issued++; return env("SWITCHBOARD_TOKEN"); },
    });
    const welcome = await c.connect();
    assert.equal(welcome.userId, user, "the identity is the token's sub, not ?userId=");
    const url = new URL(sockets.current().url);
    assert.equal(url.searchParams.get("token"), env("SWITCHBOARD_TOKEN"));
    assert.equal(url.searchParams.has("userId"), false);

    const ack = await c.send(user, "a note to myself"); // the send policy in token mode: self
    assert.equal(ack.delivered, 1);
    await until(() => c.position.seq === ack.seq, "the note");

    const resumed = next(c, "welcome");
    sockets.current().terminate();
    assert.deepEqual([(await resumed).recovered, issued], [true, 2]);
    await assert.rejects(c.send("someone-else", "hi"), { code: "forbidden" });
  });

  test("without a valid token the server refuses, and the client says why and keeps trying", async () => {
    const c = client({ url: env("SWITCHBOARD_TOKEN_URL"), token: "not-a-jwt" });
    const refused = next(c, "state", (e) => e.state === "disconnected");
    const connecting = c.connect();
    assert.match((await refused).reason, /401/);
    await next(c, "state", (e) => e.state === "connecting"); // a new attempt, after the backoff
    await c.close();
    await assert.rejects(connecting, { code: "closed" });
  });
});
