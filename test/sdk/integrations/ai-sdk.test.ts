/**
 * The Vercel AI SDK's own multi-step loop (`generateText` with `stopWhen`) and a mock language model: the permitted
 * call's `execute` runs, the refused one's never does, and the model's next step reads the refusal as `error-text`.
 */
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { guardAiTools } from '../../../packages/sdk/src/ai-sdk.js';
import { type GuardedAgent, guardedAgent, OVERSIZED_CHARGE, PERMITTED_CHARGE } from '../support/guarded-agent.js';

let agent: GuardedAgent;
beforeEach(async () => {
  agent = await guardedAgent();
});

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 1, text: 1, reasoning: 0 },
};

describe('guardAiTools', () => {
  it('runs the permitted call; the model reads the refusal of the other as error-text', async () => {
    const charged: number[] = [];
    const charge = tool({
      description: 'Charge a customer',
      inputSchema: z.object({ amount: z.number(), currency: z.string(), counterparty: z.string() }),
      execute: async ({ amount }) => {
        charged.push(amount);
        return `charged ${amount}`;
      },
    });
    // biome-ignore lint/suspicious/noExplicitAny: the mock records the SDK's prompt as given
    const prompts: any[] = [];
    const model = new MockLanguageModelV3({
      doGenerate: async (options) => {
        prompts.push(options.prompt);
        if (prompts.length === 1) {
          return {
            content: [
              { type: 'tool-call', toolCallId: 'call_ok', toolName: 'charge', input: JSON.stringify(PERMITTED_CHARGE) },
              {
                type: 'tool-call',
                toolCallId: 'call_big',
                toolName: 'charge',
                input: JSON.stringify(OVERSIZED_CHARGE),
              },
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
    const result = await generateText({
      model,
      tools: guardAiTools(agent.guard(), { charge }),
      prompt: 'charge twice',
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('done');
    expect(charged).toEqual([50]);
    const toolMessage = prompts[1].find((m: { role: string }) => m.role === 'tool');
    const results = toolMessage.content as { toolCallId: string; output: { type: string; value: string } }[];
    expect(results.find((r) => r.toolCallId === 'call_ok')?.output).toEqual({ type: 'text', value: 'charged 50' });
    const refused = results.find((r) => r.toolCallId === 'call_big')?.output;
    expect(refused?.type).toBe('error-text');
    expect(refused?.value).toMatch(/SCOPE_VIOLATION, field [a-z.]*amount/);
  });

  it('keeps a streaming (async generator) tool streaming, and refuses to leave a tool without execute unguarded', async () => {
    const progress = tool({
      description: 'Streams',
      inputSchema: z.object({ amount: z.number(), currency: z.string(), counterparty: z.string() }),
      async *execute() {
        yield 'step 1';
        yield 'step 2';
      },
    });
    const guarded = guardAiTools(agent.guard(), { charge: progress });
    const chunks: unknown[] = [];
    const iterable = guarded.charge.execute?.(PERMITTED_CHARGE, {
      toolCallId: 'c',
      messages: [],
    }) as AsyncIterable<unknown>;
    for await (const chunk of iterable) chunks.push(chunk);
    expect(chunks).toEqual(['step 1', 'step 2']);

    const clientSide = tool({ description: 'runs in the browser', inputSchema: z.object({}) });
    expect(() => guardAiTools(agent.guard(), { clientSide })).toThrow(/no execute/);
    expect(guardAiTools(agent.guard(), { clientSide }, { allowWithoutExecute: ['clientSide'] }).clientSide).toBe(
      clientSide,
    );
  });
});
