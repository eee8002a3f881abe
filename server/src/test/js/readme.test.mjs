// The README's Node snippets, run as a newcomer would run them: copied from README.md into a fresh
// directory (a default npm project: CommonJS) next to the `ws` package, against the dev-mode server.
// Only the server's address and the user id are changed, so parallel test files do not collide.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { env, uniqueUser } from "./helpers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const readme = await readFile(join(here, "../../../../README.md"), "utf8");

/** The code blocks of `lang` in the README section headed `heading`, in order. */
function blocks(heading, lang) {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `the README has a section "${heading}"`);
  const end = readme.indexOf("\n## ", start + heading.length + 2);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
}

/** The snippet with the README's server and user replaced by the test's. */
function adapt(code, user) {
  const url = new URL(env("SWITCHBOARD_URL"));
  return code.replaceAll("ws://localhost:5201/", `ws://${url.host}/`)
    .replaceAll("http://localhost:5201/", `http://${url.host}/`)
    .replace(/\bbob\b/g, user);
}

const dirs = [];
/** A fresh directory with no package.json (so CommonJS, as `npm init` makes it) and `ws` installed. */
async function project() {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-readme-"));
  dirs.push(dir);
  await symlink(join(here, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Runs `node file` in `dir` until its output has every line of `expected`, then stops it. */
function runUntil(dir, file, expected, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: dir });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`node ${file} did not print ${JSON.stringify(expected)} within ${timeoutMs} ms;`
        + ` it printed:\n${out}\n${err}`));
    }, timeoutMs);
    const check = () => {
      const lines = out.split("\n");
      if (expected.every((line) => lines.includes(line))) {
        clearTimeout(timer);
        child.kill();
        resolve(lines);
      }
    };
    child.stdout.on("data", (chunk) => { out += chunk; check(); });
    child.stderr.on("data", (chunk) => { err += chunk; });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!expected.every((line) => out.split("\n").includes(line))) {
        reject(new Error(`node ${file} exited (${code}) early; it printed:\n${out}\n${err}`));
      }
    });
  });
}

describe("the README's snippets, run in Node as written", () => {
  test("Try it: the browser snippet with `require(\"ws\")` above it runs in a CommonJS project", async () => {
    const [browser, requireWs] = blocks("## Try it", "js");
    assert.match(requireWs, /require\("ws"\)/);
    const user = uniqueUser("bob");
    const dir = await project();
    await writeFile(join(dir, "try.js"), requireWs + adapt(browser, user));

    await runUntil(dir, "try.js", [
      "PC got: hello from the phone",
      "phone got: hello from the phone",
      `phone got: {"userId":"${user}","delivered":2}`,
    ]);
  });

  test("the JavaScript client: switchboard.mjs downloaded from the server and imported as the README shows", async () => {
    const [, bobMjs] = blocks("### JavaScript (browsers and Node)", "js");
    assert.match(bobMjs, /from "\.\/switchboard\.mjs"/);
    const user = uniqueUser("bob");
    const dir = await project();
    const url = new URL(env("SWITCHBOARD_URL"));
    const served = await fetch(`http://${url.host}/switchboard.mjs`);
    assert.equal(served.status, 200);
    assert.match(served.headers.get("content-type"), /javascript/);
    await writeFile(join(dir, "switchboard.mjs"), await served.text());
    await writeFile(join(dir, "bob.mjs"), adapt(bobMjs, user));

    // The ack as the README's comment shows it.
    const ack = adapt(bobMjs, user).match(/\/\/ (acked: .*)$/m)[1];
    await runUntil(dir, "bob.mjs", [`${user} got 1 hello, me`, ack]);
  });

  test("the JavaScript client from a CommonJS file, with the dynamic import the README names", async () => {
    assert.match(readme, /const \{ SwitchboardClient \} = await import\("\.\/switchboard\.mjs"\)/);
    const user = uniqueUser("bob");
    const dir = await project();
    const url = new URL(env("SWITCHBOARD_URL"));
    await writeFile(join(dir, "switchboard.mjs"), await (await fetch(`http://${url.host}/switchboard.mjs`)).text());
    await writeFile(join(dir, "main.js"), `
const WebSocket = require("ws");
(async () => {
  const { SwitchboardClient } = await import("./switchboard.mjs");
  const client = new SwitchboardClient({ url: "ws://${url.host}/", userId: ${JSON.stringify(user)}, WebSocket });
  await client.connect();
  const ack = await client.send(${JSON.stringify(user)}, "from CommonJS");
  console.log("delivered " + ack.delivered);
  await client.close();
})();
`);
    await runUntil(dir, "main.js", ["delivered 1"]);
  });
});
