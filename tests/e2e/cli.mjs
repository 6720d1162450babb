// The native CLI, for comparing the widget's rendering with the authoritative Decision.
// MC_CLI names a built `merchant-credit` binary (scripts/test.d/60-widget.sh builds one); without
// it the tests fall back to `cargo run --features cli`.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';

function targetDir() {
  return process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target');
}

export function cliCommand() {
  if (process.env.MC_CLI) return [process.env.MC_CLI];
  for (const profile of ['debug', 'release']) {
    const bin = path.join(targetDir(), profile, 'merchant-credit');
    if (fs.existsSync(bin)) return [bin];
  }
  return ['cargo', 'run', '-q', '--features', 'cli', '--'];
}

/** Runs the CLI with `args`; returns the parsed JSON on stdout (throws with stderr on failure). */
export function cliJson(args) {
  const [cmd, ...pre] = cliCommand();
  const r = spawnSync(cmd, [...pre, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${[...pre, ...args].join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Starts `merchant-credit serve` on a free loopback port if the binary has the server feature. */
export async function startServer() {
  const [cmd, ...pre] = cliCommand();
  if (cmd === 'cargo') return null;
  const help = spawnSync(cmd, ['serve', '--help'], { encoding: 'utf8' });
  if (help.status !== 0) return null;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(cmd, [...pre, 'serve', '--addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
    } catch {
      /* not up yet */
    }
    if (child.exitCode != null) throw new Error(`merchant-credit serve exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`merchant-credit serve did not answer /healthz: ${stderr}`);
}
