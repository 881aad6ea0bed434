/** The action stream of a deployed function (Kinesis). Only the verify and bootstrap functions bundle it. */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KinesisActionStream } from '../../adapters/aws/kinesis-action-stream.js';
import type { ActionStream } from '../../ports.js';
import { SDK_MAX_ATTEMPTS, sdkRequestHandler } from './http-handler.js';

export function createActionStream(streamName: string): ActionStream {
  return new KinesisActionStream(
    new KinesisClient({ maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: sdkRequestHandler() }),
    streamName,
  );
}
