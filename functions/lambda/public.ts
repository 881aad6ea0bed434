/**
 * Lambda entry of the public routes (functions/public.ts). /health needs nothing; the chain and the CRL load the CA
 * (and through it x509 and KMS) on first use.
 */
import { DynamoCaStore } from '../../src/adapters/aws/dynamo/ca-store.js';
import { DynamoCertificateStore } from '../../src/adapters/aws/dynamo/certificate-store.js';
import { createDocumentClient } from '../../src/app/aws/dynamo.js';
import { systemClock, systemRandom } from '../../src/app/aws/runtime.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv } from '../../src/app/config.js';
import { createPublicHandler, type PublicContext } from '../public.js';
import { lazyCa, lazyKmsVault } from './ca-loader.js';

const context = cachedProvider((): PublicContext => {
  const config = configFromEnv();
  const doc = createDocumentClient();
  const caStore = new DynamoCaStore(doc, config.tables);
  const ca = lazyCa(
    {
      caStore,
      certificates: new DynamoCertificateStore(doc, config.tables),
      vault: lazyKmsVault(),
      clock: systemClock,
      random: systemRandom,
    },
    config,
  );
  return { config, caStore, ca };
});

export const handler = createPublicHandler(context);

/**
 * The CRL schedule (an EventBridge rule, hourly): re-signs every published CRL that has used half its validity or
 * misses a revocation, so requests are served a stored CRL and never wait for a signature. A failure throws, which
 * the function's error alarm reports (the next run retries, long before any nextUpdate).
 */
export const refreshCrls = async (): Promise<{ tenants: number; signed: number }> => {
  const outcome = await (await context()).ca.refreshPublishedCrls();
  if (outcome.failed.length > 0) throw new Error(`CRL refresh failed for ${outcome.failed.length} tenant(s)`);
  return { tenants: outcome.tenants, signed: outcome.signed };
};
