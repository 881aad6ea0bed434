/**
 * LangGraph.js: `KakuninToolNode`, a `ToolNode` whose every call is checked before the tool runs. A refusal is an
 * error ToolMessage in the graph's state, which the model node reads on its next turn. (`runTool` is the ToolNode's
 * protected extension point; `createReactAgent` is deprecated in favour of `createAgent`, for which use the
 * LangChain middleware.)
 */
import { ToolMessage } from '@langchain/core/messages';
import type { ToolCall } from '@langchain/core/messages/tool';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import type { ToolGuard } from '../tool-guard/tool-guard.js';
import { actionFor, type IntegrationOptions } from './tool-actions.js';

type ToolNodeArgs = ConstructorParameters<typeof ToolNode>;

export interface KakuninToolNodeOptions extends NonNullable<ToolNodeArgs[1]>, IntegrationOptions {
  guard: ToolGuard;
}

export class KakuninToolNode extends ToolNode {
  private readonly guard: ToolGuard;
  private readonly guardOptions: IntegrationOptions;

  constructor(tools: ToolNodeArgs[0], options: KakuninToolNodeOptions) {
    const { guard, actions, ...toolNodeOptions } = options;
    super(tools, toolNodeOptions);
    this.guard = guard;
    this.guardOptions = actions === undefined ? {} : { actions };
  }

  protected override async runTool(call: ToolCall, config: LangGraphRunnableConfig, state: unknown) {
    const decision = await this.guard.check(actionFor(call.name, this.guardOptions), call.args);
    if (!decision.run) {
      return new ToolMessage({
        content: decision.refusal.message,
        tool_call_id: call.id ?? '',
        name: call.name,
        status: 'error',
      });
    }
    return super.runTool(call, config, state);
  }
}
