/**
 * AWS SDK client construction, done once per container outside any handler body (design: "SDK clients inside the
 * handler body" is an anti-pattern). Timeouts are explicit so a stalled dependency turns into a DependencyError (503)
 * well inside the Lambda timeout instead of hanging the request.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface AwsClientOptions {
  /** @default the SDK's region resolution (AWS_REGION in Lambda) */
  region?: string;
  /** Override for tests or VPC endpoints. */
  endpoint?: string;
  /**
   * Attempts including the first; the SDK's standard retry mode backs off with jitter on throttling and 5xx.
   * @default 3
   */
  maxAttempts?: number;
  /** @default 1000 */
  connectionTimeoutMs?: number;
  /** @default 3000 — KMS Sign p99 is tens of milliseconds; RSA_4096 CreateKey is the slowest call we make. */
  requestTimeoutMs?: number;
}

/**
 * Builds the KMS client the KMS key vault uses.
 * @example const vault = new KmsKeyVault({ client: createKmsClient() });
 */
export function createKmsClient(options: AwsClientOptions = {}): KMSClient {
  return new KMSClient({
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    maxAttempts: options.maxAttempts ?? 3,
    retryMode: 'standard',
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 1_000,
      requestTimeout: options.requestTimeoutMs ?? 3_000,
    }),
  });
}
