// Where the commit log lives inside a StorageAdapter (docs/storage-format.md §Files):
//   log/<seq>    one log record per persisted commit group, <seq> as 16 decimal digits
//   snap/<seq>   a snapshot of the database as of log record <seq>
//   storage/...  uploaded files and their .attrs sidecars (storage/files.ts; PocketBase's layout)
export const LOG_DIR = "log";
export const SNAP_DIR = "snap";
export const FILES_DIR = "storage";

const WIDTH = 16;

export function seqName(seq: number): string {
  return String(seq).padStart(WIDTH, "0");
}

export const logPath = (seq: number) => `${LOG_DIR}/${seqName(seq)}`;
export const snapPath = (seq: number) => `${SNAP_DIR}/${seqName(seq)}`;

/** The sequence number a file name stands for, or null for anything else (e.g. a swap file). */
export function parseSeqName(name: string): number | null {
  if (name.length !== WIDTH || !/^[0-9]+$/.test(name)) return null;
  const n = Number(name);
  return Number.isSafeInteger(n) ? n : null;
}
