import { processStartTime } from '../store/lock.js';
import { removeBoardAddress, writeBoardAddress } from '../store/board-address.js';
import { serveBoard, type BoardServer } from './board-server.js';

export type { BoardServer } from './board-server.js';

/**
 * The daemon's board: served on the port `SPECFLOWD_BOARD_PORT` names (default: any free one),
 * its address recorded in `.maestro/run/board.json` for `specflow board` and removed on stop.
 * A board that cannot listen is logged; the daemon runs on without it.
 */
export async function openBoard(root: string, fail: (e: Error, where: string) => void): Promise<BoardServer | undefined> {
  const port = Number(process.env.SPECFLOWD_BOARD_PORT ?? 0);
  let server: BoardServer;
  try {
    server = await serveBoard({ root, port: Number.isInteger(port) && port >= 0 && port < 65536 ? port : 0, onError: fail });
  } catch (e) {
    fail(e as Error, 'board');
    return undefined;
  }
  try {
    writeBoardAddress(root, { url: server.url, port: server.port, pid: process.pid, startTime: processStartTime(process.pid) ?? null });
  } catch (e) {
    fail(e as Error, 'board');
  }
  return {
    url: server.url,
    port: server.port,
    changed: () => server.changed(),
    close: async () => {
      removeBoardAddress(root, process.pid);
      await server.close();
    },
  };
}
