/**
 * The CDK app (`cdk.json` runs `npx tsx bin/app.ts`). Configuration comes from the `kakunin` context key, validated
 * once (lib/config.ts); see docs/deploy.md for the keys.
 */
import { App } from 'aws-cdk-lib';
import { buildKakunin } from '../lib/app.js';
import { configFromContext } from '../lib/config.js';

const app = new App();
buildKakunin(app, configFromContext(app.node));
app.synth();
