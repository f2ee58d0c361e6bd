import { ContainerClient, RestError } from '@azure/storage-blob';
import type { StoreItem } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import type { RunStateSettings } from '../config/run-state-settings';
import { MemoryStateStore } from '../state/memory-state-store';
import type { StateStore } from '../state/state-store';
import { StorageStateStore, type CreateOnlyStorage } from './storage-state-store';
import { errorMessage } from '../util/error-message';

/**
 * botbuilder's BlobsStorage plus the one write it cannot express. BlobsStorage.write (4.23.3, blobsStorage.js)
 * uploads with `conditions: eTag !== '*' ? { ifMatch: eTag } : {}`: overwrite or If-Match, never If-None-Match,
 * and on an absent blob any If-Match fails with 412. So "create only if absent" goes straight to the same blob
 * (same container, same name via BlobsStorage's own sanitizeBlobKey, same JSON body) with If-None-Match: *,
 * which Azure (and Azurite) refuse with 409 BlobAlreadyExists when the blob exists. Reads, deletes, overwrites
 * and If-Match writes stay BlobsStorage's.
 */
export class AzureBlobsStateStorage extends BlobsStorage implements CreateOnlyStorage {
  private readonly creator: ContainerClient;
  private created?: Promise<unknown>;

  constructor(
    connectionString: string,
    readonly containerName: string,
  ) {
    super(connectionString, containerName);
    this.creator = new ContainerClient(connectionString, containerName);
  }

  async writeIfAbsent(key: string, item: StoreItem): Promise<boolean> {
    this.created ??= this.creator.createIfNotExists().catch((error: unknown) => {
      this.created = undefined;
      throw error;
    });
    await this.created;
    const { eTag: _eTag, ...change } = item;
    const body = JSON.stringify(change);
    try {
      await this.creator.getBlockBlobClient(sanitizeBlobKey(key)).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return true;
    } catch (error) {
      // 409 BlobAlreadyExists is what Put Blob answers; 412 is the generic "condition not met".
      if (error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412)) return false;
      throw error;
    }
  }
}

export interface StateStoreChoice {
  store: StateStore;
  /** For the start-up log line; never contains the account key. */
  description: string;
}

/**
 * The run-state store for this process, from settings loadConfig validated: Azure Blob Storage (shared by
 * every instance, survives restarts), or memory (this process only).
 */
export function createStateStore(settings: RunStateSettings, options: { memoryCapacity?: number } = {}): StateStoreChoice {
  if (settings.kind === 'memory') {
    return { store: new MemoryStateStore(options.memoryCapacity), description: 'memory (this process only; runs are lost on restart and not shared between instances)' };
  }
  const { connectionString, container } = settings;
  let storage: AzureBlobsStateStorage;
  try {
    storage = new AzureBlobsStateStorage(connectionString, container);
  } catch (error) {
    // loadConfig checks what this SDK version refuses; should a newer one refuse more, say so without the key.
    throw new Error(`Azure Blob Storage refused HUNT_STATE_BLOB_CONNECTION_STRING: ${errorMessage(error)}`, { cause: error });
  }
  const account = accountOf(connectionString);
  return {
    store: new StorageStateStore(storage, `azure-blob:${container}`),
    description: `Azure Blob Storage container "${container}"${account ? ` in account "${account}"` : ''} (shared by every instance)`,
  };
}

function accountOf(connectionString: string): string | undefined {
  if (/UseDevelopmentStorage=true/i.test(connectionString)) return 'devstoreaccount1 (emulator)';
  return /(?:^|;)\s*AccountName=([^;]+)/i.exec(connectionString)?.[1]?.trim();
}
