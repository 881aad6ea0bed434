/**
 * MCP: `guardMcpTool` for a server's own tool handlers, and `createGuardingProxy`, a `Server` in front of any upstream
 * MCP server that forwards `tools/call` only after the check. A refusal is a tool result with `isError: true`, which
 * the model reads; it is never thrown, since in a low-level `Server` handler a throw becomes a protocol error the
 * model may never see.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  type Implementation,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolGuard } from '../tool-guard/tool-guard.js';
import { actionFor, type IntegrationOptions } from './tool-actions.js';

const refusalResult = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/**
 * Wraps a tool callback of `McpServer.registerTool(name, config, handler)`. Works for tools with an input schema
 * (`handler(args, extra)`) and without (`handler(extra)`, signed as an empty payload).
 * @example server.registerTool('charge', { inputSchema }, guardMcpTool(guard, 'charge', async (args) => …))
 */
export function guardMcpTool<H extends (...args: never[]) => CallToolResult | Promise<CallToolResult>>(
  guard: ToolGuard,
  action: string,
  handler: H,
): H {
  const guarded = async (...params: unknown[]): Promise<CallToolResult> => {
    // McpServer passes (args, extra) when the tool has an input schema, (extra) when it has none.
    const args = params.length >= 2 ? params[0] : {};
    const decision = await guard.check(action, args);
    if (!decision.run) return refusalResult(decision.refusal.message);
    return (handler as unknown as (...p: unknown[]) => CallToolResult | Promise<CallToolResult>)(...params);
  };
  return guarded as unknown as H;
}

export interface GuardingProxyOptions extends IntegrationOptions {
  guard: ToolGuard;
  /** A connected client of the upstream MCP server. */
  upstream: Client;
  /** @default { name: 'kakunin-guarding-proxy', version: '1' } */
  serverInfo?: Implementation;
}

/**
 * A tools-only MCP server that lists the upstream's tools and forwards each call after ToolGuard passed it. Connect
 * it to the host's transport (`await proxy.connect(transport)`); the upstream never sees a refused call.
 */
export function createGuardingProxy(options: GuardingProxyOptions): Server {
  const { guard, upstream } = options;
  const server = new Server(options.serverInfo ?? { name: 'kakunin-guarding-proxy', version: '1' }, {
    capabilities: { tools: {} },
  });
  server.setRequestHandler(ListToolsRequestSchema, (request, extra) =>
    upstream.listTools(request.params, { signal: extra.signal }),
  );
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params;
    const decision = await guard.check(actionFor(name, options), args ?? {});
    if (!decision.run) return refusalResult(decision.refusal.message);
    return (await upstream.callTool(request.params, undefined, { signal: extra.signal })) as CallToolResult;
  });
  return server;
}
