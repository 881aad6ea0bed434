/**
 * Lambda entry of the bootstrap function (functions/bootstrap.ts): the custom resource `handler` and the operator's
 * `issueAdminKey`. It needs the whole context (CA with the stack's root key), so it uses the full AWS composition;
 * it runs once per deploy, so its size does not matter for request latency.
 */
import { assembleContext } from '../../src/app/assemble.js';
import { buildAwsPorts } from '../../src/app/aws-context.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv } from '../../src/app/config.js';
import {
  bootstrapSettingsFromEnv,
  createAdminKeyIssuer,
  createBootstrapHandler,
  withStackRootKey,
} from '../bootstrap.js';

/** Like src/app/aws-context.ts, with the stack's root key in the vault. Built once per container; failures retry. */
const bootstrapContext = cachedProvider(() => {
  const config = configFromEnv();
  const ports = buildAwsPorts(config);
  return assembleContext(
    { ...ports, vault: withStackRootKey(ports.vault, bootstrapSettingsFromEnv().rootKeyArn) },
    config,
  );
});

export const handler = createBootstrapHandler(bootstrapContext, () => bootstrapSettingsFromEnv());
export const issueAdminKey = createAdminKeyIssuer(bootstrapContext, () => bootstrapSettingsFromEnv());
