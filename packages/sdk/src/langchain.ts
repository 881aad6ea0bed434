/**
 * `@kakunin/sdk/langchain`: ToolGuard for LangChain.js v1 (`langchain` and `@langchain/core`, optional peers).
 * @example createAgent({ model, tools, middleware: [kakuninMiddleware(guard)] })
 */
export { guardTool, guardTools, kakuninMiddleware } from './integrations/langchain.js';
export type { IntegrationOptions } from './integrations/tool-actions.js';
