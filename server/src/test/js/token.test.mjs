// The client against a real token-mode server (HS256): SWITCHBOARD_TOKEN_URL, with a valid token for
// SWITCHBOARD_TOKEN_USER in SWITCHBOARD_TOKEN, all set by JsClientTest.
import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { client, closeClients, collect, env, next, trackedWebSocket, until } from "./helpers.mjs";

/** An HS256 JWT for `sub` that expires in `seconds` (the test server's secret: SWITCHBOARD_TOKEN_SECRET). */
function jwt(sub, seconds) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub, exp: Math.floor(Date.now() / 1000) + seconds })}`;
  return `${body}.${createHmac("sha256", env("SWITCHBOARD_TOKEN_SECRET")).update(body).digest("base64url")}`;
}

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

  test("a token from a provider is refreshed in place before it expires, without reconnecting", async () => {
    const user = env("SWITCHBOARD_TOKEN_USER");
    const sockets = trackedWebSocket();
    let issued = 0;
    // Tokens that live 4 s (exp is in whole seconds: 3-4 s): refreshed about a second before each expiry.
    const c = client({ url: env("SWITCHBOARD_TOKEN_URL"), WebSocket: sockets.WebSocket,
      token: () => { issued++; return jwt(user, 4); } });
    const refreshed = collect(c, "refreshed");
    await c.connect();
    await until(() => refreshed.length >= 2, "two refreshes", 10_000);
    assert.equal(sockets.sockets.length, 1, "still the first connection: never closed with 4001");
    assert.ok(refreshed[1].expiresAt > Date.now(), "the connection now expires later");
    assert.equal(issued, 3, "one token to connect, one per refresh");
    assert.equal((await c.send(user, "still here")).delivered, 1);
  });

  test("a refresh the server refuses makes the client reconnect with a token of its own", async () => {
    const user = env("SWITCHBOARD_TOKEN_USER");
    const sockets = trackedWebSocket();
    let issued = 0;
    // The second token names another user: the refresh is refused and the client reconnects.
    const c = client({ url: env("SWITCHBOARD_TOKEN_URL"), WebSocket: sockets.WebSocket,
      token: () => (++issued === 2 ? jwt("mallory", 60) : jwt(user, 4)) });
    const errors = collect(c, "error");
    await c.connect();
    await until(() => sockets.sockets.length === 2 && c.state === "open", "a second connection", 10_000);
    assert.equal(errors[0].code, "unauthorized");
    assert.match(errors[0].message, /another user/);
    assert.equal(c.userId, user);
  });
});

