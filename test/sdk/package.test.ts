/**
 * The package as a consumer gets it: `npm pack` of packages/sdk (the dist/ that `npm test` builds first), installed
 * into a fresh temporary project outside the repository (its own dependencies from the npm cache), then
 * - every subpath of the exports map imported from plain JavaScript;
 * - the core entry point loads nothing from the AWS SDK or any agent framework (a resolve hook records every module);
 * - `tsc` type-checks a consumer TypeScript file against the shipped declarations.
 * The frameworks and the AWS SDK are optional peers: the test links the repository's copies into the temporary
 * project, as a consumer who uses those subpaths would have installed them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SDK = join(REPO, 'packages/sdk');
const manifest = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
};
const SUBPATHS = Object.keys(manifest.exports).filter((path) => path !== './package.json');

let project: string;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' },
  });
}

beforeAll(() => {
  if (!existsSync(join(SDK, 'dist/index.js')))
    throw new Error('packages/sdk/dist is missing: run `npm run build:sdk` (npm test does)');
  project = mkdtempSync(join(tmpdir(), 'kakunin-sdk-consumer-'));
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], SDK)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(project, packed[0]!.filename);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--prefer-offline', '--no-package-lock', '--ignore-scripts', tarball], project);
  // Optional peers (and TypeScript for the declaration check) from the repository, as a consumer would install them.
  for (const name of [...Object.keys(manifest.peerDependencies), 'typescript', '@types/node']) {
    const target = join(project, 'node_modules', name);
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', name), target, 'dir');
  }
}, 180_000);

afterAll(() => {
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

describe('@kakunin/sdk as packed and installed', () => {
  it('ships dist with declarations for every subpath, and no sources, tests or secrets', () => {
    const installed = join(project, 'node_modules/@kakunin/sdk');
    for (const subpath of SUBPATHS) {
      const entry = manifest.exports[subpath] as { types: string; import: string };
      expect(existsSync(join(installed, entry.import)), entry.import).toBe(true);
      expect(existsSync(join(installed, entry.types)), entry.types).toBe(true);
    }
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'tsconfig.json'))).toBe(false);
  });

  it('imports every subpath from plain JavaScript', () => {
    const script = `
      const names = {};
      for (const subpath of ${JSON.stringify(SUBPATHS)}) {
        const specifier = subpath === '.' ? '@kakunin/sdk' : '@kakunin/sdk' + subpath.slice(1);
        names[subpath] = Object.keys(await import(specifier)).sort();
      }
      console.log(JSON.stringify(names));
    `;
    const names = JSON.parse(run(process.execPath, ['--input-type=module', '-e', script], project)) as Record<
      string,
      string[]
    >;
    expect(names['.']).toEqual(
      expect.arrayContaining([
        'Kakunin',
        'KakuninError',
        'OfflineVerifier',
        'checkRevocation',
        'signAction',
        'localSigner',
        'serviceSigner',
        'verifyWebhook',
        'ToolGuard',
      ]),
    );
    expect(names['./kms']).toEqual(['kmsSigner']);
    expect(names['./aws']).toEqual(['DynamoDbNonceStore']);
    for (const subpath of SUBPATHS) expect(names[subpath]?.length, subpath).toBeGreaterThan(0);
  });

  it('the core entry point loads nothing from the AWS SDK or an agent framework', () => {
    const hook = `export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      process.stderr.write('LOADED ' + result.url + '\\n');
      return result;
    }`;
    const script = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
      const sdk = await import('@kakunin/sdk');
      new sdk.Kakunin({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k' });
    `;
    const loaded = spawnStderr(script);
    expect(loaded.some((url) => url.endsWith('/node_modules/@kakunin/sdk/dist/index.js'))).toBe(true);
    for (const forbidden of [
      '@aws-sdk',
      '@smithy',
      'langchain',
      '@openai',
      '/ai/',
      '@modelcontextprotocol',
      '@middy',
    ]) {
      expect(
        loaded.filter((url) => url.includes(forbidden)),
        forbidden,
      ).toEqual([]);
    }
  });

  it('tsc type-checks a consumer TypeScript file against the shipped declarations', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import {
  Kakunin, KakuninError, OfflineVerifier, checkRevocation, localSigner, serviceSigner, signAction, verifyWebhook,
  type AgentStats, type OfflineVerifyResult, type SignedEnvelope, type VerifyResult,
} from '@kakunin/sdk';
import { kmsSigner } from '@kakunin/sdk/kms';
import { DynamoDbNonceStore } from '@kakunin/sdk/aws';

export async function guide(kakunin: Kakunin, pem: string, root: string): Promise<string> {
  const agent = await kakunin.agents.create({ name: 'payment-processor-eu-v3', mode: 'observe', anomalyThreshold: 1.0 });
  const cert = await kakunin.agents.getCertificate(agent.id, { validityDays: 365, scope: { maxTransactionSize: 10000 } });
  const arn: string | undefined = cert.kmsKeyArn;
  const signer = arn === undefined ? localSigner(pem) : kmsSigner({ keyId: arn });
  const envelope: SignedEnvelope = await signAction({ action: 'charge', amount: 9900, currency: 'EUR' }, { certificateFingerprint: cert.fingerprint, signer });
  const answer: VerifyResult = await kakunin.actions.verify(envelope, { origin: { ip: '203.0.113.7' } });
  const status = await kakunin.certificates.verify(cert.fingerprint);
  if (!status.valid) throw new Error(\`Certificate invalid: \${status.reason}\`);
  const stats: AgentStats = await kakunin.monitoring.getStats(agent.id, { window: '7d', metrics: ['transaction_size'] });
  await kakunin.monitoring.setBaseline(agent.id, {
    transaction_size: { p50: stats.transaction_size.p50, p99: stats.transaction_size.p99 },
    transactions_per_hour: { p95: stats.frequency.p95 },
    preferred_counterparties: stats.counterparty_distribution.top(5),
    active_hours: stats.hour_of_day.activePeriods,
  });
  for await (const entry of kakunin.audit.list({ actorId: agent.id })) void entry.hash;
  const offline = new OfflineVerifier({ rootPem: root, chainPem: cert.chainPem, crl: () => kakunin.ca.crl(), nonceStore: new DynamoDbNonceStore({ tableName: 'nonces' }) });
  const local: OfflineVerifyResult = await offline.verify(envelope);
  const revocation = await checkRevocation({ certificate: cert.pem, issuer: cert.chainPem, crl: new Uint8Array() });
  void serviceSigner(kakunin, agent.id);
  void verifyWebhook;
  try { await kakunin.agents.get('a_x'); } catch (error) { if (error instanceof KakuninError) return error.code; }
  return answer.verified && local.verified ? revocation.status : 'refused';
}
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          lib: ['ES2022', 'DOM'],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    expect(() => run(process.execPath, [tsc, '-p', 'tsconfig.json'], project)).not.toThrow();
    // And a misuse is caught by the shipped types (so the check above is not vacuous).
    writeFileSync(
      join(project, 'bad.ts'),
      `import { signAction } from '@kakunin/sdk';\nvoid signAction({ amount: 1 }, { certificateFingerprint: 'x' });\n`,
    );
    writeFileSync(
      join(project, 'tsconfig.bad.json'),
      JSON.stringify({ extends: './tsconfig.json', files: ['bad.ts'] }),
    );
    let diagnostics = '';
    try {
      run(process.execPath, [tsc, '-p', 'tsconfig.bad.json'], project);
    } catch (error) {
      diagnostics = String((error as { stdout?: string }).stdout);
    }
    expect(diagnostics).toMatch(/bad\.ts.*error TS\d+/);
    expect(diagnostics).toMatch(/action|signer/);
  });
});

function spawnStderr(script: string): string[] {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stderr
    .split('\n')
    .filter((line) => line.startsWith('LOADED '))
    .map((line) => line.slice('LOADED '.length));
}
