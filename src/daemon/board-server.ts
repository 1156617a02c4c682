import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BoardData } from '../board/model.js';
import type { BoardCache } from '../commands/board-data.js';

/**
 * What builds and renders the board, loaded with the first page asked for: a daemon whose board
 * nobody opens keeps only the listening socket (its idle memory is budget B5).
 */
const pages = async () => {
  const [data, render, live, style] = await Promise.all([import('../commands/board-data.js'), import('../board/render.js'), import('../board/live-script.js'), import('../board/style.js')]);
  return { ...data, ...render, LIVE_SCRIPT: live.LIVE_SCRIPT, BOARD_CSS: style.BOARD_CSS };
};

/**
 * The board, served by specflowd while it runs (DESIGN §10). Read-only by construction: it
 * listens on 127.0.0.1 only; every path starts with a token drawn at random when the daemon
 * starts; a request whose Host is not this address (DNS rebinding) or that lacks the token gets
 * 403; only GET and HEAD are answered; the pages carry a strict Content-Security-Policy (no
 * inline script, the one script is a file of this server). Pages are built from the repository
 * only when asked for after a change, so a board nobody looks at costs nothing. Open pages
 * follow changes through server-sent events.
 */
export interface BoardServer {
  url: string;
  port: number;
  /** A reconcile changed something: open pages are told if what they show changed. */
  changed(): void;
  /** Tells open pages the daemon stops, then closes every connection. */
  close(): Promise<void>;
}

export interface BoardServerOptions {
  root: string;
  /** 0: any free port. */
  port: number;
  onError: (e: Error, where: string) => void;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const COMMON_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export async function serveBoard(o: BoardServerOptions): Promise<BoardServer> {
  const token = randomBytes(24).toString('hex');
  const tokenBytes = Buffer.from(token);
  const base = `/${token}/`;
  let cache: BoardCache | undefined;
  const clients = new Set<ServerResponse>();
  let dirty = true;
  let built: { data: BoardData; digest: string } | undefined;
  let building: Promise<{ data: BoardData; digest: string }> | undefined;
  let port = 0;

  /** The board as of now: one build at a time, reused until a reconcile changes something. */
  const current = async (): Promise<{ data: BoardData; digest: string }> => {
    for (;;) {
      if (building) {
        await building.catch(() => undefined);
        continue;
      }
      if (!dirty && built) return built;
      dirty = false;
      building = pages().then(async (p) => {
        const c = (cache ??= p.boardCache());
        const data = await p.gatherBoard(o.root, c, false);
        built = { data, digest: String(c.generation) };
        return built;
      });
      try {
        return await building;
      } catch (e) {
        dirty = true;
        throw e;
      } finally {
        building = undefined;
      }
    }
  };

  const send = (res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
    res.end(body);
  };
  const deny = (res: ServerResponse) => send(res, 403, 'text/plain; charset=utf-8', 'Forbidden: open the address `specflow board` prints.\n');

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return deny(res);
    const path = (req.url ?? '').split('?')[0]!;
    const rest = tokenPath(path, tokenBytes);
    if (rest === undefined) return deny(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Only GET and HEAD: the board is read-only.\n', { Allow: 'GET, HEAD' });
    if (rest === 'events') return subscribe(req, res);
    const p = await pages();
    if (rest === 'style.css') return send(res, 200, 'text/css; charset=utf-8', p.BOARD_CSS);
    if (rest === 'live.js') return send(res, 200, 'text/javascript; charset=utf-8', p.LIVE_SCRIPT);
    if (rest === '') {
      const b = await current();
      return send(res, 200, 'text/html; charset=utf-8', p.boardPage(b.data, base, b.digest));
    }
    if (rest.startsWith('feature/')) {
      let id: string;
      try {
        id = decodeURIComponent(rest.slice('feature/'.length));
      } catch {
        return notFound(res);
      }
      const b = await current();
      const page = p.featurePage({ ...b.data, trail: await p.boardTrail(o.root, cache!) }, id, base, b.digest);
      return page === undefined ? notFound(res) : send(res, 200, 'text/html; charset=utf-8', page);
    }
    return notFound(res);
  };
  const notFound = (res: ServerResponse) => send(res, 404, 'text/plain; charset=utf-8', 'Not found.\n');

  const subscribe = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    if (req.method === 'HEAD') return void res.end();
    res.write('retry: 2000\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
    // What the board is now, so a page that missed a change (or reconnected) catches up.
    current().then(
      (b) => clients.has(res) && res.write(`event: change\ndata: ${b.digest}\n\n`),
      (e: Error) => o.onError(e, 'board'),
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      o.onError(e, 'board');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'The board could not be built; see .maestro/run/specflowd.log.\n');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => o.onError(e, 'board'));
  port = (server.address() as AddressInfo).port;

  const broadcast = (event: string, data: string) => {
    for (const c of clients) c.write(`event: ${event}\ndata: ${data}\n\n`);
  };

  return {
    url: `http://127.0.0.1:${port}${base}`,
    port,
    changed() {
      dirty = true;
      if (!clients.size) return;
      const before = built?.digest;
      current().then(
        (b) => b.digest !== before && broadcast('change', b.digest),
        (e: Error) => o.onError(e, 'board'),
      );
    },
    async close() {
      broadcast('stopped', '');
      for (const c of clients) c.end();
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The path after `/<token>/`, or undefined when the token is missing or wrong (compared in constant time). */
function tokenPath(path: string, token: Buffer): string | undefined {
  const m = /^\/([^/]*)\/(.*)$/.exec(path);
  if (!m) return undefined;
  const given = Buffer.from(m[1]!);
  if (given.length !== token.length || !timingSafeEqual(given, token)) return undefined;
  return m[2];
}
