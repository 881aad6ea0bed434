/** What ToolGuard reports besides its decision: shadow refusals, fail-open runs and refusals. Never key material. */
export interface GuardLogEntry {
  event: 'kakunin.tool_guard';
  action: string;
  agentId: string;
  /** `refused`: the tool did not run. `shadow_refused` / `unavailable_fail_open`: it ran anyway, as configured. */
  outcome: 'refused' | 'shadow_refused' | 'unavailable_fail_open';
  code: string;
  field?: string;
  message: string;
}

export type GuardLogger = (entry: GuardLogEntry) => void;

/** One JSON line on stderr, which log pipelines pick up without configuration. */
export const stderrLogger: GuardLogger = (entry) => {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
};
