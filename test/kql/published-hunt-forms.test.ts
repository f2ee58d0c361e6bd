import { warmUpKql } from '../../src/kql';
import { records, run } from './helpers';

beforeAll(warmUpKql);

describe('forms published hunts use that the analyser accepts', () => {
  const events = {
    DeviceNetworkEvents: [
      { Timestamp: '2024-05-01T00:00:00Z', DeviceName: 'a', RemoteUrl: 'mail.google.com', RemoteIP: '10.0.0.1' },
      { Timestamp: '2024-05-01T00:01:00Z', DeviceName: 'a', RemoteUrl: 'mail.google.com', RemoteIP: '10.0.0.1' },
      { Timestamp: '2024-05-01T00:02:00Z', DeviceName: 'b', RemoteUrl: 'example.com', RemoteIP: '10.0.0.2' },
    ],
  };

  it('distinct with named and computed items: distinct DeviceName, URL = RemoteUrl, Host = toupper(DeviceName)', () => {
    const result = run('DeviceNetworkEvents | distinct DeviceName, URL = RemoteUrl, Host = toupper(DeviceName) | order by DeviceName asc', events);
    expect(records(result)).toEqual([
      { DeviceName: 'a', URL: 'mail.google.com', Host: 'A' },
      { DeviceName: 'b', URL: 'example.com', Host: 'B' },
    ]);
  });

  it('a let view() without parameters is referenced without parentheses: let V = view() { ... }; V | ...', () => {
    const result = run(
      `let WebMailUsage = view() { DeviceNetworkEvents | where RemoteUrl has "mail.google.com" };
      WebMailUsage | summarize n = count() by DeviceName`,
      events,
    );
    expect(records(result)).toEqual([{ DeviceName: 'a', n: 2 }]);
  });
});
