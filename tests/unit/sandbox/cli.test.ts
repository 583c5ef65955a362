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

  it('prints the control token the control API requires; --no-control serves none; --marketing-consent on requires emails', async () => {
    const controlled = start(['--port', '0', '--marketing-consent', 'on'], {
      SANDBOX_CONTROL_TOKEN: 'token-from-the-environment',
    });
    const quiet = start(['--port=0', '--no-control']);
    try {
      const line = await firstLine(controlled);
      expect(line).toMatch(
        /account marketing consent on, control API http:\/\/127\.0\.0\.1:\d+\/__sandbox with header x-sandbox-control-token: token-from-the-environment$/
      );
      const origin = /(http:\/\/\S+)\/sv6/.exec(line)![1];
      const health = (token: string) =>
        fetch(`${origin}/__sandbox/health`, { headers: { 'X-Sandbox-Control-Token': token } });
      expect((await health('token-from-the-environment')).status).toBe(200);
      expect((await health('another-token-0123456789')).status).toBe(401);
      const account = await fetch(`${origin}/__sandbox/account`, {
        headers: { 'X-Sandbox-Control-Token': 'token-from-the-environment' },
      });
      expect(await account.json()).toEqual({ marketingConsentEnabled: true });

      const quietLine = await firstLine(quiet);
      expect(quietLine).toMatch(/account marketing consent off, control API off$/);
      const quietOrigin = /(http:\/\/\S+)\/sv6/.exec(quietLine)![1];
      expect((await fetch(`${quietOrigin}/__sandbox/health`)).status).toBe(404);
    } finally {
      for (const child of [controlled, quiet]) {
        const exited = exitCode(child);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
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

  it('exits with 2 when --marketing-consent or --control is neither on nor off', async () => {
    const child = start(['--marketing-consent', 'yes']);
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    expect(await exitCode(child)).toBe(2);
    expect(errors).toMatch(/--marketing-consent \(SANDBOX_MARKETING_CONSENT\) must be on or off/);
  });
});
