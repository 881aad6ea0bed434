/**
 * The security-relevant properties of the synthesised templates (issue 5, "Must show"), asserted on the templates
 * themselves: what CloudFormation will create, not what the constructs were asked for.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.js';
import { LEDGER_DENIED_ACTIONS } from '../../lib/data/ledger-deny-policy.js';
import { asArray, buildTestApp, policyStatements } from './app-fixture.js';

const built = buildTestApp();
const { stateful, stateless } = built;
const allStatements = [...policyStatements(stateful), ...policyStatements(stateless)];

/** Logical id of a stateless function's default policy, by construct id prefix (e.g. 'Verify'). */
function statementsOf(functionId: string) {
  // CDK drops the repeated "Function" of BootstrapFunction/Function from logical ids.
  const pattern = new RegExp(`^${functionId}(Function)?ServiceRoleDefaultPolicy`);
  return allStatements.filter((s) => pattern.test(s.logicalId));
}
const actionsOf = (functionId: string) => statementsOf(functionId).flatMap((s) => asArray(s.statement.Action));

describe('KMS', () => {
  it('creates the root CA key as RSA_4096 SIGN_VERIFY, retained', () => {
    stateful.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // The root CA key and the ledger's Ed25519 checkpoint key; nothing else is created at deploy time.
    expect(Object.keys(stateful.findResources('AWS::KMS::Key'))).toHaveLength(2);
    stateful.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({
        KeySpec: 'ECC_NIST_EDWARDS25519',
        KeyUsage: 'SIGN_VERIFY',
        Tags: Match.arrayWith([{ Key: 'kakunin:purpose', Value: 'checkpoint' }]),
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('lets runtime keys be created only with Kakunin tags, a signing usage and an allowed spec', () => {
    const creates = allStatements.filter((s) => asArray(s.statement.Action).includes('kms:CreateKey'));
    expect(creates.length).toBeGreaterThan(0);
    for (const { statement } of creates) {
      expect(statement.Condition).toMatchObject({
        StringEquals: { 'aws:RequestTag/kakunin:purpose': expect.any(Array), 'kms:KeyUsage': 'SIGN_VERIFY' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['kakunin:tenant', 'kakunin:purpose', 'kakunin:agent'] },
        Null: { 'aws:RequestTag/kakunin:tenant': 'false' },
      });
    }
  });

  it('allows signing with runtime keys only when their purpose tag matches, and never agent keys in public', () => {
    const signs = allStatements.filter(
      (s) => asArray(s.statement.Action).includes('kms:Sign') && s.statement.Sid === 'SignWithTaggedRuntimeKeys',
    );
    expect(signs.length).toBeGreaterThan(0);
    for (const { statement } of signs) {
      expect(statement.Condition).toHaveProperty(['StringEquals', 'aws:ResourceTag/kakunin:purpose']);
    }
    const publicSign = statementsOf('Public').find((s) => s.statement.Sid === 'SignWithTaggedRuntimeKeys');
    expect(publicSign?.statement.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/kakunin:purpose': ['issuing-ca'] },
    });
  });

  it('gives the root key only to the functions that create issuing CAs', () => {
    const holders = allStatements
      .filter((s) => s.statement.Sid === 'SignWithRootCaKey')
      .map((s) => s.logicalId.replace(/(Function)?ServiceRoleDefaultPolicy.*/, ''))
      .sort();
    expect(holders).toEqual(['AdminKeyIssuer', 'Bootstrap', 'Certificates']);
    expect(actionsOf('Verify').filter((a) => String(a).startsWith('kms:'))).toEqual([]);
    expect(actionsOf('Authorizer').filter((a) => String(a).startsWith('kms:'))).toEqual([]);
  });
});

describe('KMS tagging', () => {
  it('denies retagging the root CA key to every function that may tag keys, so no tag-scoped grant reaches it', () => {
    const taggers = allStatements
      .filter((s) => s.statement.Effect === 'Allow' && asArray(s.statement.Action).includes('kms:TagResource'))
      .map((s) => s.logicalId);
    expect(taggers.length).toBeGreaterThan(0);
    const rootKeyId = Object.keys(stateful.findResources('AWS::KMS::Key'))[0]!;
    for (const logicalId of taggers) {
      const deny = allStatements.find((s) => s.logicalId === logicalId && s.statement.Sid === 'NeverRetagRootCaKey');
      expect(deny?.statement.Effect).toBe('Deny');
      expect(asArray(deny?.statement.Action).sort()).toEqual(['kms:TagResource', 'kms:UntagResource']);
      expect(JSON.stringify(deny?.statement.Resource)).toContain(rootKeyId);
    }
  });
});

describe('IAM', () => {
  it('has no wildcard actions anywhere (no *, no kms:*, no dynamodb:*)', () => {
    const actions = allStatements.flatMap((s) => asArray(s.statement.Action).map(String));
    expect(actions.length).toBeGreaterThan(20);
    expect(actions.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
    for (const banned of ['kms:*', 'dynamodb:*', '*']) expect(actions).not.toContain(banned);
  });

  it('never grants ledger updates or deletes, and the authorizer no writes at all', () => {
    const ledgerRef = Object.keys(stateful.findResources('AWS::DynamoDB::Table')).find((id) => id.includes('Ledger'));
    expect(ledgerRef).toBeDefined();
    const onLedger = allStatements.filter((s) => JSON.stringify(s.statement.Resource).includes(String(ledgerRef)));
    expect(onLedger.length).toBeGreaterThanOrEqual(5);
    for (const { statement } of onLedger) {
      expect(asArray(statement.Action).sort()).toEqual(
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'].sort(),
      );
    }
    const authorizerWrites = actionsOf('Authorizer').filter((a) =>
      /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(String(a)),
    );
    expect(actionsOf('Authorizer')).toContain('dynamodb:GetItem');
    expect(authorizerWrites).toEqual([]);
  });

  it('grants each table only the operations its store issues: no transactions, no DescribeTable at run time', () => {
    const dynamoActions = (fn: string, fragment: string) =>
      statementsOf(fn)
        .filter((s) => JSON.stringify(s.statement.Resource).includes(fragment))
        .flatMap((s) => asArray(s.statement.Action).map(String))
        .sort();
    // The authorizer reads one API-key item by hash: GetItem on the table, no index, no Query or BatchGet.
    expect(dynamoActions('Authorizer', 'TablesRegistry')).toEqual(['dynamodb:GetItem']);
    expect(JSON.stringify(statementsOf('Authorizer').map((s) => s.statement.Resource))).not.toContain('/index/');
    // A nonce claim is one conditional PutItem; velocity is UpdateItem plus one consistent GetItem.
    expect(dynamoActions('Verify', 'TablesNonces')).toEqual(['dynamodb:PutItem']);
    expect(dynamoActions('Verify', 'TablesCounters')).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    const all = allStatements.flatMap((s) => asArray(s.statement.Action).map(String));
    for (const unused of ['dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:Scan']) {
      expect(all).not.toContain(unused);
    }
  });

  it('scopes each function to its tables: only verify touches nonces, counters and the stream', () => {
    const touches = (fn: string, fragment: string) =>
      statementsOf(fn).some((s) => JSON.stringify(s.statement.Resource).includes(fragment));
    for (const fn of ['Verify']) {
      expect(touches(fn, 'TablesNonces')).toBe(true);
      expect(touches(fn, 'TablesCounters')).toBe(true);
      expect(actionsOf(fn)).toContain('kinesis:PutRecords');
    }
    for (const fn of ['Authorizer', 'Public', 'Agents', 'Certificates', 'BootstrapFunction', 'AdminKeyIssuer']) {
      expect(touches(fn, 'TablesNonces')).toBe(false);
      expect(touches(fn, 'TablesCounters')).toBe(false);
      expect(actionsOf(fn).some((a) => String(a).startsWith('kinesis:'))).toBe(false);
    }
  });

  it('names index ARNs one by one instead of index/*', () => {
    const resources = JSON.stringify(allStatements.map((s) => s.statement.Resource));
    expect(resources).not.toContain('/index/*');
    expect(resources).toContain('/index/gsi1');
    expect(resources).toContain('/index/gsi2');
  });
});

describe('DynamoDB', () => {
  const tables = stateful.findResources('AWS::DynamoDB::Table');

  it('has five on-demand, encrypted, PITR, deletion-protected, retained tables', () => {
    expect(Object.keys(tables)).toHaveLength(5);
    for (const table of Object.values(tables)) {
      expect(table).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
        },
      });
    }
  });

  it("expires nonces, counters and quiet agents' monitoring state by TTL on expiresAt, and nothing else", () => {
    const ttl = Object.entries(tables)
      .filter(([, t]) => (t as { Properties: Record<string, unknown> }).Properties.TimeToLiveSpecification)
      .map(([id, t]) => [
        id.replace(/[0-9A-F]{8}$/, ''),
        (t as { Properties: Record<string, unknown> }).Properties.TimeToLiveSpecification,
      ]);
    expect(ttl.sort()).toEqual([
      ['TablesCounters', { AttributeName: 'expiresAt', Enabled: true }],
      ['TablesMonitoring', { AttributeName: 'expiresAt', Enabled: true }],
      ['TablesNonces', { AttributeName: 'expiresAt', Enabled: true }],
    ]);
  });

  it('denies UpdateItem, DeleteItem, BatchWriteItem, PartiQL writes and DeleteTable on the ledger to everyone', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'sk', AttributeType: 'N' }]),
      ResourcePolicy: {
        PolicyDocument: {
          Statement: [
            {
              Sid: 'LedgerIsAppendOnly',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: [...LEDGER_DENIED_ACTIONS],
              Resource: '*',
            },
          ],
        },
      },
    });
    expect(LEDGER_DENIED_ACTIONS).toEqual(
      expect.arrayContaining([
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:PartiQLUpdate',
        'dynamodb:PartiQLDelete',
        'dynamodb:DeleteTable',
        'dynamodb:UpdateTimeToLive',
      ]),
    );
  });

  it('gives the registry its two ALL-projected indexes', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'gsi1', Projection: { ProjectionType: 'ALL' } }),
        Match.objectLike({ IndexName: 'gsi2', Projection: { ProjectionType: 'ALL' } }),
      ],
    });
  });
});

