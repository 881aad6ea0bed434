/**
 * The OpenAI Agents SDK's own runner (`run(agent, input)`) with a scripted Model (no network): the guardrail lets the
 * permitted call run and rejects the oversized one, whose refusal the model reads as that call's output.
 */
import {
  Agent,
  type Model,
  type ModelRequest,
  type ModelResponse,
  run,
  setTracingDisabled,
  tool,
  Usage,
} from '@openai/agents';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { guardAgentTools } from '../../../packages/sdk/src/openai-agents.js';
import { type GuardedAgent, guardedAgent, OVERSIZED_CHARGE, PERMITTED_CHARGE } from '../support/guarded-agent.js';

beforeAll(() => setTracingDisabled(true));

let agent: GuardedAgent;
beforeEach(async () => {
  agent = await guardedAgent();
});

/** First turn: two tool calls; second turn: a final answer. Records every request it was sent. */
class ScriptedModel implements Model {
  readonly requests: ModelRequest[] = [];
  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    if (this.requests.length === 1) {
      return {
        usage: new Usage(),
        output: [
          {
            type: 'function_call',
            callId: 'call_ok',
            name: 'charge',
            arguments: JSON.stringify(PERMITTED_CHARGE),
            status: 'completed',
          },
          {
            type: 'function_call',
            callId: 'call_big',
            name: 'charge',
            arguments: JSON.stringify(OVERSIZED_CHARGE),
            status: 'completed',
          },
        ],
      };
    }
    return {
      usage: new Usage(),
      output: [
        { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'done' }] },
      ],
    };
  }
  // biome-ignore lint/correctness/useYield: the runner is called without streaming here
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error('not streamed in this test');
  }
}

describe('guardAgentTools (tool input guardrail)', () => {
  it('runs the permitted call; the model reads the refusal of the other as its output', async () => {
    const charged: number[] = [];
    const charge = tool({
      name: 'charge',
      description: 'Charge a customer',
      parameters: z.object({ amount: z.number(), currency: z.string(), counterparty: z.string() }),
      execute: async ({ amount }) => {
        charged.push(amount);
        return `charged ${amount}`;
      },
    });
    const model = new ScriptedModel();
    const runner = new Agent({
      name: 'payments',
      instructions: 'pay',
      model,
      tools: guardAgentTools(agent.guard(), [charge]),
    });
    const result = await run(runner, 'charge twice');
    expect(result.finalOutput).toBe('done');
    expect(charged).toEqual([50]);
    const input = model.requests[1]?.input as { type?: string; callId?: string; output?: { text?: string } }[];
    const outputs = input.filter((item) => item.type === 'function_call_result');
    expect(outputs.find((o) => o.callId === 'call_ok')?.output?.text).toBe('charged 50');
    expect(outputs.find((o) => o.callId === 'call_big')?.output?.text).toMatch(/SCOPE_VIOLATION, field [a-z.]*amount/);
  });

  it('adds the guardrail once, and refuses to guard a tool that cannot carry one', () => {
    const charge = tool({
      name: 'charge',
      description: 'Charge',
      parameters: z.object({ amount: z.number() }),
      execute: async () => 'ok',
    });
    const guard = agent.guard();
    guardAgentTools(guard, [charge]);
    guardAgentTools(guard, [charge]);
    expect(charge.inputGuardrails).toHaveLength(1);
    expect(() => guardAgentTools(guard, [{ type: 'hosted_tool', name: 'web_search' } as never])).toThrow(TypeError);
  });
});
