import { warmUpKql } from '../../src/kql';
import { records, run } from './helpers';

beforeAll(warmUpKql);

// The ipv4_lookup plugin page's IP_Data and IPs.
const IP_DATA = `let IP_Data = datatable(network:string, continent_code:string ,continent_name:string, country_iso_code:string, country_name:string)
[
  "111.68.128.0/17","AS","Asia","JP","Japan",
  "5.8.0.0/19","EU","Europe","RU","Russia",
  "223.255.254.0/24","AS","Asia","SG","Singapore",
  "46.36.200.51/32","OC","Oceania","CK","Cook Islands",
  "2.20.183.0/24","EU","Europe","GB","United Kingdom",
];
let IPs = datatable(ip:string)
[
  '2.20.183.12',   // United Kingdom
  '5.8.1.2',       // Russia
  '192.165.12.17', // Unknown
];`;

const UK = { ip: '2.20.183.12', network: '2.20.183.0/24', continent_code: 'EU', continent_name: 'Europe', country_iso_code: 'GB', country_name: 'United Kingdom' };
const RU = { ip: '5.8.1.2', network: '5.8.0.0/19', continent_code: 'EU', continent_name: 'Europe', country_iso_code: 'RU', country_name: 'Russia' };

describe('evaluate ipv4_lookup (ipv4_lookup plugin page)', () => {
  it('"IPv4 lookup - matching rows only"', () => {
    expect(records(run(`${IP_DATA} IPs | evaluate ipv4_lookup(IP_Data, ip, network)`))).toEqual([UK, RU]);
  });

  it('"IPv4 lookup - return both matching and non-matching rows"', () => {
    const result = run(`${IP_DATA} IPs | evaluate ipv4_lookup(IP_Data, ip, network, return_unmatched = true)`);
    expect(records(result)).toEqual([UK, RU, { ip: '192.165.12.17', network: '', continent_code: '', continent_name: '', country_iso_code: '', country_name: '' }]);
  });

  it('drops excluded networks as the published Rare_Outgoing_IPv4 hunt does (return_unmatched, then isempty)', () => {
    const result = run(`let ExcludedNets = datatable(ExcludedNet: string) ['100.0.0.0/16', '200.200.200.0/24'];
      datatable(RemoteIP:string)['100.0.3.4', '8.8.8.8', '200.200.200.9', '200.200.201.1']
      | evaluate ipv4_lookup(ExcludedNets, RemoteIP, ExcludedNet, return_unmatched = true)
      | where isempty(ExcludedNet)
      | project RemoteIP`);
    expect(records(result)).toEqual([{ RemoteIP: '8.8.8.8' }, { RemoteIP: '200.200.201.1' }]);
  });
});
