import { randomUUID } from 'node:crypto';
import { types } from 'node:util';
import { MemoryStorage, type Storage, type StoreItem } from 'botbuilder';
import { StateConflictError, StateUnreadableError, type StateStore, type Versioned } from '../state/state-store';

/**
 * A botbuilder Storage that can also write a key only if it does not exist yet, atomically.
 * botbuilder's Storage contract has no way to say that (its eTags are '*' = overwrite, or a value = If-Match),
 * so stores that can do it natively (Azure Blob: If-None-Match: *) expose it through this method.
 */
export interface CreateOnlyStorage extends Storage {
  /** Writes `item` under `key` if nothing is stored there; resolves false, writing nothing, if something is. */
  writeIfAbsent(key: string, item: StoreItem): Promise<boolean>;
}

export function isCreateOnlyStorage(storage: Storage): storage is CreateOnlyStorage {
  return typeof (storage as Partial<CreateOnlyStorage>).writeIfAbsent === 'function';
}

/**
 * What is stored per key. Our etag is `writeId`, a fresh UUID per write, not the storage's eTag: botbuilder's
 * Storage.write returns nothing, so the storage eTag of what we just wrote is unknowable without reading it back
 * (and a read-back could see a later writer's version). A conditional write maps our etag to the storage eTag
 * current at that moment and writes with If-Match on it, so the storage still decides atomically.
 */
interface Envelope {
  value: unknown;
  writeId: string;
}

/** The eTag we hand MemoryStorage for create-only writes; MemoryStorage's own eTags are decimal counters. */
const CREATE_ONLY_ETAG = '*create-only*';

/**
 * botbuilder's MemoryStorage and BlobsStorage (4.23.3) both report a failed eTag condition as a plain Error with
 * this message (memoryStorage.js `write`, blobsStorage.js `write` on HTTP 412); there is no error class or code.
 */
const ETAG_CONFLICT = /due to eTag conflict/;

/**
 * Our StateStore over any botbuilder Storage (MemoryStorage locally, BlobsStorage/AzureBlobsStateStorage shared by
 * every instance). Semantics match MemoryStateStore:
 * - `write(key, value)` overwrites (Storage eTag '*').
 * - `write(key, value, '*new*')` writes only if the key is absent: CreateOnlyStorage.writeIfAbsent when the storage
 *   has it, MemoryStorage's own rule otherwise (an unknown eTag on an absent key writes, on a present key fails).
 * - `write(key, value, etag)` writes only if the stored version is still `etag`: the current storage eTag is read
 *   and the write carries it as If-Match, so a writer in between makes the storage refuse (→ StateConflictError).
 *   An absent key never matches.
 */
export class StorageStateStore implements StateStore {
  private readonly createOnly: (key: string, item: StoreItem) => Promise<boolean>;

  constructor(
    private readonly storage: Storage,
    readonly name: string = storage instanceof MemoryStorage ? 'botbuilder-memory' : 'botbuilder-storage',
  ) {
    this.createOnly = createOnlyWriter(storage);
  }

  async read<T>(key: string): Promise<Versioned<T> | undefined> {
    const item = await this.readItem(key);
    return item ? { value: item.envelope.value as T, etag: item.envelope.writeId } : undefined;
  }

  async write<T>(key: string, value: T, etag?: string): Promise<string> {
    checkKey(key);
    const envelope: Envelope = { value, writeId: randomUUID() };
    if (etag === '*new*') {
      if (!(await this.createOnly(key, { ...envelope }))) throw new StateConflictError(key);
      return envelope.writeId;
    }
    let storageETag = '*';
    if (etag !== undefined) {
      const current = await this.readItem(key);
      if (!current || current.envelope.writeId !== etag) throw new StateConflictError(key);
      storageETag = current.storageETag;
    }
    try {
      await this.storage.write({ [key]: { ...envelope, eTag: storageETag } });
    } catch (error) {
      throw isETagConflict(error) ? new StateConflictError(key) : error;
    }
    return envelope.writeId;
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await this.storage.delete([key]);
  }

  private async readItem(key: string): Promise<{ envelope: Envelope; storageETag: string } | undefined> {
    checkKey(key);
    const item = (await this.readStored(key))[key] as StoreItem | undefined;
    if (item === undefined) return undefined;
    if (typeof item.writeId !== 'string' || typeof item.eTag !== 'string' || !('value' in item)) throw new StateUnreadableError(key);
    return { envelope: { value: item.value, writeId: item.writeId }, storageETag: item.eTag };
  }

  private async readStored(key: string) {
    try {
      return await this.storage.read([key]);
    } catch (error) {
      // BlobsStorage parses the blob body as JSON (blobsStorage.js `read`): a body that is not JSON throws SyntaxError
      // (told by name: it comes from node:stream/consumers, whose realm need not be ours, so instanceof cannot tell).
      if (types.isNativeError(error) && error.name === 'SyntaxError') throw new StateUnreadableError(key, { cause: error });
      throw error;
    }
  }
}

function createOnlyWriter(storage: Storage): (key: string, item: StoreItem) => Promise<boolean> {
  if (isCreateOnlyStorage(storage)) return (key, item) => storage.writeIfAbsent(key, item);
  if (storage instanceof MemoryStorage) {
    // memoryStorage.js `write`: `if (!old || eTag === '*' || !eTag) save; else if (eTag === old.eTag) save; else reject`
    // — synchronous, so an eTag no stored item can have is an atomic "only if absent".
    return async (key, item) => {
      try {
        await storage.write({ [key]: { ...item, eTag: CREATE_ONLY_ETAG } });
        return true;
      } catch (error) {
        if (isETagConflict(error)) return false;
        throw error;
      }
    };
  }
  return async (key) => {
    throw new Error(
      `state "${key}": this Storage cannot write only-if-absent; give StorageStateStore a CreateOnlyStorage (e.g. AzureBlobsStateStorage)`,
    );
  };
}

function isETagConflict(error: unknown): boolean {
  return error instanceof Error && ETAG_CONFLICT.test(error.message);
}

/**
 * Keys must name one blob each: BlobsStorage's sanitizeBlobKey drops empty path segments and cuts the encoded
 * name at 1024 characters, so "a//b" and "a/b" (or two long keys) would silently share a blob.
 */
function checkKey(key: string): void {
  const segments = key.split('/');
  if (key === '' || segments.some((segment) => segment === '') || segments.length > 255 || encodeURIComponent(key).length > 1024)
    throw new Error(`state key "${key.slice(0, 80)}" is not usable: non-empty "/"-separated segments, at most 1024 characters encoded`);
}
