/**
 * A LangGraph.js ReAct graph (model node ⇄ KakuninToolNode, routed by `toolsCondition`) driven by a fake model: the
 * permitted call runs, the refused one never does, and the model's next turn reads the refusal as an error ToolMessage.
 */
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { tool } from '@langchain/core/tools';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { toolsCondition } from '@langchain/langgraph/prebuilt';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KakuninToolNode } from '../../../packages/sdk/src/langgraph.js';
import { type GuardedAgent, guardedAgent, OVERSIZED_CHARGE, PERMITTED_CHARGE } from '../support/guarded-agent.js';

let agent: GuardedAgent;
beforeEach(async () => {
  agent = await guardedAgent();
});

describe('KakuninToolNode', () => {
  it('runs the permitted call and shows the model the refusal of the other', async () => {
    const charged: number[] = [];
    const charge = tool(
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
    const model = fakeModel()
      .respondWithTools([
        { name: 'charge', args: PERMITTED_CHARGE, id: 'call_ok' },
        { name: 'charge', args: OVERSIZED_CHARGE, id: 'call_big' },
      ])
      .respond(new AIMessage('done'));
    const bound = model.bindTools([charge]);
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async (state) => ({ messages: [await bound.invoke(state.messages)] }))
      .addNode('tools', new KakuninToolNode([charge], { guard: agent.guard() }))
      .addEdge(START, 'agent')
      .addConditionalEdges('agent', toolsCondition, ['tools', END])
      .addEdge('tools', 'agent')
      .compile();

    const result = await graph.invoke({ messages: [{ role: 'user', content: 'charge twice' }] });
    expect(result.messages.at(-1)?.content).toBe('done');
    expect(charged).toEqual([50]);
    const seen = (model.calls[1]!.messages as BaseMessage[]).filter((m) => m.type === 'tool') as unknown as {
      tool_call_id: string;
      status: string;
      content: string;
    }[];
    expect(seen.find((m) => m.tool_call_id === 'call_ok')).toMatchObject({ status: 'success', content: 'charged 50' });
    expect(seen.find((m) => m.tool_call_id === 'call_big')).toMatchObject({
      status: 'error',
      content: expect.stringMatching(/SCOPE_VIOLATION, field [a-z.]*amount/),
    });
  });
});