describe('S3, Kinesis, EventBridge', () => {
  it('locks artifacts in COMPLIANCE mode for at least 180 days, versioned, private, retained', () => {
    stateful.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 180 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('refuses plain HTTP to the artifact bucket', () => {
    stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('encrypts the stream and archives every kakunin event', () => {
    stateful.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      ShardCount: 1,
    });
    stateful.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['kakunin'] },
      RetentionDays: 90,
    });
  });

  it('turns on termination protection for the stateful stack only', () => {
    expect(built.stacks.stateful.terminationProtection).toBe(true);
    expect(built.stacks.stateless.terminationProtection).toBe(false);
  });
});

describe('API Gateway', () => {
  it('throttles the stage, logs access without bodies, and never traces data', () => {
    stateless.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'live',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [
        Match.objectLike({
          DataTraceEnabled: false,
          ThrottlingRateLimit: 500,
          ThrottlingBurstLimit: 1000,
          MetricsEnabled: true,
        }),
      ],
    });
    const format = JSON.stringify(stateless.findResources('AWS::ApiGateway::Stage'));
    expect(format).not.toMatch(/requestBody|\$input\.body|\$context\.requestOverride/);
    expect(format).not.toContain('"DataTraceEnabled":true');
  });

  it('puts the cached API-key authorizer on every non-public route, and validates requests', () => {
    stateless.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 60,
    });
    const methods = Object.values(stateless.findResources('AWS::ApiGateway::Method')) as {
      Properties: { AuthorizationType: string; HttpMethod: string; RequestValidatorId?: unknown };
    }[];
    expect(methods).toHaveLength(routes.length);
    expect(methods.filter((m) => m.Properties.AuthorizationType === 'NONE')).toHaveLength(3);
    expect(methods.filter((m) => m.Properties.AuthorizationType === 'CUSTOM')).toHaveLength(routes.length - 3);
    for (const m of methods) expect(m.Properties.RequestValidatorId).toBeDefined();
  });

  it('answers unknown routes and authorizer denials with the contract error body', () => {
    stateless.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseTemplates: { 'application/json': '{"error":{"code":"NOT_FOUND","message":"no such route"}}' },
    });
    stateless.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
    });
  });

  it('adds no WAF unless asked, and one when api.waf is set', () => {
    expect(Object.keys(stateless.findResources('AWS::WAFv2::WebACL'))).toHaveLength(0);
    const withWaf = buildTestApp({ api: { waf: true } }).stateless;
    withWaf.resourceCountIs('AWS::WAFv2::WebACL', 1);
    withWaf.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('limits each API key, not only each IP: one key cannot spend the stage budget every caller shares', () => {
    const rulesOf = (template: ReturnType<typeof buildTestApp>['stateless']) =>
      Object.values(template.findResources('AWS::WAFv2::WebACL'))[0]?.Properties.Rules as {
        Name: string;
        Action: unknown;
        Statement: { RateBasedStatement?: Record<string, unknown> };
        VisibilityConfig: { SampledRequestsEnabled: boolean };
      }[];
    const rules = rulesOf(buildTestApp({ api: { waf: true } }).stateless);
    const perKey = rules.find((r) => r.Name === 'PerApiKeyRateLimit');
    expect(perKey?.Action).toEqual({ Block: {} });
    expect(perKey?.Statement.RateBasedStatement).toEqual({
      Limit: 60_000,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
    });
    // Sampled requests would store the Authorization header (an API key): off on every rule and the ACL.
    expect(rules.every((r) => r.VisibilityConfig.SampledRequestsEnabled === false)).toBe(true);
    const tuned = rulesOf(buildTestApp({ api: { waf: true, wafRateLimitPerKeyPer5Min: 900 } }).stateless);
    expect(tuned.find((r) => r.Name === 'PerApiKeyRateLimit')?.Statement.RateBasedStatement?.Limit).toBe(900);
  });
});

