/** Shared by the framework integrations: which action a tool's calls sign, and the refusal text a model reads. */
import type { GuardDecision } from '../tool-guard/tool-guard.js';

export interface IntegrationOptions {
  /**
   * The action each tool signs, by tool name. @default the tool's own name, so a certificate's `allowedActions`
   * lists tool names.
   */
  actions?: Record<string, string>;
}

export const actionFor = (toolName: string, options: IntegrationOptions = {}): string =>
  options.actions !== undefined && Object.hasOwn(options.actions, toolName)
    ? (options.actions[toolName] as string)
    : toolName;

/** The text a model sees for a refused call (the code, the field, the reason; the tool did not run). */
export const refusalMessage = (decision: Extract<GuardDecision, { run: false }>): string => decision.refusal.message;

/** A tool's own failure, as text for the model (frameworks that crash on a thrown tool error get this instead). */
export const toolErrorText = (error: unknown): string =>
  `Error: ${error instanceof Error ? error.message : String(error)}`;
