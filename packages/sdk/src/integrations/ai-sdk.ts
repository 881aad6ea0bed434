/**
 * Vercel AI SDK: each tool's `execute` is wrapped; a refusal is thrown as a KakuninError, which the SDK hands the
 * model as an `error-text` tool result (its message names the code and the field). `experimental_onToolCallStart`
 * cannot block a call, so the wrap is the hook; a tool without `execute` (client-side) cannot be guarded and is
 * refused at setup rather than left unguarded.
 */
import type { Tool, ToolExecutionOptions } from 'ai';
import type { ToolGuard } from '../tool-guard/tool-guard.js';
import { actionFor, type IntegrationOptions } from './tool-actions.js';

// biome-ignore lint/suspicious/noExplicitAny: tools of any input and output types
type AnyTool = Tool<any, any>;

export interface AiSdkGuardOptions extends IntegrationOptions {
  /** Tool names without `execute` that may stay unguarded (the client runs them). @default none */
  allowWithoutExecute?: string[];
}

const isAsyncGenerator = (fn: unknown): boolean =>
  typeof fn === 'function' && fn.constructor?.name === 'AsyncGeneratorFunction';

/** A copy of the tool set whose every `execute` runs only after its call verified. The originals are untouched. */
export function guardAiTools<T extends Record<string, AnyTool>>(
  guard: ToolGuard,
  tools: T,
  options: AiSdkGuardOptions = {},
): T {
  const guarded: Record<string, AnyTool> = {};
  for (const [name, tool] of Object.entries(tools)) {
    const execute = tool.execute;
    if (typeof execute !== 'function') {
      if (options.allowWithoutExecute?.includes(name)) {
        guarded[name] = tool;
        continue;
      }
      throw new TypeError(`tool ${name} has no execute: Kakunin cannot guard it (list it in allowWithoutExecute)`);
    }
    const action = actionFor(name, options);
    const check = async (input: unknown): Promise<void> => {
      const decision = await guard.check(action, input);
      if (!decision.run) throw decision.refusal;
    };
    // A streaming tool (an async generator) must stay one, or its preliminary results would be lost.
    const guardedExecute = isAsyncGenerator(execute)
      ? async function* (input: unknown, executionOptions: ToolExecutionOptions) {
          await check(input);
          yield* execute.call(tool, input, executionOptions) as AsyncIterable<unknown>;
        }
      : async (input: unknown, executionOptions: ToolExecutionOptions) => {
          await check(input);
          return execute.call(tool, input, executionOptions);
        };
    guarded[name] = { ...tool, execute: guardedExecute } as AnyTool;
  }
  return guarded as T;
}
