/** The DesktopNow hunt in DuckDB SQL (has as a case-insensitive regex on term boundaries), shared by the engine benchmarks. */
export const HUNT_SQL = `SELECT DeviceId, DeviceName, epoch_ns(min(Timestamp)) AS FirstSeen, epoch_ns(max(Timestamp)) AS LastSeen,
  list(DISTINCT ReportId) AS Report, count(*) AS Count
FROM certs
WHERE Timestamp BETWEEN $1::TIMESTAMP_NS AND $2::TIMESTAMP_NS
  AND regexp_matches(Signer, '(?:^|[^\\pL\\pN])nch software(?:$|[^\\pL\\pN])', 'i')
GROUP BY DeviceId, DeviceName`;

/** The benchmark file's columns, typed for read_json. */
export const CERTIFICATE_COLUMNS_SQL = `{
      Timestamp: 'TIMESTAMP_NS', DeviceId: 'VARCHAR', DeviceName: 'VARCHAR', SHA1: 'VARCHAR', IsSigned: 'BOOLEAN',
      SignatureType: 'VARCHAR', Signer: 'VARCHAR', SignerHash: 'VARCHAR', Issuer: 'VARCHAR', IsTrusted: 'BOOLEAN', ReportId: 'BIGINT'}`;
