/**
 * LangChain.js v1's own agent loop (`createAgent`) driven by a fake model, with ToolGuard as `wrapToolCall`
 * middleware and as an in-place guard on bare `tool()` objects: a permitted call runs the tool; a refused one never
 * runs it, the run does not crash, and the model's next turn reads the refusal (code and field) as an error ToolMessage.
 */
import { fakeModel } from '@langchain/core/testing';
import { AIMessage, type BaseMessage, createAgent, tool } from 'langchain';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { guardTool, kakuninMiddleware } from '../../../packages/sdk/src/langchain.js';
import { type GuardedAgent, guardedAgent, OVERSIZED_CHARGE, PERMITTED_CHARGE } from '../support/guarded-agent.js';

let agent: GuardedAgent;
let charged: number[];
beforeEach(async () => {
  agent = await guardedAgent();
  charged = [];
});

const chargeTool = () =>
  tool(
    async ({ amount }) => {
      charged.push(amount);
      return `charged ${amount}`;
    },
    {
      name: 'charge',
      description: 'Charge a customer',
      schema: z.object({ amount: z.number(), currency: z.string(), counterparty: z.string() }),
    },
  );

const failingTool = () =>
  tool(
    async () => {
      throw new Error('stripe is down');
    },
    {
      name: 'lookup',
      description: 'Look up a customer',
      schema: z.object({ id: z.string(), amount: z.number(), currency: z.string(), counterparty: z.string() }),
    },
  );

const scriptedModel = () =>
  fakeModel()
    .respondWithTools([
      { name: 'charge', args: PERMITTED_CHARGE, id: 'call_ok' },
      { name: 'charge', args: OVERSIZED_CHARGE, id: 'call_big' },
    ])
    .respond(new AIMessage('done'));

/** What the model was shown on its second turn: the tool results of the first. */
const toolResultsSeen = (model: ReturnType<typeof fakeModel>) =>
  (model.calls[1]!.messages as BaseMessage[]).filter((m) => m.type === 'tool') as unknown as {
    tool_call_id: string;
    status: string;
    content: string;
  }[];

describe('kakuninMiddleware (createAgent, wrapToolCall)', () => {
  it('runs the permitted call, refuses the oversized one, and the model reads the refusal', async () => {
    const model = scriptedModel();
    const run = createAgent({ model, tools: [chargeTool()], middleware: [kakuninMiddleware(agent.guard())] });
    const result = await run.invoke({ messages: [{ role: 'user', content: 'charge twice' }] });
    expect(charged).toEqual([50]);
    expect(result.messages.at(-1)?.content).toBe('done');
    const seen = toolResultsSeen(model);
    expect(seen).toHaveLength(2);
    expect(seen.find((m) => m.tool_call_id === 'call_ok')).toMatchObject({ status: 'success', content: 'charged 50' });
    const refused = seen.find((m) => m.tool_call_id === 'call_big');
    expect(refused?.status).toBe('error');
    expect(refused?.content).toContain('SCOPE_VIOLATION');
    expect(refused?.content).toMatch(/field [a-z.]*amount/);
  });

  it('returns a tool that throws as an error ToolMessage instead of crashing the run', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'lookup', args: { id: 'cus_1', ...PERMITTED_CHARGE }, id: 'call_lookup' }])
      .respond(new AIMessage('sorry'));
    const run = createAgent({ model, tools: [failingTool()], middleware: [kakuninMiddleware(agent.guard())] });
    const result = await run.invoke({ messages: [{ role: 'user', content: 'look up' }] });
    expect(result.messages.at(-1)?.content).toBe('sorry');
    expect(toolResultsSeen(model)[0]).toMatchObject({
      status: 'error',
      content: expect.stringContaining('stripe is down'),
    });
  });

  it('refuses a tool the certificate does not allow (field action)', async () => {
    const refund = tool(async () => 'refunded', {
      name: 'refund',
      description: 'Refund',
      schema: z.object({ amount: z.number() }),
    });
    const model = fakeModel()
      .respondWithTools([{ name: 'refund', args: { amount: 1 }, id: 'call_refund' }])
      .respond(new AIMessage('ok'));
    const run = createAgent({ model, tools: [refund], middleware: [kakuninMiddleware(agent.guard())] });
    await run.invoke({ messages: [{ role: 'user', content: 'refund' }] });
    expect(toolResultsSeen(model)[0]).toMatchObject({
      status: 'error',
      content: expect.stringMatching(/field [a-z.]*action/),
    });
  });
});

describe('guardTool (a bare tool() patched in place)', () => {
  it('guards the tool inside an agent loop without middleware: refusal as an error ToolMessage', async () => {
    const model = scriptedModel();
    const charge = guardTool(agent.guard(), chargeTool());
    const run = createAgent({ model, tools: [charge] });
    await run.invoke({ messages: [{ role: 'user', content: 'charge twice' }] });
    expect(charged).toEqual([50]);
    const seen = toolResultsSeen(model);
    expect(seen.find((m) => m.tool_call_id === 'call_big')).toMatchObject({
      status: 'error',
      content: expect.stringContaining('SCOPE_VIOLATION'),
    });
  });

  it('throws the KakuninError when invoked directly, and runs a permitted direct call', async () => {
    const charge = guardTool(agent.guard(), chargeTool());
    await expect(charge.invoke(PERMITTED_CHARGE)).resolves.toBe('charged 50');
    await expect(charge.invoke(OVERSIZED_CHARGE)).rejects.toMatchObject({ code: 'SCOPE_VIOLATION' });
    expect(charged).toEqual([50]);
  });

  it('is checked once, not twice, when the middleware is present too', async () => {
    const model = scriptedModel();
    const charge = guardTool(agent.guard(), chargeTool());
    const run = createAgent({ model, tools: [charge], middleware: [kakuninMiddleware(agent.guard())] });
    await run.invoke({ messages: [{ role: 'user', content: 'charge twice' }] });
    expect(charged).toEqual([50]);
    const verifications = agent.api.ports.ledger
      .rawChain('t1')
      .filter((e) => e.type === 'action.verified' || e.type === 'action.rejected');
    expect(verifications).toHaveLength(2);
  });
});
