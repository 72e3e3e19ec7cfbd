// The student page: xterm.js on a WebSocket to this browser session's own machine (COM1),
// the labs list and docs beside it, the machine's state above it.
"use strict";

const term = new Terminal({ cursorBlink: true, scrollback: 5000, fontSize: 14, lineHeight: 1.2,
                            fontFamily: "DejaVu Sans Mono, monospace" });
const fit = new FitAddon.FitAddon();
term.loadAddon(fit);
term.open(document.getElementById("terminal"));
fit.fit();
window.addEventListener("resize", () => fit.fit());

const $ = (id) => document.getElementById(id);
let ws = null, status = { state: "connecting" }, retry = 0;

function show(id, on) { $(id).classList.toggle("hidden", !on); }

function send(msg) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function setStatus(s) {
  status = s;
  const state = $("state");
  state.textContent = { booting: "booting", running: "running", stopped: "stopped",
                        connecting: "connecting", lost: "connection lost" }[s.state] || s.state;
  state.className = "state " + s.state;
  if (s.emulator) $("machine-info").textContent = `· ${s.emulator === "bochs" ? "Bochs" : "QEMU"} · CPU ${s.cpu}`;
  if (s.name) $("who").textContent = s.name;
  const banner = $("banner");
  if (s.state === "booting") {
    banner.textContent = "Booting your machine: the prompt appears in a few seconds.";
  } else if (s.state === "lost") {
    banner.textContent = "Connection to the classroom server lost: reconnecting. Your machine keeps running.";
  }
  show("banner", s.state === "booting" || s.state === "lost");
  if (s.state === "stopped") $("stopped-reason").textContent = s.reason || "";
  show("stopped-dialog", s.state === "stopped");
  if (s.state === "running") term.focus();
}

function tickUptime() {
  const up = status.started && status.state !== "stopped" ? Math.max(0, Date.now() / 1000 - status.started) : null;
  $("uptime").textContent = up === null ? "" : "· up " + new Date(up * 1000).toISOString().substr(11, 8);
}
setInterval(tickUptime, 1000);

function connect() {
  const name = localStorage.getItem("vmxlab-name") || "";
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
  ws.binaryType = "arraybuffer";
  ws.onopen = () => { retry = 0; term.reset(); send({ t: "hello", name }); };
  ws.onmessage = (ev) => {
    if (typeof ev.data !== "string") { term.write(new Uint8Array(ev.data)); return; }
    const m = JSON.parse(ev.data);
    if (m.t === "status") setStatus(m);
    else if (m.t === "full") location.reload();          // the server answers with the "full" page
    else if (m.t === "notice") term.write(`\r\n\x1b[33m[classroom: ${m.text}]\x1b[0m\r\n`);
  };
  ws.onclose = () => {
    ws = null;
    if (status.state === "stopped") return;              // the dialog offers a new machine
    setStatus({ ...status, state: "lost" });
    setTimeout(connect, Math.min(10000, 1000 * ++retry));
  };
}

// Input goes in pieces of at most 1024 characters (the server takes 4 KiB per message and
// 2 KiB/s on average, and says so in the terminal when a paste is more than that).
term.onData((d) => {
  if (status.state === "stopped") return;
  for (let i = 0; i < d.length; i += 1024) send({ t: "in", d: d.slice(i, i + 1024) });
});

$("name-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  localStorage.setItem("vmxlab-name", $("name").value.trim());
  show("name-dialog", false);
  connect();
});

$("new-machine").addEventListener("click", () => {
  if (confirm("Stop this machine and boot a fresh one? Everything in it is lost.")) {
    term.reset();
    send({ t: "new" });
  }
});

$("restart").addEventListener("click", () => {
  show("stopped-dialog", false);
  status = { state: "connecting" };
  if (ws) send({ t: "new" }); else connect();
});

// Side panel: the labs list (a click types lab(n)) and the docs pages.
fetch("/labs").then((r) => r.json()).then((labs) => {
  for (const lab of labs) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.className = "lab";
    b.dataset.n = lab.n;
    b.innerHTML = `<code>lab(${lab.n})</code> <b></b><br><small></small>`;
    b.querySelector("b").textContent = lab.name;
    b.querySelector("small").textContent = lab.line;
    b.addEventListener("click", () => { send({ t: "in", d: `lab(${lab.n})\r` }); term.focus(); });
    li.appendChild(b);
    $("lab-list").appendChild(li);
  }
});

// Links between the docs pages switch tabs; any other link opens beside the classroom, never
// in place of it (that would leave the terminal).
function fixLinks(panel) {
  for (const a of panel.querySelectorAll("a[href]")) {
    const doc = a.getAttribute("href").match(/(?:^|\/)(lua-api|vmx-api|labs)\.md(?:#.*)?$/);
    if (doc) {
      a.addEventListener("click", (ev) => {
        ev.preventDefault();
        document.querySelector(`#tabs button[data-tab="doc:${doc[1]}"]`).click();
      });
    } else if (!a.getAttribute("href").startsWith("#")) {
      a.target = "_blank";
      a.rel = "noopener";
    }
  }
}

for (const tab of document.querySelectorAll("#tabs button")) {
  tab.addEventListener("click", async () => {
    document.querySelectorAll("#tabs button").forEach((t) => t.classList.toggle("active", t === tab));
    const which = tab.dataset.tab;
    show("panel-labs", which === "labs");
    show("panel-doc", which !== "labs");
    if (which.startsWith("doc:")) {
      const r = await fetch("/docs/" + which.slice(4));
      $("panel-doc").innerHTML = await r.text();
      fixLinks($("panel-doc"));
      $("panel-doc").scrollTop = 0;
    }
  });
}

// For the browser tests and the curious: the terminal's text, line by line.
window.vmxlab = {
  text() {
    const b = term.buffer.active, out = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i).translateToString(true));
    while (out.length && out[out.length - 1] === "") out.pop();   // the rows not written yet
    return out.join("\n");
  },
  status: () => status,
};

if (localStorage.getItem("vmxlab-name")) connect();
else { $("name").value = ""; show("name-dialog", true); $("name").focus(); }
