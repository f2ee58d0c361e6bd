/** Recognises the ARM resource id of a Log Analytics workspace. */

// ARM ids are case-insensitive, and the portal itself writes `resourcegroups` and `microsoft.operationalinsights`.
const WORKSPACE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i;

export function isWorkspaceResourceId(resourceId: string): boolean {
  return WORKSPACE_ID.test(resourceId);
}
