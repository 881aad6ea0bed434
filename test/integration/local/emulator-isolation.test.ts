/**
 * Issue 9 / docs/api.md §9: nothing but the API listens. dynalite and kinesalite used to listen on 127.0.0.1 ports
 * without authentication: any local process could PutItem an admin key hash (and then call the API as admin, with no
 * audit entry) or read verified payloads from the stream. Now they listen on Unix sockets inside a 0700 directory.
 * Checked from outside the server process: its listening TCP sockets (from /proc), the socket directory's mode, and a
 * connection attempt by another local user.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from './api-client.js';
import { type DevProcess, newAdminKey, startDevProcess } from './dev-process.js';
import { scratchDir } from './openssl.js';

const dataDir = scratchDir('kakunin-it-isolation-');
const adminKey = newAdminKey();
let dev: DevProcess;

beforeAll(async () => {
  dev = await startDevProcess({ dataDir, adminKey });
});

afterAll(async () => {
  expect(await dev?.stop()).toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Ports of the TCP sockets in LISTEN state that belong to process `pid` (Linux /proc). */
function listeningTcpPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined) inodes.add(inode);
    } catch {
      // the descriptor closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const [local, state, inode] = [fields[1] ?? '', fields[3], fields[9] ?? ''];
      if (state === '0A' && inodes.has(inode)) ports.push(Number.parseInt(local.split(':')[1] ?? '', 16));
    }
  }
  return ports;
}

describe.skipIf(process.platform !== 'linux')('local stand-ins are unreachable except through the API', () => {
  it('the server process listens on exactly one TCP port: the API', async () => {
    // Traffic first, so both stand-ins are certainly up and in use.
    const created = await client(dev.url, adminKey)('POST', '/v1/agents', { name: 'isolation' });
    expect(created.status).toBe(201);
    const pid = dev.child.pid;
    expect(pid).toBeDefined();
    expect(listeningTcpPorts(pid as number)).toEqual([Number(new URL(dev.url).port)]);
  });

  it('the stand-ins listen on sockets inside a directory only the server user may enter', () => {
    const sockets = join(dataDir, 'sockets');
    expect(statSync(sockets).mode & 0o777).toBe(0o700);
    for (const name of ['dynamodb.sock', 'kinesis.sock']) {
      const stat = statSync(join(sockets, name));
      expect(stat.isSocket()).toBe(true);
      expect(stat.mode & 0o077).toBe(0);
    }
  });

  it.skipIf(process.getuid?.() !== 0)('another local user cannot connect to either stand-in', () => {
    for (const name of ['dynamodb.sock', 'kinesis.sock']) {
      const socketPath = join(dataDir, 'sockets', name);
      // A separate process as user `nobody`: a plain HTTP request over the socket, as an attacker would send.
      const attempt = spawnSync(
        process.execPath,
        [
          '-e',
          `const http = require('node:http');
           const req = http.request({ socketPath: ${JSON.stringify(socketPath)}, method: 'POST', path: '/' }, (res) => {
             console.log('CONNECTED ' + res.statusCode); process.exit(0);
           });
           req.on('error', (e) => { console.log('REFUSED ' + e.code); process.exit(0); });
           req.end('{}');`,
        ],
        { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 10_000 },
      );
      expect(attempt.stdout.trim(), attempt.stderr).toMatch(/^REFUSED (EACCES|EPERM)$/);
    }
  });

  it('the server user can still reach them through the socket (the control for the test above)', () => {
    const socketPath = join(dataDir, 'sockets', 'dynamodb.sock');
    const attempt = spawnSync(
      process.execPath,
      [
        '-e',
        `const http = require('node:http');
         const req = http.request({ socketPath: ${JSON.stringify(socketPath)}, method: 'POST', path: '/',
           headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' } },
           (res) => { console.log('CONNECTED ' + res.statusCode); process.exit(0); });
         req.on('error', (e) => { console.log('REFUSED ' + e.code); process.exit(0); });
         req.end('{}');`,
      ],
      { encoding: 'utf8', timeout: 10_000 },
    );
    expect(attempt.stdout.trim()).toMatch(/^CONNECTED \d+$/);
  });
});
