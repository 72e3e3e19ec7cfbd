// ./vmxlab bench, classroom: seconds from opening the student page (name given) to a prompt that
// answers, in headless Chromium against a fresh `./vmxlab serve`; then the same after a reload
// (reattaching to the running machine). Uses the browser tests' harness.
import fs from "node:fs";
import { browser, skipUnlessReady, startServer, student, termText, typeLine, until, waitText }
  from "../tests/browser/harness.mjs";

skipUnlessReady();
const server = await startServer();
const b = await browser();
try {
  const ctx = await b.newContext();
  const fmt = (ms) => (ms / 1000).toFixed(1) + " s";
  let t0 = Date.now();
  const { page } = await student(ctx, server.url, "bench");
  let at = await typeLine(page, "1+1");
  if (!await waitText(page, /^2$/m, 10, at)) throw new Error("no answer to 1+1");
  const cold = Date.now() - t0;
  t0 = Date.now();
  await page.reload();
  await until("replayed", async () => (await termText(page)).includes("1+1"), 20);
  at = await typeLine(page, "1+2");
  if (!await waitText(page, /^3$/m, 10, at)) throw new Error("no answer to 1+2 after the reload");
  const warm = Date.now() - t0;
  console.log(`  page open to a prompt that answers 1+1: ${fmt(cold)} (a fresh Bochs machine boots)`);
  console.log(`  reload to a prompt that answers (same machine, recent output replayed): ${fmt(warm)}`);
} finally {
  await b.close();
  await server.stop();
  fs.rmSync(server.workdir, { recursive: true, force: true });
}
