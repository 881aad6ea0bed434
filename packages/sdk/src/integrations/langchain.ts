/**
 * LangChain.js v1: `kakuninMiddleware(guard)` for `createAgent({middleware})`, and `guardTool(guard, tool)` for a bare
 * `tool()` used elsewhere. A refusal reaches the model as a ToolMessage with `status: "error"`; it is never thrown
 * from `wrapToolCall`, which would crash the run (and with any `wrapToolCall` present an ordinary tool exception
 * crashes it too, so the middleware also returns tool errors as error ToolMessages).
 */
import { ToolMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { createMiddleware } from 'langchain';
import type { ToolGuard } from '../tool-guard/tool-guard.js';
import { actionFor, type IntegrationOptions, toolErrorText } from './tool-actions.js';

/** Marks a tool that `guardTool` patched, so the middleware does not check (and sign) the same call twice. */
const GUARDED = Symbol.for('kakunin.guardedTool');

interface ToolCallLike {
  id?: string | undefined;
  name: string;
  args: unknown;
}

const errorMessage = (call: ToolCallLike, content: string): ToolMessage =>
  new ToolMessage({ content, tool_call_id: call.id ?? '', name: call.name, status: 'error' });

/** `createAgent({ model, tools, middleware: [kakuninMiddleware(guard)] })`: every tool call is checked first. */
export function kakuninMiddleware(guard: ToolGuard, options: IntegrationOptions = {}) {
  return createMiddleware({
    name: 'KakuninToolGuard',
    wrapToolCall: async (request, handler) => {
      const call = request.toolCall as ToolCallLike;
      const alreadyGuarded = (request.tool as { [GUARDED]?: boolean } | undefined)?.[GUARDED] === true;
      if (!alreadyGuarded) {
        const decision = await guard.check(actionFor(call.name, options), call.args);
        if (!decision.run) return errorMessage(call, decision.refusal.message);
      }
      try {
        return await handler(request);
      } catch (error) {
        return errorMessage(call, toolErrorText(error));
      }
    },
  });
}

type CallFn = (arg: unknown, runManager?: unknown, parentConfig?: { toolCall?: ToolCallLike }) => Promise<unknown>;

/**
 * Guards a bare `tool()` in place by patching its `_call` (a wrapping `tool()` would cost ~50 µs more per call and a
 * second schema). Called from an agent's tool call, a refusal is an error ToolMessage; called directly
 * (`tool.invoke(args)`), it throws the KakuninError.
 */
export function guardTool<T extends StructuredToolInterface>(
  guard: ToolGuard,
  tool: T,
  options: IntegrationOptions = {},
): T {
  const target = tool as unknown as { _call: CallFn; name: string; [GUARDED]?: boolean };
  if (target[GUARDED] === true) return tool;
  if (typeof target._call !== 'function') throw new TypeError(`tool ${target.name} has no _call to guard`);
  const original = target._call;
  const action = actionFor(target.name, options);
  target._call = async function guardedCall(this: unknown, arg, runManager, parentConfig) {
    const decision = await guard.check(action, arg);
    if (!decision.run) {
      const call = parentConfig?.toolCall;
      if (call !== undefined) return errorMessage({ ...call, name: target.name }, decision.refusal.message);
      throw decision.refusal;
    }
    return original.call(this, arg, runManager, parentConfig);
  };
  Object.defineProperty(target, GUARDED, { value: true });
  return tool;
}

/** `guardTool` for each tool of a list; returns the same list. */
export function guardTools<T extends StructuredToolInterface>(
  guard: ToolGuard,
  tools: T[],
  options: IntegrationOptions = {},
): T[] {
  for (const tool of tools) guardTool(guard, tool, options);
  return tools;
}
