/**
 * Optional AWS WAF in front of the API stage: AWS managed common and known-bad-input rules, a per-IP rate rule, and a
 * per-API-key rate rule. The stage throttle is shared by every caller, so without the per-key rule one key (a leaked
 * verifier key, say, sending junk envelopes that are each audited) could spend the whole stage budget and the tenant
 * ledger's write capacity, and every other key of every tenant would see 429s; agents behind one NAT share an IP, so
 * the per-IP rule alone cannot tell them apart. The key is aggregated from the `Authorization` header as sent (WAF
 * keeps only its own counters; sampled requests, which would store it, are off).
 * Off by default (a web ACL costs ~$5/month plus $0.60 per million requests, docs/cost.md).
 */
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiWafProps {
  stageArn: string;
  ratePer5Minutes: number;
  /** Requests one API key may make in any 5-minute window before WAF blocks it (403) until it slows down. */
  ratePerKeyPer5Minutes: number;
}

const managed = (name: string, priority: number): CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
  visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: false },
});

export class ApiWaf extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiWafProps) {
    super(scope, id);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      // Sampled requests would store request headers, which carry API keys.
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'kakunin-api', sampledRequestsEnabled: false },
      rules: [
        managed('AWSManagedRulesCommonRuleSet', 1),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
        {
          name: 'PerIpRateLimit',
          priority: 3,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.ratePer5Minutes, aggregateKeyType: 'IP' } },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'PerIpRateLimit',
            sampledRequestsEnabled: false,
          },
        },
        {
          name: 'PerApiKeyRateLimit',
          priority: 4,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.ratePerKeyPer5Minutes,
              aggregateKeyType: 'CUSTOM_KEYS',
              customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'PerApiKeyRateLimit',
            sampledRequestsEnabled: false,
          },
        },
      ],
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
