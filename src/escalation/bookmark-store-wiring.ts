import type { TokenCredential } from '@azure/identity';
import { createCredential } from '../azure/credentials';
import type { AppConfig } from '../config/config';
import { azurePortal } from '../links/portal-hosts';
import type { BookmarkStore } from '../stores/bookmark-store';
import { SentinelBookmarkStore } from '../stores/sentinel-bookmark-store';
import { SqliteBookmarkStore } from '../stores/sqlite-bookmark-store';
import { UnavailableBookmarkStore } from '../stores/unavailable-bookmark-store';
import { errorMessage } from '../util/error-message';
import type { StoreLogger } from '../stores/watchlist-exclusion-store';

/**
 * Where bookmarks go, from the same settings as the tags: Sentinel (ARM, same credential and cloud endpoints as
 * the watchlist) when the workspace's subscription, resource group and name are set, the local SQLite file otherwise.
 */
export function openBookmarkStore(config: AppConfig, logger: StoreLogger, credential?: TokenCredential): BookmarkStore {
  const ws = config.watchlist;
  if (!ws) {
    try {
      return new SqliteBookmarkStore(config.storePath);
    } catch (error) {
      // As for the tag store: the bot starts, and every escalation says the store is unavailable.
      const reason = errorMessage(error);
      logger.error({ event: 'bookmark-store-unavailable', setting: 'HUNT_STORE_PATH', reason }, 'the bookmark store could not be opened; escalations will say so');
      return new UnavailableBookmarkStore(reason);
    }
  }
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
