// The dashboard: polls GET /dashboard/stats once a second. In token mode (or whenever the server
// has --api-key) the stats need the API key: give it in the form, or as /dashboard#key=… (a
// fragment never reaches the server's logs); it is kept for this tab only.
const $ = (id) => document.getElementById(id);
const POLL_MS = 1000;
const SAMPLES = 300;

const fromFragment = new URLSearchParams(location.hash.slice(1)).get("key");
if (fromFragment) {
  sessionStorage.setItem("switchboard.apiKey", fromFragment);
  history.replaceState(null, "", location.pathname);
}

function setStatus(text, tone) {
  $("status").textContent = text;
  $("status").className = `pill ${tone ?? ""}`;
}

function drawChart(samples) {
  const shown = samples.slice(-SAMPLES);
  const peak = Math.max(1, ...shown);
  const offset = SAMPLES - shown.length; // fewer samples than the width: they start on the right
  $("line").setAttribute("points", shown.map((v, i) => `${offset + i},${(100 - (v / peak) * 95).toFixed(1)}`).join(" "));
  $("peak").textContent = String(Math.max(0, ...shown));
  $("chart-range").textContent = `(last ${Math.ceil(shown.length / 60)} min)`;
}

function showEvents(events) {
  const list = $("events");
  list.replaceChildren(...events.map((event) => {
    const item = document.createElement("li");
    item.className = event.type;
    const time = new Date(event.time).toLocaleTimeString();
    const who = event.userId ?? "(send-only)";
    item.textContent = event.type === "connect"
      ? `${time}  connect     ${who}  ${event.connectionId}`
      : `${time}  disconnect  ${who}  ${event.connectionId}  code ${event.code}`;
    return item;
  }));
}

async function poll() {
  const key = sessionStorage.getItem("switchboard.apiKey");
  try {
    const response = await fetch("/dashboard/stats", { headers: key ? { Authorization: `Bearer ${key}` } : {} });
    const body = await response.json();
    if (response.status === 401 || response.status === 403) {
      $("key-form").hidden = false;
      $("key-reason").textContent = body.error;
      setStatus(key ? "wrong API key" : "API key needed", "bad");
      return;
    }
    if (!response.ok) throw new Error(body.error ?? response.status);
    $("key-form").hidden = true;
    $("connections").textContent = body.connections;
    $("users").textContent = body.users;
    $("rate").textContent = body.messagesPerSecond.at(-1) ?? 0;
    $("total").textContent = body.messagesTotal;
    drawChart(body.messagesPerSecond);
    showEvents(body.events);
    setStatus(`live · ${new Date().toLocaleTimeString()}`, "good");
  } catch (error) {
    setStatus(`no answer: ${error.message ?? error}`, "bad");
  }
}

$("key").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem("switchboard.apiKey", $("key-input").value.trim());
  $("key-input").value = "";
  poll();
});

poll();
setInterval(poll, POLL_MS);
