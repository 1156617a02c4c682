import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { boardFile } from '../board/render.js';
import { BOARD_CSS } from '../board/style.js';
import type { BoardResult, CommandResult } from '../core/command-results.js';
import { EXIT } from '../core/errors.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { readBoardAddress } from '../store/board-address.js';
import { findRepoRoot } from '../tree/repo.js';
import type { Context } from '../ui/context.js';
import { gatherBoard } from './board-data.js';

/**
 * `specflow board [--open] [--out FILE]`: the address of the board the running specflowd serves
 * (exit 1, saying how to start it, when none runs), `--open` starts a browser on it, `--out`
 * writes the same board as one self-contained HTML file (no script, no network) for CI.
 */
export async function board(ctx: Context, o: { open?: boolean; out?: string }): Promise<CommandResult<BoardResult>> {
  const root = findRepoRoot(ctx.cwd);
  const address = readBoardAddress(root);
  const url = address?.url ?? null;
  if (o.out !== undefined) {
    const data = await gatherBoard(root);
    const hash = `sha256-${createHash('sha256').update(BOARD_CSS).digest('base64')}`;
    const text = boardFile(data, { css: BOARD_CSS, hash });
    const file = resolve(ctx.cwd, o.out);
    writeFileAtomic(file, text, { durable: false });
    return { exitCode: EXIT.ok, data: { running: url !== null, url, opened: false, out: { file, bytes: Buffer.byteLength(text), features: data.features.length } } };
  }
  if (url === null) return { exitCode: EXIT.failed, data: { running: false, url, opened: false, out: null } };
  const opened = o.open ? await openBrowser(url) : false;
  const notes = o.open && !opened ? ['specflow board: could not start a browser; open the address yourself (or set BROWSER)'] : [];
  return { exitCode: EXIT.ok, data: { running: true, url, opened, out: null }, notes };
}

/** `$BROWSER` when set (as git and many tools honour it), else the platform's opener. */
function openBrowser(url: string): Promise<boolean> {
  const browser = process.env.BROWSER;
  const [cmd, args] = browser
    ? [browser, [url]]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  return new Promise((done) => {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.once('error', () => done(false));
    child.once('spawn', () => {
      child.unref();
      done(true);
    });
  });
}
