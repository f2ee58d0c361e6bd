import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import type { FakeWatchlistServer } from '../fakes/watchlist-server';
import { certRow } from './telemetry-fixture';

/** The bot's settings for the test Sentinel workspace, reached at the fake Log Analytics and ARM servers. */
export function sentinelWorkspaceEnv(endpoints: { logAnalytics: string; arm: string }): Record<string, string> {
  return {
    SENTINEL_WORKSPACE_ID: '11111111-2222-3333-4444-555555555555',
    SENTINEL_SUBSCRIPTION_ID: '00000000-aaaa-bbbb-cccc-000000000001',
    SENTINEL_RESOURCE_GROUP: 'rg-sentinel',
    SENTINEL_WORKSPACE_NAME: 'law-sentinel',
    LOG_ANALYTICS_ENDPOINT: endpoints.logAnalytics,
    ARM_ENDPOINT: endpoints.arm,
  };
}

/** Two devices signed by DesktopNow's publisher (NCH Software) within the last two hours of `now`. */
export function desktopNowCertificateRows(now: number): Array<Record<string, unknown>> {
  return [
    certRow('dev-a', 'fin-ws-001.contoso.local', 'NCH Software Pty Ltd', new Date(now - 3_600_000), 1),
    certRow('dev-b', 'hr-ws-017.contoso.local', 'NCH Software', new Date(now - 7_200_000), 2),
  ];
}

/** The fake Log Analytics workspace over the DesktopNow certificate rows, answering _GetWatchlist from `arm`'s watchlist. */
export function startDesktopNowWorkspace(arm: FakeWatchlistServer): Promise<FakeLogAnalyticsServer> {
  return FakeLogAnalyticsServer.start({
    dataset: {
      tables: { DeviceFileCertificateInfo: desktopNowCertificateRows(Date.now()) },
      watchlists: () => arm.watchlistSnapshot(),
    },
  });
}
