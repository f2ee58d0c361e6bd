/**
 * Log Analytics (Sentinel Logs) in the Azure portal with the query in the editor:
 *
 *   {portal}/#@{tenant}/blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/{resource id}
 *     /source/LogsBlade.AnalyticsShareLinkToQuery/q/{query}/timespan/{ISO 8601 interval}
 *
 * The path is the one in Microsoft's BCTech sample (microsoft/BCTech
 * samples/AppInsights/HTML/README.md) and in the Microsoft Learn KQL exercises' "Run the query"
 * links, which add `/timespan/P1D`. An interval `start/end` with its `/` encoded is what Azure
 * Monitor writes into log search alert links ("Sample payloads for log search alerts using webhook
 * actions", linkToSearchResultsUI). Without a tenant the link starts `#blade/`, as the Log Analytics
 * tutorial's demo link does.
 */
import { isUsableWindow } from './hunt-window';
import { withinLinkLimit } from './link-length';
import { decodeLogsQuery, encodeLogsQuery } from './logs-query';
import type { PortalLinkOptions } from './portal-link-options';
import { pathSegment } from './path-segment';
import { azurePortal } from './portal-hosts';
import { tenantOf } from './tenant-id';
import { isWorkspaceResourceId } from './workspace-resource-id';

const BLADE = 'blade/Microsoft_Azure_Monitoring_Logs/LogsBlade';
const SOURCE = 'source/LogsBlade.AnalyticsShareLinkToQuery';

/**
 * Undefined when the resource id is not a workspace's, the query is blank, the window is unusable
 * or the link is too long.
 */
export function sentinelLogsLink(kql: string, workspaceResourceId: string, options: PortalLinkOptions = {}): string | undefined {
  const resourceId = workspaceResourceId.trim();
  if (!isWorkspaceResourceId(resourceId) || kql.trim() === '') return undefined;
  if (options.window !== undefined && !isUsableWindow(options.window)) return undefined;
  const resource = pathSegment(resourceId);
  const tenant = tenantOf(options);
  const tenantSegment = tenant === undefined ? '' : pathSegment(tenant);
  if (resource === undefined || tenantSegment === undefined) return undefined;

  const blade = tenantSegment === '' ? `#${BLADE}` : `#@${tenantSegment}/${BLADE}`;
  let link = `${azurePortal(options.cloud)}/${blade}/resourceId/${resource}/${SOURCE}/q/${encodeLogsQuery(kql)}`;
  if (options.window !== undefined) {
    const interval = `${options.window.start.toISOString()}/${options.window.end.toISOString()}`;
    link += `/timespan/${encodeURIComponent(interval)}`;
  }
  return withinLinkLimit(link);
}

/** The KQL in a Logs share link, or undefined when the link carries none. */
export function decodeSentinelLogsQuery(link: string): string | undefined {
  const segment = /\/q\/([^/?#]+)/.exec(link)?.[1];
  return segment === undefined ? undefined : decodeLogsQuery(segment);
}
