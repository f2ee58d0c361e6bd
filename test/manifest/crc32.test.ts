import { crc32 } from '../../src/packaging/crc32';

describe('crc32', () => {
  test('gives the standard check value for "123456789"', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  test('can continue over several buffers', () => {
    expect(crc32(Buffer.from('56789'), crc32(Buffer.from('1234')))).toBe(0xcbf43926);
  });
});
