/** What one result row is about, as a card names it (singular), for an Azure-Sentinel entity type. */
const ENTITY_NOUNS: Readonly<Record<string, string>> = {
  Account: 'account',
  Host: 'host',
  IP: 'IP address',
  URL: 'URL',
  FileHash: 'file hash',
  File: 'file',
  Process: 'process',
  DNS: 'domain',
  CloudApplication: 'cloud app',
  AzureResource: 'Azure resource',
  Mailbox: 'mailbox',
  RegistryKey: 'registry key',
  RegistryValue: 'registry value',
  Malware: 'malware',
  SecurityGroup: 'security group',
};

/** `device` for the bot's own hunts, the mapped entity's noun for Azure-Sentinel hunts, `row` for a table without mappings. */
export function rowNoun(run: { entityType?: string; untaggable?: string }): { singular: string; plural: string } {
  const singular = run.entityType ? (ENTITY_NOUNS[run.entityType] ?? run.entityType) : run.untaggable ? 'row' : 'device';
  const plural = singular === 'malware' ? 'malware' : /(ss|sh|ch|x)$/.test(singular) ? `${singular}es` : `${singular}s`;
  return { singular, plural };
}
