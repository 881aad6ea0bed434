import { describe, expect, it } from 'vitest';
import { syntheticLambdaContext } from '../../../src/http/lambda-context.js';

describe('syntheticLambdaContext (the one Lambda context for local mode and tests)', () => {
  it('names the function and request, and counts the budget from when the request arrived', () => {
    const arrived = Date.now() - 10_000;
    const context = syntheticLambdaContext('kakunin-local-agents', 'req-9', 30_000, arrived);
    expect(context.functionName).toBe('kakunin-local-agents');
    expect(context.awsRequestId).toBe('req-9');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:local:000000000000:function:kakunin-local-agents');
    const remaining = context.getRemainingTimeInMillis();
    expect(remaining).toBeLessThanOrEqual(20_000);
    expect(remaining).toBeGreaterThan(15_000);
  });

  it('never reports a negative remaining time', () => {
    expect(syntheticLambdaContext('f', 'r', 1_000, Date.now() - 60_000).getRemainingTimeInMillis()).toBe(0);
  });
});
