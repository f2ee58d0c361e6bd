import { randomUUID } from 'node:crypto';
import { ContainerClient } from '@azure/storage-blob';
import { MemoryStorage } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { AzureBlobsStateStorage } from '../../src/bot/azure-blobs-state-storage';
import { createStateStore } from '../../src/bot/blob-state-store';
import { StorageStateStore } from '../../src/bot/storage-state-store';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { StateConflictError, StateUnreadableError, updateState, type StateStore } from '../../src/state/state-store';
import { startAzurite, type RunningAzurite } from '../support/azurite';

/** Two "instances": separate store objects over the same backing state (one object for MemoryStateStore, which is per process). */
interface Pair {
  a: StateStore;
  b: StateStore;
}

let azurite: RunningAzurite;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

const container = () => `state-${randomUUID()}`;

const stores: Array<[string, () => Pair]> = [
  [
    'MemoryStateStore',
    () => {
      const store = new MemoryStateStore();
      return { a: store, b: store };
    },
  ],
  [
    'StorageStateStore(MemoryStorage)',
    () => {
      const storage = new MemoryStorage();
      return { a: new StorageStateStore(storage), b: new StorageStateStore(storage) };
    },
  ],
  [
    'StorageStateStore(BlobsStorage on Azurite)',
    () => {
      const name = container();
      return {
        a: new StorageStateStore(new AzureBlobsStateStorage(azurite.connectionString, name)),
        // The second instance comes from the factory the bot uses, over the same container.
        b: createStateStore({ kind: 'azure-blob', connectionString: azurite.connectionString, container: name }).store,
      };
    },
  ],
];

/** Run shaped like the real one, with text the wire must keep intact (non-ASCII, quotes, a field named eTag). */
function sampleRun(id: string) {
  return {
    runId: id,
    title: 'Remote access tools — DesktopNow',
    status: 'done',
    hits: [
      { deviceId: 'dev-a', deviceName: 'fin-ws-001.contoso.local', count: 2, tag: { byName: 'Zoë Müller', justification: 'Nightly "backup" 🔒' } },
      { deviceId: 'dev-b', deviceName: 'hr-ws-017.contoso.local', count: 1 },
    ],
    eTag: 'a field of the value, not the store',
    totalEvents: 3,
  };
}

describe.each(stores)('StateStore contract: %s', (_name, make) => {
  let pair: Pair;

  beforeEach(() => {
    pair = make();
  });

  it('reads a missing key as undefined', async () => {
    await expect(pair.a.read('runs/missing')).resolves.toBeUndefined();
  });

  it('round-trips a value, with the etag that write returned, on both instances', async () => {
    const run = sampleRun('r1');
    const etag = await pair.a.write('runs/r1', run);
    expect(typeof etag).toBe('string');
    await expect(pair.a.read('runs/r1')).resolves.toEqual({ value: run, etag });
    await expect(pair.b.read('runs/r1')).resolves.toEqual({ value: run, etag });
    await pair.a.write('runs/list', [1, 'two', null]);
    await expect(pair.b.read('runs/list')).resolves.toMatchObject({ value: [1, 'two', null] });
  });

  it('overwrites without an etag and gives the new version a new etag', async () => {
    const first = await pair.a.write('runs/r2', { n: 1 });
    const second = await pair.b.write('runs/r2', { n: 2 });
    expect(second).not.toBe(first);
    await expect(pair.a.read('runs/r2')).resolves.toEqual({ value: { n: 2 }, etag: second });
  });

  it('writes with the current etag and refuses a stale one, keeping the newer value', async () => {
    const v1 = await pair.a.write('runs/r3', { n: 1 });
    const v2 = await pair.b.write('runs/r3', { n: 2 }, v1);
    await expect(pair.a.write('runs/r3', { n: 99 }, v1)).rejects.toBeInstanceOf(StateConflictError);
    await expect(pair.a.read('runs/r3')).resolves.toEqual({ value: { n: 2 }, etag: v2 });
    await expect(pair.a.write('runs/r3', { n: 3 }, v2)).resolves.toEqual(expect.any(String));
  });

  it("writes '*new*' only when the key is absent", async () => {
    const created = await pair.a.write('runs/r4', { n: 1 }, '*new*');
    const error = await pair.b.write('runs/r4', { n: 2 }, '*new*').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateConflictError);
    expect((error as StateConflictError).key).toBe('runs/r4');
    await expect(pair.b.read('runs/r4')).resolves.toEqual({ value: { n: 1 }, etag: created });
  });

  it('lets exactly one of two instances create the same key at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const key = `runs/race-${round}`;
      const outcomes = await Promise.allSettled([pair.a.write(key, { by: 'a' }, '*new*'), pair.b.write(key, { by: 'b' }, '*new*')]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(StateConflictError);
      const stored = await pair.a.read<{ by: string }>(key);
      expect(stored?.etag).toBe((won[0] as PromiseFulfilledResult<string>).value);
    }
  });

  it('refuses an etag once the key is gone', async () => {
    const etag = await pair.a.write('runs/r5', { n: 1 });
    await pair.b.delete('runs/r5');
    await expect(pair.a.write('runs/r5', { n: 2 }, etag)).rejects.toBeInstanceOf(StateConflictError);
    await expect(pair.a.read('runs/r5')).resolves.toBeUndefined();
  });

  it('loses no update when two instances update the same key concurrently (updateState retries conflicts)', async () => {
    await pair.a.write('runs/r6', { taggedBy: [] as string[] });
    const tagger = (store: StateStore, who: string) => async () => {
      for (let i = 0; i < 5; i++) {
        await updateState<{ taggedBy: string[] }>(store, 'runs/r6', (run) => ({ taggedBy: [...(run?.taggedBy ?? []), `${who}${i}`] }));
      }
    };
    await Promise.all([tagger(pair.a, 'a')(), tagger(pair.b, 'b')()]);
    const final = await pair.b.read<{ taggedBy: string[] }>('runs/r6');
    expect([...final!.value.taggedBy].sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2', 'b3', 'b4']);
  });

  it('creates through updateState when the key is absent, once, even when both instances race', async () => {
    await Promise.all([
      updateState<number>(pair.a, 'runs/counter', (n) => (n ?? 0) + 1),
      updateState<number>(pair.b, 'runs/counter', (n) => (n ?? 0) + 1),
    ]);
    await expect(pair.a.read('runs/counter')).resolves.toMatchObject({ value: 2 });
  });

  it('deletes, and deleting a missing key is not an error', async () => {
    await pair.a.write('runs/r7', { n: 1 });
    await pair.b.delete('runs/r7');
    await expect(pair.a.read('runs/r7')).resolves.toBeUndefined();
    await expect(pair.a.delete('runs/never-written')).resolves.toBeUndefined();
    await expect(pair.a.write('runs/r7', { n: 2 }, '*new*')).resolves.toEqual(expect.any(String));
  });
});

