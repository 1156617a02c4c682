import { closeSync, constants, fstatSync, openSync, readSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { processStartTime, pidAlive } from './lock.js';
import { ensureRunDir, RUN_DIR } from './run-dir.js';

/**
 * Where the running specflowd serves the board: `.maestro/run/board.json`, written by the
 * daemon once it listens (like its other run files: a new file renamed into place, never
 * through a symlink) and removed when it stops. `specflow board` reads it, and trusts it only
 * while the process that wrote it is still that process.
 */
export const BOARD_ADDRESS_PATH = `${RUN_DIR}/board.json`;

export interface BoardAddress {
  /** `http://127.0.0.1:<port>/<token>/` */
  url: string;
  port: number;
  pid: number;
  /** The daemon's process start time (see store/lock.ts), to tell a reused pid. */
  startTime: string | null;
}

export function writeBoardAddress(root: string, address: BoardAddress): void {
  ensureRunDir(root);
  writeFileAtomic(join(root, BOARD_ADDRESS_PATH), `${JSON.stringify(address, null, 2)}\n`, { durable: false });
}

export function removeBoardAddress(root: string, pid: number): void {
  const path = join(root, BOARD_ADDRESS_PATH);
  if (readAddress(path)?.pid === pid) {
    try {
      unlinkSync(path);
    } catch {
      /* already gone */
    }
  }
}

/** The address of a board that is being served now, or undefined. */
export function readBoardAddress(root: string): BoardAddress | undefined {
  const a = readAddress(join(root, BOARD_ADDRESS_PATH));
  if (!a || !pidAlive(a.pid)) return undefined;
  const start = processStartTime(a.pid);
  return a.startTime && start && start !== a.startTime ? undefined : a;
}

/** Read without following a symlink or waiting on a FIFO; anything odd reads as no address. */
function readAddress(path: string): BoardAddress | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > 4096) return undefined;
    const buf = Buffer.alloc(st.size);
    readSync(fd, buf, 0, st.size, 0);
    const a = JSON.parse(buf.toString('utf8')) as Partial<BoardAddress>;
    if (typeof a.url !== 'string' || !/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]+\/$/.test(a.url) || typeof a.port !== 'number' || typeof a.pid !== 'number') return undefined;
    return { url: a.url, port: a.port, pid: a.pid, startTime: typeof a.startTime === 'string' ? a.startTime : null };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
