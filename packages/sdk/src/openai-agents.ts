/**
 * `@kakunin/sdk/openai-agents`: ToolGuard as a tool input guardrail for the OpenAI Agents SDK (`@openai/agents`, an
 * optional peer).
 * @example new Agent({ name, model, tools: guardAgentTools(guard, [charge, refund]) })
 */
export { guardAgentTools, kakuninToolInputGuardrail } from './integrations/openai-agents.js';
