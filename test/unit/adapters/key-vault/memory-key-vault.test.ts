import { MemoryKeyVault } from '../../../../src/adapters/memory/memory-key-vault.js';
import { describeKeyVaultConformance } from './conformance.js';

describeKeyVaultConformance('MemoryKeyVault', async () => {
  const vault = new MemoryKeyVault();
  return {
    vault,
    recordedTags: async (keyId) => vault.tagsOf(keyId),
    unknownKeyId: 'mem-key-00000000-0000-4000-8000-000000000000',
  };
});
