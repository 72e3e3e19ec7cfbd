// Safe in a room: with --host, a join code; the WebSocket checks its origin and admission; docs
// only from the fixed list; the teacher token; a machine that powers off says why it stopped.
import fs from "node:fs";
import http from "node:http";
import { browser, check, emulators, skipUnlessReady, startServer, summary, typeLine, until, waitText }
  from "./harness.mjs";

skipUnlessReady();
// 127.0.0.2 is loopback too, but not 127.0.0.1: the server treats it as a room (join code).
const server = await startServer(["--host", "127.0.0.2"]);
const b = await browser();

// A raw WebSocket upgrade request (only the HTTP handshake: the answer's status is what counts).
function upgrade(url, headers) {
  return new Promise((resolve) => {
    const req = http.request(url.replace(/\/$/, "") + "/ws", { headers: {
      Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", ...headers } });
    req.on("upgrade", (res, sock) => { sock.destroy(); resolve(res.statusCode); });
    req.on("response", (res) => { res.resume(); resolve(res.statusCode); });
    req.on("error", (e) => resolve(String(e)));
    req.end();
  });
}

try {
  check(/^[A-Z2-9]{6}$/.test(server.join ?? ""), "with --host the server prints a join code", server.join);
  const ctx = await b.newContext();
  const page = await ctx.newPage();
  await page.goto(server.url);
  check(await page.isVisible("#join"), "a visitor first sees the join form");
  await page.fill("#code", server.join === "AAAAAA" ? "BBBBBB" : "AAAAAA");
  const wrong = await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  check(wrong[0].status() === 403 && /Wrong join code/.test(await page.textContent("body")),
        "a wrong join code is refused", `${wrong[0].status()}`);
  const cookies = await ctx.cookies();
  const sid = cookies.find((c) => c.name === "vmxlab_session")?.value;
  const origin = server.url.replace(/\/$/, "");
  const jar = { Cookie: `vmxlab_session=${sid}` };
  check(await upgrade(server.url, { ...jar, Origin: origin }) === 403,
        "the WebSocket refuses a visitor without the join code");

  await page.goto(server.url);
  await page.fill("#code", server.join.toLowerCase());   // read aloud: case does not matter
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  check(await page.isVisible("#name-form"), "the right join code opens the student page");
  check(await upgrade(server.url, { ...jar, Origin: "http://evil.example" }) === 403,
        "the WebSocket refuses another site's origin");
  check(await upgrade(server.url, { ...jar }) === 403, "the WebSocket refuses a request without Origin");
  check(await upgrade(server.url, { ...jar, Origin: origin }) === 101,
        "the admitted session's own page may open the WebSocket");

  // The admitted student boots a machine; sys.exit() powers it off: the page says why it stopped.
  await page.fill("#name", "Grace");
  await page.click("#start");
  check(await waitText(page, /^> ?$/m, 60), "the admitted student's machine boots to the prompt");
  // The teacher stops this machine: the page says that it stopped and why, and offers a new one.
  await typeLine(page, "student_mark = 7");
  const teacher = await (await b.newContext()).newPage();
  teacher.on("dialog", (d) => d.accept());
  await teacher.goto(server.url + "teacher?token=" + server.token);
  await teacher.click("#sessions tbody tr button");
  check(await until("stopped", () => page.isVisible("#stopped-dialog"), 10)
        && /stopped by the teacher/.test(await page.textContent("#stopped-reason"))
        && (await page.textContent("#state")) === "stopped",
        "a machine the teacher stops: the page says stopped, and why", await page.textContent("#stopped-reason"));
  check(await until("gone", () => emulators(server.workdir) === 0, 5), "the teacher's stop ends the emulator");
  await page.click("#restart");
  check(await until("booting", async () => (await page.textContent("#state")) === "booting", 5)
        && await page.isVisible("#banner"), "'Start a new machine' shows the booting state",
        await page.textContent("#status"));
  check(await waitText(page, /^> ?$/m, 60), "the new machine reaches the prompt");
  const at = await typeLine(page, "print(student_mark)");
  check(await waitText(page, /^nil$/m, 10, at), "the new machine is fresh (the old global is gone)");

  await typeLine(page, "sys.exit()");
  check(await until("stopped", () => page.isVisible("#stopped-dialog"), 15)
        && /the machine powered itself off/.test(await page.textContent("#stopped-reason")),
        "a machine that powers off: the page says so",
        await page.textContent("#stopped-reason"));
  check(await until("gone", () => emulators(server.workdir) === 0, 5), "its emulator is gone");

  const get = async (p) => (await ctx.request.get(origin + p)).status();
  check(await get("/docs/vmx-api") === 200, "a listed docs page is served");
  for (const p of ["/docs/..%2FREADME", "/docs/architecture", "/static/..%2F..%2Ftools%2Fserve.sh",
                   "/vendor/package.json"]) {
    check(await get(p) === 404 || await get(p) === 403, `no file outside the fixed lists: ${p}`);
  }
  const t = await ctx.newPage();
  const r = await t.goto(server.url + "teacher?token=" + "x".repeat(server.token.length));
  check(r.status() === 403, "a wrong teacher token is refused", `${r.status()}`);
} finally {
  await b.close();
  await server.stop();
  check(emulators(server.workdir) === 0, "no emulator outlives the server");
  fs.rmSync(server.workdir, { recursive: true, force: true });
}
process.exit(summary());
