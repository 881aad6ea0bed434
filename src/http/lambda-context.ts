/**
 * A Lambda `Context` for runtimes that are not Lambda (local mode's server, tests): enough for middy and Powertools.
 * The one implementation; local mode passes the time the request arrived so the budget counts from there, as Lambda's
 * does from the invocation.
 */
import type { Context } from 'aws-lambda';

export function syntheticLambdaContext(
  functionName: string,
  requestId: string,
  timeoutMs = 30_000,
  startedAt: number = Date.now(),
): Context {
  const deadline = startedAt + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
