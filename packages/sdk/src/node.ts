/**
 * `@kakunin/sdk/node`: gateway middleware `(req, res, next)` for Express, Connect and Fastify (`@fastify/middie`).
 * @example app.post('/charges', express.json(), kakuninGateway({ client, action: 'charge' }), (req, res) => …req.kakunin…)
 */
export { type KakuninRequest, kakuninGateway, type NodeGatewayOptions } from './gateway/node-middleware.js';
export type { GatewayOptions, VerifiedAgent } from './gateway/verify-request.js';