describe('Lambda', () => {
  it('runs every function on nodejs22.x arm64 with active tracing and retained logs', () => {
    // Ours only: the CDK provider framework's own function (bootstrap custom resource) has CDK's runtime settings.
    const functions = Object.entries(stateless.findResources('AWS::Lambda::Function'))
      .filter(([id]) => !id.includes('Providerframework'))
      .map(([, fn]) => fn) as { Properties: Record<string, unknown> }[];
    // Six route groups, the authorizer, the two bootstrap handlers, the CRL refresh, the checkpoint publisher, the
    // action consumer and the webhook dispatcher.
    expect(functions).toHaveLength(13);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ POWERTOOLS_LOGGER_LOG_EVENT: 'false' }) },
      });
    }
    for (const group of Object.values(stateless.findResources('AWS::Logs::LogGroup'))) {
      expect(group).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
    }
  });

  it('gives the asynchronously invoked bootstrap function an encrypted dead-letter queue', () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BootstrapDlq'), 'Arn'] } },
    });
    stateless.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    const dlqAlarm = Object.entries(stateless.findResources('AWS::CloudWatch::Alarm')).find(([id]) =>
      id.includes('BootstrapDlqNotEmpty'),
    );
    expect(JSON.stringify(dlqAlarm?.[1])).toContain('ApproximateNumberOfMessagesVisible');
  });

  it('runs the bootstrap custom resource through the CDK provider framework, with the stack root key and tenant', () => {
    stateless.hasResourceProperties('Custom::KakuninBootstrap', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('Providerframework'), 'Arn'] },
      TenantId: 'default',
      RootKeyArn: Match.anyValue(),
    });
    // The framework function relays to the bootstrap function and answers CloudFormation whatever happens to it.
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          USER_ON_EVENT_FUNCTION_ARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BootstrapFunction'), 'Arn'] },
        }),
      },
    });
  });

  it('alarms on the first verified action the stream refused', () => {
    const alarm = Object.entries(stateless.findResources('AWS::CloudWatch::Alarm')).find(([id]) =>
      id.includes('StreamPublishFailuresAlarm'),
    );
    expect(alarm?.[1]).toMatchObject({
      Properties: { MetricName: 'StreamPublishFailures', Namespace: 'Kakunin', Threshold: 1 },
    });
  });
});

