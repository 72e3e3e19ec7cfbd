// One student in a real browser: the page, the prompt, 1+1, lab 6, Ctrl-C, the side panel,
// 'New machine'; then the server is killed with SIGKILL and its emulator must die with it (no orphans).
import fs from "node:fs";
import path from "node:path";
import { browser, check, emulators, leftovers, machines, skipUnlessReady, startServer, student,
         summary, termText,
         typeLine, until, waitText } from "./harness.mjs";

skipUnlessReady();
const shots = process.env.VMXLAB_SCREENSHOTS;
const server = await startServer(["--max-sessions", "2"]);
const b = await browser();
try {
  const context = await b.newContext({ viewport: { width: 1280, height: 760 } });
  const opened = Date.now();
  const { page, prompt } = await student(context, server.url, "Ada");
  check(await page.title() === "vmxlab classroom", "the student page loads", await page.title());
  check(prompt, "the Lua prompt appears in the terminal", await termText(page));
  console.log(`      (page open to prompt: ${((Date.now() - opened) / 1000).toFixed(1)} s)`);
  check(await until("running", async () => (await page.textContent("#state")) === "running", 5),
        "the status line says running", await page.textContent("#status"));
  const info = await page.textContent("#machine-info");
  check(/Bochs · CPU corei7_skylake_x/.test(info), "the status line names emulator and CPU", info);

  let at = await typeLine(page, "1+1");
  check(await waitText(page, /^1\+1\n2\n> ?$/m, 10, at), "typing 1+1 shows 2",
        (await termText(page)).slice(at));

  // Keys reach the line editor as in ./vmxlab run: Tab completes, Up recalls the last line.
  at = (await termText(page)).length;
  await page.keyboard.type("string.up");
  await page.keyboard.press("Tab");
  await page.keyboard.type('("tab")');
  await page.keyboard.press("Enter");
  check(await waitText(page, /string\.upper\("tab"\)\nTAB\n/, 10, at), "Tab completes string.up to string.upper",
        (await termText(page)).slice(at));
  at = (await termText(page)).length;
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  check(await waitText(page, /string\.upper\("tab"\)\nTAB\n/, 10, at), "Up recalls the last line",
        (await termText(page)).slice(at));

  const labs = await page.$$eval("button.lab", (bs) => bs.map((x) => x.textContent));
  check(labs.length === 7 && labs[5].includes("lab(6)") && labs[5].includes("demo"),
        "the side panel lists the seven labs", labs.join(" | "));
  at = (await termText(page)).length;
  await page.click('button.lab[data-n="6"]');           // a click types lab(6)
  check(await waitText(page, /lab\(6\)/, 5, at), "clicking lab 6 types lab(6) at the prompt");
  check(await waitText(page, /^Hello from Guest VM$/m, 60, at), "lab(6) shows the guest's Hello from Guest VM",
        (await termText(page)).slice(at, at + 2000));
  check(await waitText(page, /\[lab 6\] done: all \d+ facts held/, 60, at), "lab(6) ends with its success line",
        (await termText(page)).slice(-1500));
  await waitText(page, /^> ?$/m, 20, (await termText(page)).length - 3);
  if (shots) await page.screenshot({ path: path.join(shots, "classroom-student.png") });

  at = await typeLine(page, "while true do end");
  await page.waitForTimeout(1000);
  await page.keyboard.press("Control+c");
  check(await waitText(page, /interrupted!/, 10, at), "Ctrl-C stops while true do end",
        (await termText(page)).slice(at));
  at = await typeLine(page, "1+2");
  check(await waitText(page, /^3$/m, 10, at), "the prompt answers after Ctrl-C");

  await page.click('#tabs button[data-tab="doc:vmx-api"]');
  const doc = await until("doc", async () => page.$eval("#panel-doc", (d) => d.querySelector("h1")?.textContent), 5);
  check(doc && /vmx/i.test(doc), "the VMX API page renders from Markdown as HTML", doc);

  // "New machine": nothing happens unless the student confirms.
  at = await typeLine(page, "student_mark = 8");
  page.once("dialog", (d) => d.dismiss());
  await page.click("#new-machine");
  at = await typeLine(page, "print(student_mark)");
  check(await waitText(page, /^8$/m, 10, at), "'New machine' cancelled keeps the machine");
  page.once("dialog", (d) => d.accept());
  await page.click("#new-machine");
  check(await until("booting", async () => (await page.textContent("#state")) === "booting", 5)
        && await page.isVisible("#banner"), "'New machine' confirmed: the page shows the booting state",
        await page.textContent("#status"));
  check(await waitText(page, /^> ?$/m, 60), "the new machine reaches the prompt");
  at = await typeLine(page, "print(student_mark)");
  check(await waitText(page, /^nil$/m, 10, at), "after 'New machine' the old global is gone");

  await page.click('#tabs button[data-tab="doc:lua-api"]');
  await until("lua-api", async () => /Lua prompt/.test(await page.textContent("#panel-doc")), 5);
  await page.click('#panel-doc a[href$="vmx-api.md"]');
  check(await until("switched", async () =>
          (await page.textContent("#tabs button.active")) === "VMX API" && page.url() === server.url, 5),
        "a link to another docs page switches the tab and stays on the classroom page", page.url());

  const running = machines(server.workdir);
  check(running.length === 1, "one emulator runs for the one student", `counted ${running.length}`);
  const sessions = running.map((m) => m.sid);
  await server.stop("SIGKILL");                         // killed: no clean-up code runs
  const gone = await until("orphans", () => leftovers(sessions) === 0, 5);
  check(gone && sessions.length > 0, "killing the server (SIGKILL) leaves no emulator or helper behind",
        `${leftovers(sessions)} processes still in the machine's session`);
} finally {
  await b.close();
  await server.stop("SIGKILL");
  fs.rmSync(server.workdir, { recursive: true, force: true });
}
process.exit(summary());
