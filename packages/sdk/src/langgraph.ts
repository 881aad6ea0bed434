/**
 * `@kakunin/sdk/langgraph`: a guarded `ToolNode` for LangGraph.js (`@langchain/langgraph`, an optional peer).
 * @example graph.addNode('tools', new KakuninToolNode(tools, { guard }))
 */
export { KakuninToolNode, type KakuninToolNodeOptions } from './integrations/langgraph.js';
