// When to write a snapshot. Recovery reads the newest snapshot (cost ∝ database size) and then
// replays every log record after it (cost ∝ number of records and their bytes), so a snapshot is
// due when the log since the last one is "as expensive" as the snapshot itself, or when it simply
// has too many files. Writing a snapshot costs about as much as reading it, so this also keeps the
// amortised snapshot cost per commit small for small databases and bounded for big ones.
//
// The numbers come from bench/browser (cold start with 1, 10 and 100 MB databases, see
// docs/storage-format.md §Snapshot policy for the measurements).
export interface SnapshotPolicy {
  /** Never snapshot for fewer records than this (small databases would snapshot constantly). */
  minLogs: number;
  /** Always snapshot at this many records (per-file costs dominate recovery beyond it). */
  maxLogs: number;
  /** Snapshot once the records since the last snapshot hold this fraction of the database size. */
  logBytesRatio: number;
}

export const DEFAULT_POLICY: SnapshotPolicy = {
  minLogs: 64,
  maxLogs: 1000,
  logBytesRatio: 0.5,
};

export function snapshotDue(policy: SnapshotPolicy, logs: number, logBytes: number, dbSize: number): boolean {
  if (logs < policy.minLogs) return false;
  return logs >= policy.maxLogs || logBytes >= policy.logBytesRatio * dbSize;
}
