/**
 * Builds the Kakunin CDK app: the stateful stack, the stateless stack on top of it, and the cdk-nag AwsSolutions
 * checks. bin/app.ts and the infrastructure tests share this, so the tests check exactly what `cdk synth` emits.
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { KakuninConfig } from './config.js';
import { KakuninStatefulStack } from './stateful-stack.js';
import { KakuninStatelessStack } from './stateless-stack.js';

const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';

export interface KakuninStacks {
  stateful: KakuninStatefulStack;
  stateless: KakuninStatelessStack;
}

export function buildKakunin(app: App, config: KakuninConfig, options: { nag?: boolean } = {}): KakuninStacks {
  // Explicit: the stateless stack imports the stateful stack's outputs, and an export in use must not be removable.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES) === undefined)
    app.node.setContext(CROSS_STACK_REFERENCES, 'strong');
  const env = config.account === undefined ? undefined : { account: config.account, region: config.region };
  const common = { config, ...(env === undefined ? {} : { env }) };
  const stateful = new KakuninStatefulStack(app, `${config.stackPrefix}-Stateful`, {
    ...common,
    description: 'Kakunin stateful resources: root CA key, tables, audit ledger, artifact bucket, stream, event bus',
  });
  const stateless = new KakuninStatelessStack(app, `${config.stackPrefix}-Stateless`, {
    ...common,
    stateful,
    description: 'Kakunin API, functions, bootstrap and observability',
  });
  stateless.addStackDependency(stateful);
  if (options.nag !== false) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, stateless };
}
