import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, loadManifestTemplate, Manifest } from '../../src/packaging/build-manifest';
import { PackagingError } from '../../src/packaging/packaging-error';
import { SAMPLE_BOT_ID, SAMPLE_TEAMS_APP_ID } from './helpers/sample';

function botIdOf(manifest: Manifest): string {
  return (manifest.bots as Array<{ botId: string }>)[0].botId;
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PackagingError) return error.problems;
    throw error;
  }
  throw new Error('expected a PackagingError');
}

describe('buildManifest', () => {
  test('fills the bot id from MicrosoftAppId and uses it as the Teams app id by default', () => {
    const manifest = buildManifest({ MicrosoftAppId: SAMPLE_BOT_ID });
    expect(botIdOf(manifest)).toBe(SAMPLE_BOT_ID);
    expect(manifest.id).toBe(SAMPLE_BOT_ID);
  });

  test('takes the Teams app id from TEAMS_APP_ID when set', () => {
    const manifest = buildManifest({ MicrosoftAppId: SAMPLE_BOT_ID, TEAMS_APP_ID: SAMPLE_TEAMS_APP_ID });
    expect(manifest.id).toBe(SAMPLE_TEAMS_APP_ID);
    expect(botIdOf(manifest)).toBe(SAMPLE_BOT_ID);
  });

  test('takes the app version from package.json', () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(loadManifestTemplate().version).toBe('${{APP_VERSION}}');
    expect(buildManifest({ MicrosoftAppId: SAMPLE_BOT_ID }).version).toBe(version);
  });

  test('takes the app version from HUNTBOT_APP_VERSION when set, over package.json', () => {
    expect(buildManifest({ MicrosoftAppId: SAMPLE_BOT_ID, HUNTBOT_APP_VERSION: '2.3.4' }, loadManifestTemplate(), '0.1.0').version).toBe('2.3.4');
  });

  test('refuses a package.json version Teams does not accept, saying how to override it', () => {
    expect(problemsOf(() => buildManifest({ MicrosoftAppId: SAMPLE_BOT_ID }, loadManifestTemplate(), '1.0.0-rc.1'))).toEqual([
      'package.json version "1.0.0-rc.1" is not a version Teams accepts (three numbers like 1.0.0, no pre-release); set HUNTBOT_APP_VERSION',
    ]);
    expect(buildManifest({ MicrosoftAppId: SAMPLE_BOT_ID, HUNTBOT_APP_VERSION: '1.0.0' }, loadManifestTemplate(), '1.0.0-rc.1').version).toBe('1.0.0');
  });

  test('leaves the template untouched', () => {
    const template = loadManifestTemplate();
    const before = JSON.stringify(template);
    buildManifest({ MicrosoftAppId: SAMPLE_BOT_ID }, template);
    expect(JSON.stringify(template)).toBe(before);
  });

  test('fails with a clear message when MicrosoftAppId is missing', () => {
    expect(problemsOf(() => buildManifest({}))).toEqual([expect.stringMatching(/^MicrosoftAppId is not set: .*GUID/)]);
  });

  test('lists every bad setting together', () => {
    const problems = problemsOf(() =>
      buildManifest({ MicrosoftAppId: 'not-a-guid', TEAMS_APP_ID: '1234', HUNTBOT_APP_VERSION: 'v1' }),
    );
    expect(problems).toEqual([
      'MicrosoftAppId "not-a-guid" is not a GUID like 00000000-0000-0000-0000-000000000000',
      'TEAMS_APP_ID "1234" is not a GUID like 00000000-0000-0000-0000-000000000000',
      'HUNTBOT_APP_VERSION "v1" is not a version like 1.0.0 (three numbers, no leading zeros)',
    ]);
  });

  test('reports a placeholder it does not know how to fill', () => {
    const template = { ...loadManifestTemplate(), developer: { name: '${{PUBLISHER}}' } };
    expect(problemsOf(() => buildManifest({ MicrosoftAppId: SAMPLE_BOT_ID }, template))).toEqual([
      'manifest.json uses ${{PUBLISHER}}, which the packager does not fill',
    ]);
  });
});
