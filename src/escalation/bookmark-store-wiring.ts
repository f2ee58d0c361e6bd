import type { TokenCredential } from '@azure/identity';
import { createCredential } from '../azure/credentials';
import type { AppConfig } from '../config/config';
import { azurePortal } from '../links/portal-hosts';
import type { BookmarkStore } from '../stores/bookmark-store';
import { SentinelBookmarkStore } from '../stores/sentinel-bookmark-store';
import { SqliteBookmarkStore } from '../stores/sqlite-bookmark-store';
import type { StoreLogger } from '../stores/watchlist-exclusion-store';

/**
 * Where bookmarks go, from the same settings as the tags: Sentinel (ARM, same credential and cloud endpoints as
 * the watchlist) when the workspace's subscription, resource group and name are set, the local SQLite file otherwise.
 */
export function openBookmarkStore(config: AppConfig, logger: StoreLogger, credential?: TokenCredential): BookmarkStore {
  const ws = config.watchlist;
  if (!ws) return new SqliteBookmarkStore(config.storePath);
  const portal = azurePortal(config.azure.cloud);
  return new SentinelBookmarkStore({
    arm: config.azure.arm,
    credential: credential ?? createCredential(config.identity),
    subscriptionId: ws.subscriptionId,
    resourceGroup: ws.resourceGroup,
    workspaceName: ws.workspaceName,
    // The Azure portal's resource link (#resource/<ARM id>); Sentinel documents no deep link to one bookmark.
    portalUrlOf: (id) => `${portal}/#resource${id}`,
    logger,
    auditPath: config.storePath,
  });
}
