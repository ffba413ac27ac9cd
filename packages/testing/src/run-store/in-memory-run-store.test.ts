import { describe, it } from 'vitest';
import { InMemoryRunStore } from './in-memory-run-store.js';
import { runStoreContract } from './run-store-contract.js';

describe('store contract: InMemoryRunStore', () => {
  const store = new InMemoryRunStore();
  for (const contractCase of runStoreContract) {
    it(contractCase.name, () => contractCase.run(store));
  }
});
