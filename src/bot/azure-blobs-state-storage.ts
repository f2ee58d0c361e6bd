import { ContainerClient, RestError } from '@azure/storage-blob';
import type { StoreItem } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import type { CreateOnlyStorage } from './storage-state-store';

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
