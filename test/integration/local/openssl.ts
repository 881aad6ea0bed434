/** openssl as an independent checker: the API's certificates and CRL must satisfy the stock tool (contract §3). */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Splits a PEM bundle into its certificates, in order. */
export function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** A P-256 key and a PKCS#10 request for it, made by openssl. */
export function opensslCsr(dir: string, commonName: string): { keyPem: string; csrPem: string; keyPath: string } {
  const keyPath = join(dir, 'agent-key.pem');
  const csrPath = join(dir, 'agent.csr');
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyPath]);
  execFileSync('openssl', ['req', '-new', '-key', keyPath, '-subj', `/CN=${commonName}`, '-out', csrPath]);
  return {
    keyPath,
    keyPem: execFileSync('openssl', ['pkey', '-in', keyPath]).toString(),
    csrPem: execFileSync('cat', [csrPath]).toString(),
  };
}

export interface VerifyOutcome {
  ok: boolean;
  output: string;
}

/** `openssl verify -x509_strict -CAfile root -untrusted issuing agent`, optionally with `-crl_check` and a DER CRL. */
export function opensslVerify(dir: string, chainPem: string, agentPem: string, crlDer?: Uint8Array): VerifyOutcome {
  const [issuing, root] = splitPem(chainPem);
  if (issuing === undefined || root === undefined) throw new Error('chain must hold the issuing CA then the root');
  const files = { root: join(dir, 'root.pem'), issuing: join(dir, 'issuing.pem'), agent: join(dir, 'agent.pem') };
  writeFileSync(files.root, `${root}\n`);
  writeFileSync(files.issuing, `${issuing}\n`);
  writeFileSync(files.agent, agentPem);
  const args = ['verify', '-x509_strict', '-CAfile', files.root, '-untrusted', files.issuing];
  if (crlDer !== undefined) {
    const derPath = join(dir, 'crl.der');
    const pemPath = join(dir, 'crl.pem');
    writeFileSync(derPath, crlDer);
    execFileSync('openssl', ['crl', '-inform', 'DER', '-in', derPath, '-out', pemPath]);
    args.push('-crl_check', '-CRLfile', pemPath);
  }
  args.push(files.agent);
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
