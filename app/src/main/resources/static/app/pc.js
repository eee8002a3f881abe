// The PC side of the live-transcript app: pairs a phone, then shows what it transcribes, live.
// It uses the switchboard.v1 client, so after a dropped connection the segments spoken meanwhile
// are recovered (in order, once) from the server's history.
import { SwitchboardClient } from "/switchboard.js";
import { Transcript } from "/app/transcript.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const transcript = new Transcript();
let client = null;

function setStatus(element, text, tone) {
  element.textContent = text;
  element.className = `pill ${tone ?? ""}`;
}

/** Who this page is: a JWT in token mode (from ?token=, kept for this tab), a user id in dev mode. */
async function identity() {
  const { mode } = await fetch("/app/mode").then((r) => r.json());
  if (mode === "token") {
    const token = params.get("token") ?? sessionStorage.getItem("switchboard.pc.token");
    if (!token) return { mode, error: "This server is in token mode: open /app/pc?token=<a JWT for your user>." };
    sessionStorage.setItem("switchboard.pc.token", token);
    params.delete("token"); // out of the address bar, history and screenshots
    return { mode, token };
  }
  let userId = params.get("userId") || localStorage.getItem("switchboard.userId");
  if (!userId) userId = `user-${Math.random().toString(36).slice(2, 8)}`;
  localStorage.setItem("switchboard.userId", userId);
  params.set("userId", userId);
  return { mode, userId };
}

/** The link (and QR code) that opens the phone page for the same user. */
async function showPairing(who) {
  let link;
  if (who.mode === "token") {
    const response = await fetch("/app/pair", { method: "POST", headers: { Authorization: `Bearer ${who.token}` } });
    const body = await response.json();
    if (!response.ok) throw new Error(`pairing failed: ${body.error}`);
    link = new URL(body.phoneUrl, location.origin).href;
    // Single use, valid for two minutes: keep a fresh one on screen.
    setTimeout(() => showPairing(who).catch(showError), Math.max(10, body.expiresInSeconds - 10) * 1000);
    $("pair-note").textContent = `The link works once, for ${body.expiresInSeconds / 60} minutes; a new one replaces it.`;
  } else {
    link = new URL(`/app/phone?userId=${encodeURIComponent(who.userId)}`, location.origin).href;
  }
  $("pair-link").href = link;
  $("pair-link").textContent = link;
  $("qr").src = `/app/qr.svg?text=${encodeURIComponent(link)}`;
  if (["localhost", "127.0.0.1", "[::1]"].includes(location.hostname)) {
    $("pair-note").textContent += " This address is this computer's own: a second tab can use it, a phone cannot."
      + " For a phone, open this page at https://<this computer's LAN address>:5201/app/pc (see the README).";
  }
}

function render() {
  const scroller = $("transcript-box");
  const box = $("transcript");
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  while (box.children.length > transcript.finals.length) box.lastChild.remove();
  for (let i = box.children.length; i < transcript.finals.length; i++) {
    const line = document.createElement("p");
    line.textContent = transcript.finals[i].text;
    line.dataset.segment = transcript.finals[i].id;
    box.append(line);
  }
  $("interim").textContent = transcript.interim?.text ?? "";
  $("count").textContent = transcript.finals.length ? `${transcript.finals.length} segments` : "";
  if (atBottom) scroller.scrollTop = scroller.scrollHeight;
}

function showPresence(connections) {
  // This page is one of the user's connections; any other is taken to be the phone.
  const others = connections - 1;
  if (others <= 0) setStatus($("phone-status"), "not connected", "warn");
  else setStatus($("phone-status"), others === 1 ? "connected" : `connected (${others} devices)`, "good");
}

function showError(error) {
  setStatus($("status"), String(error.message ?? error), "bad");
}

async function start() {
  const who = await identity();
  history.replaceState(null, "", `${location.pathname}?${params}`);
  if (who.error) return showError(who.error);
  client = new SwitchboardClient({ url: "/", ...(who.token ? { token: who.token } : { userId: who.userId }) });
  let note = "";
  client.on("state", ({ state, code, delay }) => {
    $("status").title = client.connectionId ? `connection ${client.connectionId}` : "";
    if (state === "open") setStatus($("status"), `connected${note}`, "good");
    else if (state === "disconnected" && code === 4001 && who.token) {
      // The JWT expired: retrying with it cannot help.
      sessionStorage.removeItem("switchboard.pc.token");
      // Closed after this event, so the client's retry is already scheduled and close() cancels it.
      setTimeout(() => client.close().then(() => setStatus($("status"), "token expired: open /app/pc?token=<a fresh JWT>", "bad")));
    } else if (state === "disconnected") setStatus($("status"), `disconnected (${code ?? "no connection"}), retrying in ${(delay / 1000).toFixed(1)} s`, "bad");
    else if (state === "closed") return;
    else setStatus($("status"), state === "connecting" ? "connecting…" : state, "warn");
  });
  client.on("welcome", (welcome) => {
    $("user").textContent = welcome.userId;
    // "open" is announced just before the welcome event: say here what the reconnect recovered.
    if (welcome.recovered === true) note = ` · recovered ${welcome.missed} missed`;
    else if (welcome.recovered === false) note = " · some segments were lost (too old to recover)";
    else note = "";
    setStatus($("status"), `connected${note}`, welcome.recovered === false ? "warn" : "good");
    client.presence(welcome.userId).then((p) => showPresence(p.connections), () => {});
  });
  client.on("presence", (p) => showPresence(p.connections));
  client.on("message", (m) => { if (transcript.apply(m.message)) render(); });
  client.on("error", (error) => console.warn("switchboard:", error));
  if (who.userId) $("user").textContent = who.userId;
  await showPairing(who);
  await client.connect();
}

$("copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(transcript.text());
    $("copy").textContent = "Copied";
  } catch {
    $("copy").textContent = "Copy failed: select the text instead";
  }
  setTimeout(() => { $("copy").textContent = "Copy"; }, 2000);
});

$("download").addEventListener("click", () => {
  const url = URL.createObjectURL(new Blob([`${transcript.text()}\n`], { type: "text/plain;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `transcript-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, "-")}.txt`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
});

$("clear").addEventListener("click", () => {
  transcript.finals.length = 0;
  transcript.interim = null;
  render();
});

start().catch(showError);
