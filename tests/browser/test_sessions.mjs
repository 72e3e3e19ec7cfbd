// Two students at once: two isolated machines, a reload that reattaches, the "full" page, the
// teacher page with names and a lab result, and closing both pages stops both emulators.
import fs from "node:fs";
import path from "node:path";
import { browser, check, emulators, leftovers, machines, skipUnlessReady, startServer, student,
         summary, termText,
         typeLine, until, waitText } from "./harness.mjs";

skipUnlessReady();
const shots = process.env.VMXLAB_SCREENSHOTS;
// A short grace period so that closed pages free their machines within the test.
const server = await startServer(["--max-sessions", "2", "--grace", "4"]);
const b = await browser();
const view = { viewport: { width: 1280, height: 760 } };
try {
  const start = emulators(server.workdir);
  const ca = await b.newContext(view), cb = await b.newContext(view);
  const [a, bb] = await Promise.all([student(ca, server.url, "Ada Lovelace"),
                                     student(cb, server.url, "Brian Kernighan")]);
  check(a.prompt && bb.prompt, "two browser contexts each get a prompt");
  check(emulators(server.workdir) === start + 2, "two contexts run two emulators",
        `counted ${emulators(server.workdir)}`);

  let at = await typeLine(a.page, "classroom_mark = 4242");
  await waitText(a.page, /^> ?$/m, 10, at + 5);
  at = await typeLine(bb.page, "print(classroom_mark)");
  check(await waitText(bb.page, /^nil$/m, 10, at), "a global set in one machine is nil in the other",
        (await termText(bb.page)).slice(at));
  check(!(await termText(bb.page)).includes("4242"), "one student never sees the other's typing");

  at = await typeLine(a.page, "lab(6)");
  check(await waitText(a.page, /\[lab 6\] done: all \d+ facts held/, 90, at), "lab(6) passes in the first machine",
        (await termText(a.page)).slice(-800));

  // A paste far over the input bound: the excess is dropped with a notice, the machine answers.
  at = (await termText(bb.page)).length;
  await bb.page.click("#terminal");
  await bb.page.keyboard.insertText("--" + "x".repeat(30000));
  check(await waitText(bb.page, /\[classroom: input too fast: dropped\]/, 10, at),
        "a 30 KB paste is bounded: the page says the excess was dropped");
  await bb.page.keyboard.press("Control+c");
  at = await typeLine(bb.page, "6*7");
  check(await waitText(bb.page, /^42$/m, 15, at), "after the paste the prompt still answers",
        (await termText(bb.page)).slice(-300));

  const cc = await b.newContext(view);
  const third = await cc.newPage();
  const resp = await third.goto(server.url);
  check(resp.status() === 503 && /classroom is full/.test(await third.textContent("body")),
        "a third visitor at --max-sessions 2 gets the 'classroom is full' page", `${resp.status()}`);
  await cc.close();

  await a.page.reload();                                   // same cookie: the same machine
  check(await waitText(a.page, /\[lab 6\] done: all/, 15), "a reload shows the machine's recent output");
  at = await typeLine(a.page, "print(classroom_mark)");
  check(await waitText(a.page, /^4242$/m, 10, at), "after a reload the global is still set (same machine)",
        (await termText(a.page)).slice(at));
  check(emulators(server.workdir) === start + 2, "the reload started no new emulator");

  // A dropped connection (the page's WebSocket closes under it): the page says so, reconnects
  // by itself and is back on the same machine.
  await a.page.evaluate(() => ws.close());
  check(await until("lost", async () => (await a.page.textContent("#state")) === "connection lost", 3),
        "a dropped connection shows 'connection lost'", await a.page.textContent("#status"));
  check(await until("back", async () => (await a.page.textContent("#state")) === "running", 10),
        "the page reconnects by itself");
  at = await typeLine(a.page, "print(classroom_mark + 1)");
  check(await waitText(a.page, /^4243$/m, 10, at), "after reconnecting it is the same machine",
        (await termText(a.page)).slice(at));

  const tc = await b.newContext(view);
  const teacher = await tc.newPage();
  await teacher.goto(server.url + "teacher?token=" + server.token);
  const rows = await until("rows", async () => {
    const r = await teacher.$$eval("#sessions tbody tr", (trs) => trs.map((t) => t.innerText));
    return r.length === 2 && r.some((x) => /lab 6 \(lab6_demo\.lua\): pass/.test(x)) ? r : null;
  }, 10);
  check(rows && rows.some((r) => r.startsWith("Ada Lovelace") && /lab 6 \(lab6_demo\.lua\): pass/.test(r))
        && rows.some((r) => r.startsWith("Brian Kernighan") && /none yet/.test(r)),
        "the teacher page lists both students by name with Ada's lab 6 pass",
        JSON.stringify(rows ?? await teacher.textContent("body")));
  if (shots) await teacher.screenshot({ path: path.join(shots, "classroom-teacher.png"),
                                       clip: { x: 0, y: 0, width: 1280, height: 200 } });

  const bad = await tc.newPage();
  const refused = await bad.goto(server.url + "teacher?token=wrong" + server.token.slice(5));
  check(refused.status() === 403 && /Wrong teacher token/.test(await bad.textContent("body")),
        "a wrong teacher token is refused", `${refused.status()}`);
  const anon = await (await b.newContext()).request.get(server.url + "teacher/sessions");
  check(anon.status() === 403, "the sessions list needs the teacher's cookie", `${anon.status()}`);

  const sessions = machines(server.workdir).map((m) => m.sid);
  await ca.close();
  await cb.close();
  const back = await until("stopped", () => emulators(server.workdir) === start && leftovers(sessions) === 0, 20);
  check(back && sessions.length === 2, "closing both pages stops both emulators (and their helpers) after the grace period",
        `start ${start}, now ${emulators(server.workdir)}; ${leftovers(sessions)} left in their sessions`);
  const after = await until("gone", async () => {
    const r = await teacher.$$eval("#sessions tbody tr", (trs) => trs.length);
    return r === 0;
  }, 6);
  check(after, "the teacher page no longer lists the stopped sessions");
} finally {
  await b.close();
  const code = await server.stop();
  check(code === 0, "the server stops cleanly on SIGTERM", `exit ${code}`);
  check(emulators(server.workdir) === 0, "no emulator outlives the server");
  fs.rmSync(server.workdir, { recursive: true, force: true });
}
process.exit(summary());
