import { buildManifest, Manifest } from '../../src/packaging/build-manifest';
import { bundledManifestVersions, validateManifest } from '../../src/packaging/manifest-schema';
import { SAMPLE_ENV } from './helpers/sample';

type Bot = { scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }> };

function sampleManifest(): Manifest {
  return buildManifest(SAMPLE_ENV);
}

function firstBot(manifest: Manifest): Bot {
  return (manifest.bots as Bot[])[0];
}

describe('the committed Teams manifest', () => {
  test('filled with a sample bot id, it is valid against the official schema of its manifestVersion', () => {
    expect(validateManifest(sampleManifest())).toEqual([]);
  });

  test('uses a manifest version that @microsoft/app-manifest bundles a schema for, and the matching $schema URL', () => {
    const manifest = sampleManifest();
    expect(bundledManifestVersions()).toContain(manifest.manifestVersion);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${String(manifest.manifestVersion)}/MicrosoftTeams.schema.json`,
    );
  });
});

describe('validateManifest', () => {
  test('rejects a manifest missing a required field, naming the field', () => {
    const manifest = sampleManifest();
    delete manifest.accentColor;
    expect(validateManifest(manifest)).toContain("/ must have required property 'accentColor'");
  });

  test('rejects a command list with more commands than the schema version allows, giving the limit', () => {
    const manifest = sampleManifest();
    firstBot(manifest).commandLists[0].commands = Array.from({ length: 11 }, (_, i) => ({ title: `c${i}`, description: 'd' }));
    expect(validateManifest(manifest)).toContain('/bots/0/commandLists/0/commands must NOT have more than 10 items');
  });

  test('rejects an unknown bot scope, listing the allowed ones', () => {
    const manifest = sampleManifest();
    firstBot(manifest).scopes = ['team', 'channel'];
    expect(validateManifest(manifest)).toEqual([expect.stringMatching(/^\/bots\/0\/scopes\/1 must be one of team, personal, groupChat/)]);
  });

  test('rejects a bot id that is not a GUID', () => {
    const manifest = sampleManifest();
    (manifest.bots as Array<{ botId: string }>)[0].botId = '${{MICROSOFT_APP_ID}}';
    expect(validateManifest(manifest)).toEqual(['/bots/0/botId must be a GUID']);
  });

  test('reports every problem at once', () => {
    const manifest = sampleManifest();
    delete manifest.developer;
    manifest.accentColor = 'blue';
    manifest.unexpected = true;
    expect(validateManifest(manifest)).toEqual(
      expect.arrayContaining([
        "/ must have required property 'developer'",
        '/accentColor must match pattern "^#[0-9a-fA-F]{6}$"',
        '/ must not have the property "unexpected"',
      ]),
    );
  });

  test('rejects an app version that is not x.y.z', () => {
    const manifest = sampleManifest();
    manifest.version = '1.0';
    expect(validateManifest(manifest)).toEqual(['/version "1.0" must be a version like 1.0.0 (three numbers, no leading zeros)']);
  });

  test('rejects a $schema URL for another manifest version', () => {
    const manifest = sampleManifest();
    manifest.$schema = 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json';
    expect(validateManifest(manifest)).toEqual([expect.stringContaining('$schema must be https://developer.microsoft.com/json-schemas/teams/v')]);
  });

  test('rejects a manifestVersion it has no schema for, listing the bundled ones', () => {
    const manifest = sampleManifest();
    manifest.manifestVersion = '1.18';
    expect(validateManifest(manifest)).toEqual([expect.stringMatching(/^manifestVersion 1\.18 has no bundled schema \(available: 1\.0, .*1\.22/)]);
  });
});