describe('audit function (ledger checkpoints)', () => {
  it('signs only with the checkpoint key while it carries the checkpoint purpose tag, and only puts/gets log/*', () => {
    const policies = Object.values(stateless.findResources('AWS::IAM::Policy')) as {
      Properties: { PolicyDocument: { Statement: { Sid?: string; Action: unknown; Condition?: unknown }[] } };
    }[];
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const sign = statements.find((s) => s.Sid === 'SignWithCheckpointKey');
    expect(sign).toMatchObject({
      Action: ['kms:Sign', 'kms:GetPublicKey'],
      Condition: { StringEquals: { 'aws:ResourceTag/kakunin:purpose': 'checkpoint' } },
    });
    expect(statements.find((s) => s.Sid === 'ArchiveLedgerCheckpointsAndTiles')?.Action).toEqual([
      's3:PutObject',
      's3:GetObject',
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/s3:Delete|s3:PutObjectRetention|s3:BypassGovernanceRetention/);
  });
});

describe('scheduled checkpoint and audit', () => {
  it('runs every minute, and alarms on an audit failure and on entries uncovered for 10 minutes or no report', () => {
    stateless.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'LedgerAuditFailures',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CheckpointUncoveredAgeSeconds',
      Threshold: 600,
      TreatMissingData: 'breaching',
    });
  });
});
