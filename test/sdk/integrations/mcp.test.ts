/**
 * MCP with real Client/Server pairs over InMemoryTransport, driven by a host loop (the AI SDK's `generateText` with a
 * mock model, each MCP tool bridged as an AI SDK tool): a guarded server's own handler, and a guarding proxy in front
 * of an unguarded upstream server. Permitted calls run; refused ones never reach the handler or the upstream, and the
 * model reads the `isError` result.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { dynamicTool, generateText, jsonSchema, stepCountIs } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createGuardingProxy, guardMcpTool } from '../../../packages/sdk/src/mcp.js';
import { type GuardedAgent, guardedAgent, OVERSIZED_CHARGE, PERMITTED_CHARGE } from '../support/guarded-agent.js';

let agent: GuardedAgent;
let charged: number[];
const closers: (() => Promise<void>)[] = [];
beforeEach(async () => {
  agent = await guardedAgent();
  charged = [];
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const chargeShape = { amount: z.number(), currency: z.string(), counterparty: z.string() };

function paymentsServer(handlerWrapper: <H>(handler: H) => H = (h) => h): McpServer {
  const server = new McpServer({ name: 'payments', version: '1.0.0' });
  server.registerTool(
    'charge',
    { description: 'Charge a customer', inputSchema: chargeShape },
    handlerWrapper(async ({ amount }: { amount: number }): Promise<CallToolResult> => {
      charged.push(amount);
      return { content: [{ type: 'text', text: `charged ${amount}` }] };
    }),
  );
  return server;
}

async function connect(server: { connect(t: InMemoryTransport): Promise<void> }): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'host', version: '1.0.0' });
  await client.connect(clientSide);
  closers.push(() => client.close());
  return client;
}

/** The host: lists the MCP tools, lets a scripted model call them twice, returns what the model saw. */
async function runHost(client: Client) {
  const { tools: listed } = await client.listTools();
  const tools = Object.fromEntries(
    listed.map((t) => [
      t.name,
      dynamicTool({
        description: t.description ?? t.name,
        inputSchema: jsonSchema(t.inputSchema as never),
        execute: async (input) => client.callTool({ name: t.name, arguments: input as Record<string, unknown> }),
      }),
    ]),
  );
  // biome-ignore lint/suspicious/noExplicitAny: the mock records the SDK's prompt as given
  const prompts: any[] = [];
  const usage = {
    inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 1, text: 1, reasoning: 0 },
  };
  const model = new MockLanguageModelV3({
    doGenerate: async (options) => {
      prompts.push(options.prompt);
      if (prompts.length === 1) {
        return {
          content: [
            { type: 'tool-call', toolCallId: 'call_ok', toolName: 'charge', input: JSON.stringify(PERMITTED_CHARGE) },
            { type: 'tool-call', toolCallId: 'call_big', toolName: 'charge', input: JSON.stringify(OVERSIZED_CHARGE) },
          ],
          finishReason: { unified: 'tool-calls', raw: undefined },
          usage,
          warnings: [],
        };
      }
      return {
        content: [{ type: 'text', text: 'done' }],
        finishReason: { unified: 'stop', raw: undefined },
        usage,
        warnings: [],
      };
    },
  });
  const result = await generateText({ model, tools, prompt: 'charge twice', stopWhen: stepCountIs(3) });
  expect(result.text).toBe('done');
  const toolMessage = prompts[1].find((m: { role: string }) => m.role === 'tool');
  const outputs = toolMessage.content as { toolCallId: string; output: { type: string; value: CallToolResult } }[];
  return {
    ok: outputs.find((o) => o.toolCallId === 'call_ok')?.output.value,
    big: outputs.find((o) => o.toolCallId === 'call_big')?.output.value,
  };
}

describe('guardMcpTool (a server guarding its own tools)', () => {
  it('runs the permitted call and answers the refused one with isError, never calling the handler', async () => {
    const guard = agent.guard();
    const client = await connect(paymentsServer((handler) => guardMcpTool(guard, 'charge', handler as never) as never));
    const seen = await runHost(client);
    expect(charged).toEqual([50]);
    expect(seen.ok).toMatchObject({ content: [{ type: 'text', text: 'charged 50' }] });
    expect(seen.ok?.isError).toBeFalsy();
    expect(seen.big?.isError).toBe(true);
    expect(seen.big?.content[0]).toMatchObject({
      type: 'text',
      text: expect.stringMatching(/SCOPE_VIOLATION, field [a-z.]*amount/),
    });
  });
});

describe('createGuardingProxy (in front of any upstream server)', () => {
  it('lists the upstream tools and forwards only the calls that verified', async () => {
    const upstream = await connect(paymentsServer());
    const proxy = createGuardingProxy({ guard: agent.guard(), upstream });
    const client = await connect(proxy);
    const seen = await runHost(client);
    expect(charged).toEqual([50]);
    expect(seen.ok).toMatchObject({ content: [{ type: 'text', text: 'charged 50' }] });
    expect(seen.big).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: expect.stringContaining('SCOPE_VIOLATION') }],
    });
  });

  it('fails closed when the service is unreachable: nothing is forwarded, the model reads UNAVAILABLE', async () => {
    const { Kakunin } = await import('../../../packages/sdk/src/index.js');
    const down = new Kakunin({
      baseUrl: 'http://kakunin.test',
      retries: 0,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const upstream = await connect(paymentsServer());
    const client = await connect(createGuardingProxy({ guard: agent.guard({ client: down }), upstream }));
    const result = (await client.callTool({ name: 'charge', arguments: PERMITTED_CHARGE })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result.content[0]).toMatchObject({ text: expect.stringContaining('UNAVAILABLE') });
    expect(charged).toEqual([]);
  });
});
