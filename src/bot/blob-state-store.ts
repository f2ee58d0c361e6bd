import type { RunStateSettings } from '../config/run-state-settings';
import { MemoryStateStore } from '../state/memory-state-store';
import type { StateStore } from '../state/state-store';
import type { AzureBlobsStateStorage } from './azure-blobs-state-storage';
import { StorageStateStore } from './storage-state-store';
import { errorMessage } from '../util/error-message';

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
  // Loaded only here: the Azure storage SDK and botbuilder's blob storage take ~60 ms to load, for nothing in memory mode.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AzureBlobsStateStorage: BlobStorage } = require('./azure-blobs-state-storage') as typeof import('./azure-blobs-state-storage');
  let storage: AzureBlobsStateStorage;
  try {
    storage = new BlobStorage(connectionString, container);
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
