import { ContainerClient, RestError } from '@azure/storage-blob';
import type { StoreItem } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { ConfigError } from '../config/config';
import { envValue, type Env } from '../config/env';
import { MemoryStateStore } from '../state/memory-state-store';
import type { StateStore } from '../state/state-store';
import { StorageStateStore, type CreateOnlyStorage } from './storage-state-store';
import { errorMessage } from '../util/error-message';

export const STATE_CONNECTION_STRING = 'HUNT_STATE_BLOB_CONNECTION_STRING';
export const STATE_CONTAINER = 'HUNT_STATE_BLOB_CONTAINER';

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

/** Blob container names: 3-63 characters, lowercase letters, digits and single hyphens, letter or digit at both ends. */
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

export interface StateStoreChoice {
  store: StateStore;
  /** For the start-up log line; never contains the account key. */
  description: string;
}

/**
 * The run-state store for this process: Azure Blob Storage when HUNT_STATE_BLOB_CONNECTION_STRING and
 * HUNT_STATE_BLOB_CONTAINER are set (shared by every instance, survives restarts), else memory (this process
 * only). Throws ConfigError when only one of the two is set or either is malformed.
 */
export function createStateStore(env: Env, options: { memoryCapacity?: number } = {}): StateStoreChoice {
  const connectionString = envValue(env, STATE_CONNECTION_STRING);
  const container = envValue(env, STATE_CONTAINER);
  if (connectionString === undefined && container === undefined) {
    return { store: new MemoryStateStore(options.memoryCapacity), description: 'memory (this process only; runs are lost on restart and not shared between instances)' };
  }
  const problems: string[] = [];
  if (connectionString === undefined) problems.push(`${STATE_CONNECTION_STRING} is not set; it must be set together with ${STATE_CONTAINER}`);
  if (container === undefined) problems.push(`${STATE_CONTAINER} is not set; it must be set together with ${STATE_CONNECTION_STRING}`);
  if (container !== undefined && !CONTAINER_NAME.test(container))
    problems.push(`${STATE_CONTAINER} must be 3-63 lowercase letters, digits or single hyphens, starting and ending with a letter or digit (got "${container}")`);
  if (problems.length > 0 || connectionString === undefined || container === undefined) throw new ConfigError(problems);

  let storage: AzureBlobsStateStorage;
  try {
    storage = new AzureBlobsStateStorage(connectionString, container);
  } catch (error) {
    // The SDK's message is safe to show, the connection string (it holds the account key) is not.
    throw new ConfigError([`${STATE_CONNECTION_STRING} is not a usable storage connection string: ${errorMessage(error)}`]);
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
