/**
 * The RiskReader until the behavioural monitoring work supplies scores: no agent has a score yet, so verification
 * reports score 0 and `enforce` mode never refuses on risk. Replaced, not extended, when monitoring lands.
 */
import type { RiskSnapshot } from '../core/model.js';
import type { RiskReader } from '../ports.js';

export class NullRiskReader implements RiskReader {
  async current(_tenantId: string, _agentId: string): Promise<RiskSnapshot | undefined> {
    return undefined;
  }
}
