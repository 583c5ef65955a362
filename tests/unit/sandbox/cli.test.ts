import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

const start = (args: string[], env: Record<string, string> = {}) =>
  spawn(process.execPath, ['-r', '@swc-node/register', 'sandbox/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const firstLine = (child: ChildProcess) =>
  new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.split('\n')[0]);
    });
    child.once('exit', (code) =>
      reject(new Error(`the sandbox exited with ${code} before printing its URL`))
    );
  });

const exitCode = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('sandbox CLI', () => {
  it('starts from flags and environment, prints its URL and credentials, and exits cleanly on SIGTERM', async () => {
    const child = start(['--port', '0', '--channels=3', '--videos', '2'], {
      SANDBOX_CLIENT_SECRET: 'cli-secret',
      SANDBOX_CHANNELS: '99',
    });
    try {
      const line = await firstLine(child);
      expect(line).toMatch(
        /^Osteocom sandbox at http:\/\/127\.0\.0\.1:\d+\/sv6 .*clientId "sandbox-client", clientSecret "cli-secret"/
      );
      const url = /(http:\/\/\S+\/sv6)/.exec(line)![1];
      const login = await fetch(`${url}/contentLicensing_login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ clientId: 'sandbox-client', clientSecret: 'cli-secret' }),
      });
      const { token } = (await login.json()) as { token: string };
      const catalog = await fetch(`${url}/contentLicensing_catalog`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ clientId: 'sandbox-client' }),
      });
      const body = (await catalog.json()) as { catalog: { video: unknown[] }[] };
      expect(body.catalog).toHaveLength(3);
      expect(body.catalog[0].video).toHaveLength(2);
    } finally {
      const exited = exitCode(child);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('exits with 2 and the usage on a bad argument', async () => {
    const child = start(['--port', 'abc']);
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    expect(await exitCode(child)).toBe(2);
    expect(errors).toMatch(/--port \(SANDBOX_PORT\) must be a non-negative integer/);
    expect(errors).toMatch(/Usage: osteocom-sandbox/);
  });
});
