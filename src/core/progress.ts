/**
 * How long work reports how far it got: `done` of `total` items. Commands get one from their
 * context (ui/progress.ts draws it on a terminal, or does nothing) and hand it to their loops.
 */
export type OnProgress = (done: number, total: number) => void;
