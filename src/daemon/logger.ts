import { renameSync, statSync } from 'node:fs';
import type { Logger } from 'pino';

/**
 * pino JSON lines in `.maestro/run/specflowd.log`. pino is loaded here only, so the CLI and
 * the hooks never pay for it. Writes are synchronous: a line is on disk before the daemon
 * moves on, so the log is complete up to a crash. The log is rotated once it grows past a
 * limit (one previous file kept), so a daemon left running for months does not fill the disk.
 */
export interface DaemonLog {
  logger: Logger;
  /** Moves a large log aside and reopens the file. */
  rotate(): void;
  flush(): void;
}

const MAX_LOG_BYTES = 10 * 1024 * 1024;

export async function openLog(file: string): Promise<DaemonLog> {
  const { pino } = await import('pino');
  rotateFile(file);
  const dest = pino.destination({ dest: file, sync: true, mkdir: true, append: true });
  const logger = pino(
    {
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    dest,
  );
  return {
    logger,
    rotate() {
      if (rotateFile(file)) dest.reopen();
    },
    flush() {
      dest.flushSync();
    },
  };
}

function rotateFile(file: string): boolean {
  try {
    if (statSync(file).size < MAX_LOG_BYTES) return false;
    renameSync(file, `${file}.1`);
    return true;
  } catch {
    return false;
  }
}
