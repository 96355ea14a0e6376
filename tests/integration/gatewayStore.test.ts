import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import { createEmbeddedStore } from '../../gateway/store/embedded';
import { describeStoreContract, sampleConnection } from '../support/gatewayStoreContract';

describeStoreContract('embedded, in memory', async (clock) => ({ store: createEmbeddedStore({ clock }) }));

describeStoreContract('embedded, JSON file', async (clock) => {
  const dataDir = await fs.mkdtemp(join(tmpdir(), 'gateway-store-'));
  return {
    store: createEmbeddedStore({ clock, dataDir }),
    openAnother: async () => createEmbeddedStore({ clock, dataDir }),
    cleanup: () => fs.rm(dataDir, { recursive: true, force: true }),
  };
});

describe('embedded store file handling', () => {
  it('breaks a lock file left behind by a crashed process, and never leaves a half-written file', async () => {
    const dataDir = await fs.mkdtemp(join(tmpdir(), 'gateway-store-'));
    try {
      const clock = new TestClock(Date.UTC(2026, 10, 21));
      await fs.writeFile(join(dataDir, 'gateway-store.json.lock'), 'crashed');
      const old = new Date(Date.now() - 60_000);
      await fs.utimes(join(dataDir, 'gateway-store.json.lock'), old, old);
      const store = createEmbeddedStore({ clock, dataDir, staleLockMs: 5_000 });
      await store.putConnection(sampleConnection('tenant-a'));
      const files = await fs.readdir(dataDir);
      expect(files).toEqual(['gateway-store.json']);
      const mode = (await fs.stat(join(dataDir, 'gateway-store.json'))).mode & 0o777;
      expect(mode).toBe(0o600);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('names the broken field when the file does not match the schema', async () => {
    const dataDir = await fs.mkdtemp(join(tmpdir(), 'gateway-store-'));
    try {
      await fs.writeFile(join(dataDir, 'gateway-store.json'), JSON.stringify({ connections: { x: { tenantId: 5 } }, tokens: {}, leases: {}, oneTime: {} }));
      const store = createEmbeddedStore({ clock: new TestClock(0), dataDir });
      await expect(store.getConnection('a', 'b')).rejects.toThrow(/connections\.x\.tenantId/);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
