import { DNS_NAMESPACE, EXCLUSION_ITEM_NAMESPACE, exclusionItemId } from '../../src/stores/uuid-v5';
import { uuidV5 } from '../../src/util/uuid-v5';

describe('uuidV5', () => {
  test('matches the known vector: DNS namespace + www.example.com (Python uuid.uuid5)', () => {
    expect(uuidV5(DNS_NAMESPACE, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  test('the exclusion namespace is the one its comment documents, so it can be re-derived', () => {
    expect(uuidV5(DNS_NAMESPACE, 'exclusions.sentinel-hunt-bot')).toBe(EXCLUSION_ITEM_NAMESPACE);
  });

  test('sets version 5 and the RFC 4122 variant', () => {
    expect(exclusionItemId('rmm/desktopnow|dev-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('the same searchKey always gives the same item id, and different keys differ', () => {
    expect(exclusionItemId('rmm/desktopnow|dev-1')).toBe(exclusionItemId('rmm/desktopnow|dev-1'));
    expect(exclusionItemId('rmm/desktopnow|dev-1')).not.toBe(exclusionItemId('rmm/desktopnow|dev-2'));
  });

  test('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5('not-a-uuid', 'x')).toThrow(/Not a UUID/);
  });
});
