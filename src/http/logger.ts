/**
 * The structured logger (Powertools), one instance per container. Its own module so the authorizer, which logs but
 * publishes no metrics, does not bundle the metrics library. Logs never carry bodies, headers, keys, signatures or PEMs.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'kakunin-api' });
