/**
 * `@kakunin/sdk/mcp`: ToolGuard for MCP (`@modelcontextprotocol/sdk`, an optional peer): guarded tool handlers and a
 * guarding proxy server.
 */
export { createGuardingProxy, type GuardingProxyOptions, guardMcpTool } from './integrations/mcp.js';
