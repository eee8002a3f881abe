// The phone side of the live-transcript app: speech (Web Speech API) or typed text becomes
// transcript messages to this user's own connections — the PC page among them.
import { SwitchboardClient } from "/switchboard.js";
import { Segmenter } from "/app/transcript.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const SENT_SHOWN = 20;
let client = null;
let userId = null;
let recognition = null;
let listening = false; // the user wants the microphone on (recognition restarts when a run ends)

function setStatus(text, tone) {
  $("status").textContent = text;
  $("status").className = `pill ${tone ?? ""}`;
}

/** How many segments still wait for the server's ack: the client resends them until they are in. */
function showWaiting() {
  const waiting = client?.pendingSends ?? 0;
  $("waiting").hidden = waiting === 0;
  $("waiting").textContent = `${waiting} waiting…`;
}

const segmenter = new Segmenter((message) => {
  showLocally(message);
  if (!client || !userId) return;
  // An interim line is stale by the time a connection is back: only finals wait in the queue.
  if (message.kind === "interim" && client.state !== "open") return;
  // The client keeps the send (with its idempotency key) across dropped connections until the
  // server acknowledges it: it fails only if the client is closed or its queue overflows.
  client.send(userId, message).then(showWaiting, (error) => {
    showWaiting();
    setStatus(`not sent: ${error.message}`, "bad");
  });
  showWaiting();
});

function showLocally(message) {
  if (message.kind === "interim") {
    $("local-interim").textContent = message.text;
    return;
  }
  $("local-interim").textContent = "";
  const line = document.createElement("p");
  line.textContent = message.text;
  $("sent").append(line);
  while ($("sent").children.length > SENT_SHOWN) $("sent").firstChild.remove();
}

/** Why speech recognition cannot run here, or null when it can. */
function speechProblem() {
  if (!window.isSecureContext) {
    return "Speech recognition needs a secure page (https://, or localhost), and this one is not. "
      + "Start the server with --tls-cert and --tls-key and open it over https — or type below.";
  }
  if (!(window.SpeechRecognition || window.webkitSpeechRecognition)) {
    return "This browser has no Web Speech API (SpeechRecognition): Firefox, for one, does not offer it. "
      + "Use Chrome, Edge or Safari for speech — or type below.";
  }
  return null;
}

function offerTyping(reason) {
  $("reason").textContent = reason;
  $("fallback").hidden = false;
  $("start").disabled = true;
  $("stop").disabled = true;
}

function setListening(on, note) {
  $("start").disabled = on;
  $("stop").disabled = !on;
  $("mic").textContent = note ?? (on ? `Listening (${$("lang").value})…` : "Microphone off.");
}

function startListening() {
  // Looked up now, not at load, so a test can install a scripted recognizer first.
  const problem = speechProblem();
  if (problem) return offerTyping(problem);
  listening = true;
  run(window.SpeechRecognition || window.webkitSpeechRecognition);
}

/** One recognition run; Chrome ends continuous runs after a silence, so onend starts the next. */
function run(Recognition) {
  const lang = $("lang").value;
  const rec = new Recognition();
  rec.continuous = true;
  rec.interimResults = true;
  rec.lang = lang;
  const startedAt = Date.now();
  let heard = false;
  segmenter.startRun();
  rec.onresult = (event) => {
    heard = true;
    segmenter.onResult(event, lang);
  };
  rec.onerror = (event) => {
    if (event.error === "not-allowed" || event.error === "service-not-allowed") {
      listening = false;
      setListening(false, "Microphone permission was refused: allow it in the browser's site settings.");
    } else if (event.error !== "no-speech" && event.error !== "aborted") {
      $("mic").textContent = `Speech recognition error: ${event.error}`;
    }
  };
  rec.onend = () => {
    segmenter.endRun(lang);
    if (recognition !== rec) return;
    if (!listening) return; // stopped, or refused: the buttons and the note are set already
    // A run that ended at once without hearing anything (an error) waits a second, so a failure
    // cannot spin; one that heard speech (phones end a run after each utterance) goes on at once.
    const wait = !heard && Date.now() - startedAt < 1000 ? 1000 : 0;
    setTimeout(() => { if (listening && recognition === rec) run(Recognition); }, wait);
  };
  recognition = rec;
  rec.start();
  setListening(true);
}

function stopListening() {
  listening = false;
  recognition?.stop();
  setListening(false);
}

function sendTyped() {
  const text = $("text").value.trim();
  if (!text) return;
  segmenter.typed(text, $("lang").value);
  $("text").value = "";
}

/** Who this phone is: a device token from the pairing code (token mode), else ?userId=. */
async function identify() {
  const { mode } = await fetch("/app/mode").then((r) => r.json());
  if (mode !== "token") {
    const id = params.get("userId") || localStorage.getItem("switchboard.userId");
    return id ? { userId: id } : { error: "Open this page from the link or QR code on the PC page (/app/pc)." };
  }
  const code = params.get("pair");
  if (code) {
    params.delete("pair"); // single use: out of the address bar and history
    history.replaceState(null, "", `${location.pathname}?${params}`);
    const response = await fetch("/app/pair/redeem", { method: "POST", body: JSON.stringify({ code }) });
    const body = await response.json();
    if (response.ok) {
      sessionStorage.setItem("switchboard.device", JSON.stringify(body));
      return { token: body.token };
    }
    if (!sessionStorage.getItem("switchboard.device")) return { error: body.error };
  }
  const saved = JSON.parse(sessionStorage.getItem("switchboard.device") ?? "null");
  if (saved && saved.expiresAt > Date.now()) return { token: saved.token };
  return { error: "Scan the QR code on the PC page (/app/pc) to pair this phone." };
}

async function start() {
  const preferred = [...$("lang").options].find((o) => o.value === navigator.language);
  if (preferred) $("lang").value = preferred.value;
  const problem = speechProblem();
  if (problem) offerTyping(problem);
  else $("start").disabled = false;

  const who = await identify();
  if (who.error) return setStatus(who.error, "bad");
  userId = who.userId ?? null; // token mode: known from the welcome
  client = new SwitchboardClient({ url: "/", ...(who.token ? { token: who.token } : { userId: who.userId }) });
  client.on("state", ({ state, code }) => {
    if (state === "open") setStatus("connected", "good");
    else if (state === "disconnected" && code === 4001) {
      // The device token ended with the PC's token: retrying cannot help.
      sessionStorage.removeItem("switchboard.device");
      // Closed after this event, so the client's retry is already scheduled and close() cancels it.
      setTimeout(() => client.close().then(() => setStatus("pairing expired: scan the QR code on the PC again", "bad")));
    } else if (state === "disconnected") setStatus("reconnecting…", "bad");
    else if (state === "closed") return;
    else setStatus(state === "connecting" ? "connecting…" : state, "warn");
  });
  client.on("welcome", (welcome) => {
    userId = welcome.userId;
    $("user").textContent = userId;
  });
  client.on("error", (error) => console.warn("switchboard:", error));
  await client.connect();
}

$("start").addEventListener("click", startListening);
$("stop").addEventListener("click", stopListening);
$("send").addEventListener("click", sendTyped);
$("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) sendTyped(); });
$("lang").addEventListener("change", () => { if (listening) recognition?.stop(); }); // the next run uses the new language
start().catch((error) => setStatus(String(error.message ?? error), "bad"));
