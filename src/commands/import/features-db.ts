import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';

/**
 * Reads the `features` table of a SpecFlow `features.db` with sql.js (SQLite as WebAssembly:
 * nothing to compile, no prebuilt binary to download). Read-only: the file's bytes are loaded
 * into memory and the database on disk is never opened for writing.
 */
export type FeatureRow = Record<string, unknown>;

export interface FeaturesTable {
  columns: string[];
  rows: FeatureRow[];
  /** A write-ahead log next to the file holds changes the file may not have yet. */
  walPending: boolean;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export async function readFeaturesTable(file: string, shown: string): Promise<FeaturesTable> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`${shown} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'Name the SpecFlow database, e.g. `specflow import .specflow/features.db`.', 'import.unreadable');
  }
  if (bytes.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC)
    throw new UsageError(`${shown} is not a SQLite database`, 'SpecFlow keeps its state in .specflow/features.db.', 'import.not-sqlite');
  const { default: initSqlJs } = await import('sql.js');
  const SQL = await initSqlJs();
  const db = new SQL.Database(new Uint8Array(bytes));
  try {
    const info = db.exec('PRAGMA table_info(features)')[0];
    const columns = (info?.values ?? []).map((row) => String(row[1]));
    if (!columns.includes('id'))
      throw new UsageError(`${shown} has no features table with an id column`, 'Is this a SpecFlow features.db?', 'import.no-features');
    const result = db.exec('SELECT * FROM features')[0];
    const rows = (result?.values ?? []).map((values) => Object.fromEntries((result?.columns ?? []).map((c, i) => [c, values[i]])));
    return { columns, rows, walPending: walPending(file) };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${shown} cannot be read as a SQLite database (${(e as Error).message})`, undefined, 'import.unreadable');
  } finally {
    db.close();
  }
}

function walPending(file: string): boolean {
  try {
    return statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}
