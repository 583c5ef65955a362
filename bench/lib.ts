import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const APP_DIR = path.join(ROOT, 'playground');

/** The benchmarks run the built plugin, as a site would (`BENCH_SKIP_BUILD=1`: the dist/ already there). */
export const buildPlugin = () => {
  if (process.env.BENCH_SKIP_BUILD === '1') return;
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('plugin build failed');
};

export const tempDatabase = () => path.join(os.tmpdir(), `osteocom-bench-${randomBytes(4).toString('hex')}.db`);

/** Starts a child process and resolves once a line of its output matches `ready`. */
export const startProcess = (command: string, args: string[], env: Record<string, string>, ready: RegExp) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      if (ready.test(output)) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}:\n${output.slice(-2000)}`)));
  });

export const stopProcess = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

export const removeDatabase = (file: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
};

export const ms = (value: number) => `${value.toFixed(0)} ms`;
