/** What every command receives: where it runs. How its result is shown is not its business. */
export interface Context {
  cwd: string;
}

export function makeContext(): Context {
  return { cwd: process.cwd() };
}