describe('StorageStateStore over Azure Blob Storage (Azurite)', () => {
  it('stores one JSON blob per key under BlobsStorage’s escaped name, readable by plain BlobsStorage', async () => {
    const name = container();
    const store = new StorageStateStore(new AzureBlobsStateStorage(azurite.connectionString, name));
    await store.write('runs/created', { n: 1 }, '*new*');
    await store.write('runs/overwritten', { n: 2 });

    const client = new ContainerClient(azurite.connectionString, name);
    const blobs: Array<{ name: string; contentType?: string }> = [];
    for await (const blob of client.listBlobsFlat()) blobs.push({ name: blob.name, contentType: blob.properties.contentType });
    expect(blobs).toEqual([
      { name: 'runs%2Fcreated', contentType: 'application/json' },
      { name: 'runs%2Foverwritten', contentType: 'application/json' },
    ]);
    const plain = await new BlobsStorage(azurite.connectionString, name).read(['runs/created']);
    expect(plain['runs/created']).toMatchObject({ value: { n: 1 }, writeId: expect.any(String), eTag: expect.any(String) });
  });

  it('reads a blob that is not JSON, or not in the format this bot writes, as unreadable, and still overwrites it', async () => {
    const name = container();
    const store = new StorageStateStore(new AzureBlobsStateStorage(azurite.connectionString, name));
    await store.write('runs/ok', { n: 1 });
    const client = new ContainerClient(azurite.connectionString, name);
    for (const [blob, body] of [['runs%2Fdamaged', '{"value": {"n": 1'], ['runs%2Fforeign', '{"n": 1}']]) {
      await client.getBlockBlobClient(blob).upload(body, Buffer.byteLength(body));
    }
    for (const key of ['runs/damaged', 'runs/foreign']) {
      const error = await store.read(key).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateUnreadableError);
      expect((error as StateUnreadableError).key).toBe(key);
    }
    await expect(store.read('runs/ok')).resolves.toMatchObject({ value: { n: 1 } });
    const etag = await store.write('runs/damaged', { n: 2 });
    await expect(store.read('runs/damaged')).resolves.toEqual({ value: { n: 2 }, etag });
  });

  it('says plainly that plain BlobsStorage cannot create only-if-absent, instead of racing', async () => {
    const store = new StorageStateStore(new BlobsStorage(azurite.connectionString, container()));
    await expect(store.write('runs/x', { n: 1 }, '*new*')).rejects.toThrow(/cannot write only-if-absent/);
    // Everything else works on plain BlobsStorage.
    const etag = await store.write('runs/x', { n: 1 });
    await expect(store.write('runs/x', { n: 2 }, etag)).resolves.toEqual(expect.any(String));
  });

  it('refuses keys BlobsStorage would fold onto another key’s blob', async () => {
    const store = new StorageStateStore(new MemoryStorage());
    for (const key of ['', 'runs//a', '/runs/a', 'runs/a/', 'x'.repeat(1025)]) {
      await expect(store.write(key, 1)).rejects.toThrow(/not usable/);
    }
  });
});

describe('createStateStore', () => {
  const cs = 'DefaultEndpointsProtocol=https;AccountName=huntstate;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net';

  it('is memory when the configuration says memory', () => {
    const memory = createStateStore({ kind: 'memory' });
    expect(memory.store).toBeInstanceOf(MemoryStateStore);
    expect(memory.description).toMatch(/^memory/);
  });

  it('is Azure Blob Storage for a Blob container, described without the key', () => {
    const choice = createStateStore({ kind: 'azure-blob', connectionString: cs, container: 'hunt-state' });
    expect(choice.store).toBeInstanceOf(StorageStateStore);
    expect(choice.store.name).toBe('azure-blob:hunt-state');
    expect(choice.description).toBe('Azure Blob Storage container "hunt-state" in account "huntstate" (shared by every instance)');
    expect(choice.description).not.toContain('c2VjcmV0');
  });

  it('names the setting, without the key, should the storage SDK refuse a string the configuration let through', () => {
    const build = () => createStateStore({ kind: 'azure-blob', connectionString: 'AccountKey=c2VjcmV0LWtleQ==', container: 'hunt-state' });
    expect(build).toThrow(/refused HUNT_STATE_BLOB_CONNECTION_STRING/);
    expect(build).not.toThrow(/c2VjcmV0/);
  });
});

