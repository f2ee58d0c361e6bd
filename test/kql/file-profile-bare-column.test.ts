import { checkQuery, warmUpKql } from '../../src/kql';
import { records, run } from './helpers';

beforeAll(warmUpKql);

const codes = (kql: string): string[] => checkQuery(kql).map((d) => d.code);

describe('invoke FileProfile(SHA1, 1000): the documented bare-column form passes the parser check', () => {
  it('accepts each documented file ID column by name, and the forms that already passed', () => {
    expect(codes('DeviceFileEvents | invoke FileProfile(SHA1, 1000)')).toEqual([]);
    expect(codes('DeviceFileEvents | invoke FileProfile(SHA256, 1000)')).toEqual([]);
    expect(codes('DeviceProcessEvents | invoke FileProfile(InitiatingProcessSHA1, 1000) | where GlobalPrevalence < 15')).toEqual([]);
    expect(codes('DeviceProcessEvents | invoke FileProfile(InitiatingProcessSHA256)')).toEqual([]);
    expect(codes('DeviceFileEvents | invoke FileProfile()')).toEqual([]);
    expect(codes('DeviceFileEvents | invoke FileProfile("SHA1", 1000)')).toEqual([]);
  });

  it('still reports a file ID column the rows do not have, and a column FileProfile does not take', () => {
    expect(codes('DeviceFileEvents | project FileName | invoke FileProfile(SHA1, 1000)')).toEqual(['KS142']);
    expect(codes('DeviceFileEvents | invoke FileProfile(FileName, 1000)')).toEqual(['KS142']);
    expect(codes('DeviceFileEvents | invoke FileProfile(Sha1, 1000)')).toEqual(['KS142']);
  });
});

describe('invoke FileProfile with a bare column runs locally', () => {
  const tables = {
    DeviceProcessEvents: [
      { Timestamp: '2024-05-01T00:00:00Z', DeviceName: 'a', FileName: 'x.exe', SHA1: 'aa11', InitiatingProcessSHA1: 'cc33', InitiatingProcessSHA256: 'dd44' },
      { Timestamp: '2024-05-01T00:00:00Z', DeviceName: 'b', FileName: 'y.exe', SHA1: 'bb22', InitiatingProcessSHA1: 'aa11', InitiatingProcessSHA256: 'ee55' },
    ],
    FileProfile: [
      { Timestamp: '2024-05-01T00:00:00Z', SHA1: 'aa11', GlobalPrevalence: 3, Signer: 'Contoso' },
      { Timestamp: '2024-05-01T00:00:00Z', SHA1: 'cc33', SHA256: 'DD44', GlobalPrevalence: 90000, Signer: 'Microsoft Windows' },
    ],
  };

  it('the documented low-prevalence example: distinct SHA1 | invoke FileProfile(SHA1, 1000) | where GlobalPrevalence < 15', () => {
    const result = run('DeviceProcessEvents | distinct SHA1 | invoke FileProfile(SHA1, 1000) | where GlobalPrevalence < 15 | project SHA1, GlobalPrevalence, Signer', tables);
    expect(records(result)).toEqual([{ SHA1: 'aa11', GlobalPrevalence: 3, Signer: 'Contoso' }]);
  });

  it('keys the profile by the column it is given: InitiatingProcessSHA1 by SHA1, InitiatingProcessSHA256 by SHA256', () => {
    const bySha1 = run('DeviceProcessEvents | invoke FileProfile(InitiatingProcessSHA1, 1000) | project FileName, GlobalPrevalence | order by FileName asc', tables);
    expect(records(bySha1)).toEqual([
      { FileName: 'x.exe', GlobalPrevalence: 90000 },
      { FileName: 'y.exe', GlobalPrevalence: 3 },
    ]);
    const bySha256 = run('DeviceProcessEvents | invoke FileProfile(InitiatingProcessSHA256) | project FileName, Signer | order by FileName asc', tables);
    expect(records(bySha256)).toEqual([
      { FileName: 'x.exe', Signer: 'Microsoft Windows' },
      { FileName: 'y.exe', Signer: '' },
    ]);
  });
});
