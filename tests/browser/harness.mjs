// The browser tests' tools: a classroom server of our own (tools/serve.sh on a free port, its
// machines under a work directory of our own, so counting them ignores everyone else's), headless
// Chromium through playwright-core, and reading the terminal the student sees.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

export const top = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const require = createRequire(path.join(top, "web", "package.json"));
const { chromium } = require("playwright-core");
const IMAGE = process.env.VMXLAB_IMAGE || path.join(top, "build", "vmxlab.iso");
export const CHROMIUM = process.env.VMXLAB_CHROMIUM || "/usr/bin/chromium";

let checks = 0, failures = 0;
export function check(ok, what, detail = "") {
  checks++;
  if (!ok) failures++;
  console.log(`${ok ? "PASS" : "FAIL"}: ${what}${!ok && detail ? "\n      " + detail : ""}`);
  return ok;
}
export function summary() {
  console.log(`${checks - failures} passed, ${failures} failed`);
  return checks > 0 && failures === 0 ? 0 : 1;
}
// Exit 77 = skipped (ctest SKIP_RETURN_CODE), with the reason.
export function skipUnlessReady() {
  const why = !fs.existsSync(CHROMIUM) ? `${CHROMIUM} is missing (package chromium; ./vmxlab setup)`
    : !fs.existsSync(IMAGE) ? `${IMAGE} is missing (./vmxlab build)`
    : null;
  if (why) { console.log("SKIP: " + why); process.exit(77); }
}

export async function startServer(args = []) {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), "vmxlab-browser-"));
  const proc = spawn(path.join(top, "tools", "serve.sh"),
    ["--port", "0", "--workdir", workdir, "--image", IMAGE, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stderr.on("data", (d) => process.stderr.write(d));
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start: " + out)), 20000);
    proc.stdout.on("data", (d) => {
      out += d;
      const url = out.match(/classroom: (http:\/\/\S+)/), token = out.match(/token=(\S+)/);
      if (url && token && out.includes("stop with Ctrl-C")) {
        clearTimeout(timer);
        const join = out.match(/join code: +(\S+)/);
        resolve({ url: url[1], token: token[1], join: join ? join[1] : null });
      }
    });
    proc.on("exit", (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return { ...info, proc, workdir, out: () => out,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode ?? proc.signalCode;
      const done = new Promise((r) => proc.on("exit", (code, sig) => r(code ?? sig)));
      proc.kill(signal);
      return done;
    } };
}

// This server's emulators: Bochs or QEMU processes whose command line names its work directory.
// Each runs in a session of its own (setsid) with its helpers (emulator.sh's screen drain).
export function machines(workdir) {
  const found = [];
  for (const p of processes()) {
    if (/^(bochs-bin|bochs|qemu-system-x86)/.test(p.comm) && p.cmd.includes(workdir)) found.push(p);
  }
  return found;
}
export const emulators = (workdir) => machines(workdir).length;

// How many processes are still in any of these sessions (an emulator and its helpers).
export function leftovers(sessions) {
  return processes().filter((p) => sessions.includes(p.sid)).length;
}

function processes() {
  const out = [];
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const sid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      out.push({ pid: Number(pid), comm, sid, cmd });
    } catch { /* gone meanwhile */ }
  }
  return out;
}

export async function browser() {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function until(what, fn, seconds) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) return null;
    await sleep(200);
  }
}

export const termText = (page) => page.evaluate(() => window.vmxlab.text());

// An idle prompt is the line "> ". Waits until it matches re (searching only after `from` characters).
export async function waitText(page, re, seconds = 20, from = 0) {
  return until(re, async () => (await termText(page)).slice(from).match(re), seconds);
}

// Opens the student page, gives a name, waits for the prompt; returns the page.
export async function student(context, url, name, seconds = 60) {
  const page = await context.newPage();
  await page.goto(url);
  await page.fill("#name", name);
  await page.click("#start");
  const prompt = await waitText(page, /^> ?$/m, seconds);
  return { page, prompt };
}

// Types a line at the prompt as a student would (keys into xterm), returns the text offset before.
export async function typeLine(page, line) {
  const before = (await termText(page)).length;
  await page.click("#terminal");
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
  return before;
}
