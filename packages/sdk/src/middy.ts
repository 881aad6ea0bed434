/**
 * `@kakunin/sdk/middy`: gateway middleware for middy (`@middy/core`, an optional peer).
 * @example middy(handler).use(kakuninMiddy({ client, action: 'charge' }))
 */
export { type KakuninContext, kakuninMiddy, type MiddyGatewayOptions } from './gateway/middy-middleware.js';
export type { GatewayOptions, VerifiedAgent } from './gateway/verify-request.js';
