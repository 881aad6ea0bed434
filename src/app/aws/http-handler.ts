/** The HTTP handler of every AWS SDK client we build: explicit timeouts, so a stalled dependency becomes a 503 well
 * inside the Lambda timeout. */
import { NodeHttpHandler } from '@smithy/node-http-handler';

export const sdkRequestHandler = (): NodeHttpHandler =>
  new NodeHttpHandler({ connectionTimeout: 1_000, requestTimeout: 3_000 });

/** SDK retry budget (attempts including the first, standard mode with jittered backoff). */
export const SDK_MAX_ATTEMPTS = 3;
