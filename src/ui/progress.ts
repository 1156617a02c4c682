import type { OnProgress } from '../core/progress.js';

/** Below this many items the work is short: no progress line. */
export const PROGRESS_MIN_ITEMS = 200;
/** At most one redraw per this many milliseconds (the first and the last are always drawn). */
const REDRAW_MS = 100;

/**
 * A progress line on stderr, `label done/total`, redrawn in place, cleared when the work is
 * done — only when stderr is a terminal and the work is long. Otherwise (a pipe, a file, CI,
 * a hook) it prints nothing at all.
 */
export function progressLine(label: string, stream: NodeJS.WriteStream = process.stderr): OnProgress {
  if (stream.isTTY !== true) return () => {};
  let last = 0;
  let shown = false;
  return (done, total) => {
    if (total < PROGRESS_MIN_ITEMS) return;
    const now = Date.now();
    if (done >= total) {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
      return;
    }
    if (shown && now - last < REDRAW_MS) return;
    last = now;
    shown = true;
    stream.write(`\r${label} ${done}/${total}\x1b[K`);
  };
}
