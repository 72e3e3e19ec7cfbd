// The teacher page: every session, refreshed every two seconds; a button stops one.
"use strict";

const span = (s) => s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min`
  : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

async function refresh() {
  const r = await fetch("/teacher/sessions");
  if (!r.ok) { document.getElementById("summary").textContent = "(refused: " + r.status + ")"; return; }
  const data = await r.json();
  document.getElementById("summary").textContent =
    `· ${data.sessions.length} of ${data.max_sessions} machines · ${data.emulator === "bochs" ? "Bochs" : "QEMU"}, CPU ${data.cpu}`;
  const body = document.querySelector("#sessions tbody");
  body.replaceChildren();
  for (const s of data.sessions) {
    const row = body.insertRow();
    row.dataset.tag = s.tag;
    cell(row, s.name, "name");
    cell(row, s.state + (s.connected ? "" : " (no page)") + (s.reason ? ": " + s.reason : ""), "mstate " + s.state);
    cell(row, span(s.uptime));
    cell(row, span(s.idle) + " ago");
    const labs = cell(row, "", "labs");
    for (const l of s.labs) {
      const b = document.createElement("span");
      b.className = "lab-result " + l.result;
      b.textContent = `lab ${l.n} (${l.name}): ${l.result}`;
      labs.appendChild(b);
    }
    if (!s.labs.length) labs.textContent = "none yet";
    const stop = document.createElement("button");
    stop.textContent = "Stop";
    stop.addEventListener("click", async () => {
      if (!confirm(`Stop ${s.name}'s machine?`)) return;
      await fetch("/teacher/stop", { method: "POST", headers: { "Content-Type": "application/json" },
                                     body: JSON.stringify({ tag: s.tag }) });
      refresh();
    });
    row.insertCell().appendChild(stop);
  }
  document.getElementById("empty").classList.toggle("hidden", data.sessions.length > 0);
}

refresh();
setInterval(refresh, 2000);
