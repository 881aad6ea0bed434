/**
 * `@kakunin/sdk/ai-sdk`: ToolGuard for the Vercel AI SDK (`ai`, an optional peer).
 * @example generateText({ model, tools: guardAiTools(guard, { charge, refund }), prompt })
 */
export { type AiSdkGuardOptions, guardAiTools } from './integrations/ai-sdk.js';
