import { placeholderUrls } from '../../src/packaging/placeholder-urls';

describe('placeholderUrls', () => {
  test('finds URLs on the documentation domains anywhere in the manifest, with their path', () => {
    const manifest = {
      developer: { websiteUrl: 'https://www.example.org/', privacyUrl: 'http://huntbot.example/privacy' },
      staticTabs: [{ contentUrl: 'https://EXAMPLE.net/tab' }],
    };
    expect(placeholderUrls(manifest)).toEqual([
      'developer.websiteUrl https://www.example.org/',
      'developer.privacyUrl http://huntbot.example/privacy',
      'staticTabs[0].contentUrl https://EXAMPLE.net/tab',
    ]);
  });

  test('leaves real domains that merely contain the word, and non-URL text, alone', () => {
    const manifest = {
      developer: { websiteUrl: 'https://notexample.com/', privacyUrl: 'https://example.com.contoso.com/p', termsOfUseUrl: 'https://examples.com/t' },
      description: { short: 'see example.com', full: 'https://' },
    };
    expect(placeholderUrls(manifest)).toEqual([]);
  });
});
