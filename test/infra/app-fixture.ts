/**
 * Builds the Kakunin app once per test file, with bundling skipped (no esbuild run) and cdk-nag attached exactly as
 * bin/app.ts attaches it. `synthesize` runs the validation plugins the way `cdk synth` does and returns their report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildKakunin, type KakuninStacks } from '../../lib/app.js';
import { configFromInput, type KakuninConfigInput } from '../../lib/config.js';

export interface BuiltApp {
  app: App;
  stacks: KakuninStacks;
  stateful: Template;
  stateless: Template;
}

export function buildTestApp(config: KakuninConfigInput = {}): BuiltApp {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildKakunin(app, configFromInput(config));
  return {
    app,
    stacks,
    stateful: Template.fromStack(stacks.stateful),
    stateless: Template.fromStack(stacks.stateless),
  };
}

export interface ValidationViolation {
  ruleName: string;
  description: string;
  violatingConstructs: { constructPath?: string }[];
}

interface ValidationReport {
  pluginReports?: { pluginName: string; conclusion: string; violations: ValidationViolation[] }[];
}

/**
 * Builds a fresh app (an app synthesises once and caches, so Template.fromStack apps cannot be reused), lets `mutate`
 * add to it, synthesises it the way `cdk synth` does, and returns every validation plugin's violations.
 */
export function validationViolations(
  config: KakuninConfigInput = {},
  mutate: (stacks: KakuninStacks) => void = () => {},
): { plugin: string; violation: ValidationViolation }[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  mutate(buildKakunin(app, configFromInput(config)));
  try {
    app.synth();
  } catch (error) {
    // Validation failures throw after the report is written; anything else is a real error.
    if (!(error instanceof Error) || !String(error).startsWith('ValidationFailed')) throw error;
  }
  const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  return (report.pluginReports ?? []).flatMap((plugin) =>
    plugin.violations.map((violation) => ({ plugin: plugin.pluginName, violation })),
  );
}

/** Every IAM policy statement in a template (inline role policies and AWS::IAM::Policy documents). */
export function policyStatements(template: Template): { logicalId: string; statement: Record<string, unknown> }[] {
  const out: { logicalId: string; statement: Record<string, unknown> }[] = [];
  for (const [logicalId, resource] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    const document = (resource as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } })
      .Properties.PolicyDocument;
    for (const statement of document.Statement) out.push({ logicalId, statement });
  }
  return out;
}

export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
