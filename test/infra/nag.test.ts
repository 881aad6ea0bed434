/**
 * cdk-nag AwsSolutions (v3, registered by lib/app.ts exactly as for `cdk synth`) must report nothing
 * unacknowledged, and every acknowledgement must carry a reason. Also the offline CloudFormation validator.
 */
import { Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildTestApp, validationViolations } from './app-fixture.js';

const plain = buildTestApp();

/** Acknowledgements as recorded in construct metadata: `{ "<source>::<rule id>": reason }`. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id, reason })),
  );
}

describe('cdk-nag and CloudFormation validation', () => {
  it('does run: an unacknowledged finding added on purpose is reported', () => {
    const violations = validationViolations({}, (stacks) => new Queue(stacks.stateless, 'NagControlQueue'));
    const rules = violations.map((v) => v.violation.ruleName);
    expect(rules).toEqual(expect.arrayContaining([expect.stringMatching(/AwsSolutions-SQS4/)]));
  });

  it('reports no unacknowledged finding (default config)', () => {
    expect(validationViolations()).toEqual([]);
  });

  it('reports no unacknowledged finding with WAF and an alarm subscriber', () => {
    expect(validationViolations({ api: { waf: true }, alarms: { email: 'oncall@example.com' } })).toEqual([]);
  });

  it('gives every acknowledgement a reason of substance, and never acknowledges a whole stack', () => {
    // Only ours: CDK's own constructs acknowledge some CloudFormation-Validate warnings themselves.
    const acks = acknowledgements(plain.app).filter((a) => !a.id.startsWith('CloudFormation-Validate::'));
    expect(acks.length).toBeGreaterThan(5);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^Annotation::AwsSolutions-/);
      expect(ack.reason.length).toBeGreaterThan(40);
      expect(ack.path.split('/').length).toBeGreaterThan(1);
    }
  });
});
