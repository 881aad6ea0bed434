/**
 * OpenAI Agents SDK: a tool input guardrail that signs and verifies each function tool call; a refusal is
 * `rejectContent`, so the model reads the refusal as the call's output (the SDK marks it "completed", not as an
 * error, hence the text says "refused … the tool did not run").
 */
import {
  defineToolInputGuardrail,
  type FunctionTool,
  type Tool,
  ToolGuardrailFunctionOutputFactory,
  type ToolInputGuardrailDefinition,
} from '@openai/agents';
import type { ToolGuard } from '../tool-guard/tool-guard.js';
import { actionFor, type IntegrationOptions } from './tool-actions.js';

const GUARDRAIL_NAME = 'kakunin_tool_guard';

function parseArguments(text: string): { ok: true; args: unknown } | { ok: false } {
  try {
    return { ok: true, args: text === '' ? {} : JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The guardrail, to list in a function tool's `inputGuardrails`. */
export function kakuninToolInputGuardrail<TContext = unknown>(
  guard: ToolGuard,
  options: IntegrationOptions = {},
): ToolInputGuardrailDefinition<TContext> {
  return defineToolInputGuardrail<TContext>({
    name: GUARDRAIL_NAME,
    run: async ({ toolCall }) => {
      const parsed = parseArguments(toolCall.arguments);
      const action = actionFor(toolCall.name, options);
      if (!parsed.ok) {
        return ToolGuardrailFunctionOutputFactory.rejectContent(
          `Kakunin refused "${action}" (INVALID_REQUEST, field arguments): the arguments are not JSON; the tool did not run.`,
        );
      }
      const decision = await guard.check(action, parsed.args);
      if (!decision.run) {
        return ToolGuardrailFunctionOutputFactory.rejectContent(decision.refusal.message, decision.refusal.toJSON());
      }
      return ToolGuardrailFunctionOutputFactory.allow();
    },
  });
}

/**
 * Adds the guardrail to every function tool of the list, in place (once per tool), and returns the list. Hosted and
 * computer tools have no input guardrails; the list must not hold any, since they would run unguarded.
 */
// biome-ignore lint/suspicious/noExplicitAny: tools of any run context
export function guardAgentTools<T extends Tool<any>[]>(
  guard: ToolGuard,
  tools: T,
  options: IntegrationOptions = {},
): T {
  const guardrail = kakuninToolInputGuardrail(guard, options);
  for (const tool of tools) {
    if (tool.type !== 'function')
      throw new TypeError(`tool ${tool.name} (${tool.type}) cannot carry a Kakunin guardrail`);
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const fn = tool as FunctionTool<any>;
    const existing = fn.inputGuardrails ?? [];
    if (!existing.some((g) => g.name === GUARDRAIL_NAME)) fn.inputGuardrails = [...existing, guardrail];
  }
  return tools;
}
