import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { RootsListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { UsageError } from '../core/errors.js';
import type { Context } from '../ui/context.js';

/**
 * Which repository the tools work in, in this order: `--repo DIR`; else the client's first
 * `file:` root, when the client offers roots (asked once, again after it says they changed);
 * else the folder the client started the server in. Each command then finds the repository
 * around that folder as the command line does, and reads and writes nothing outside it.
 */
export function repositoryChooser(server: Server, cwd: string, repo: string | undefined): () => Promise<Context> {
  if (repo !== undefined) {
    const dir = resolve(cwd, repo);
    if (!isDirectory(dir)) throw new UsageError(`--repo: no such folder: ${dir}`, 'Name the repository the agent works in, e.g. `specflow mcp --repo .`.', 'usage.repo');
    return () => Promise.resolve({ cwd: dir });
  }
  let fromRoots: Promise<string | undefined> | undefined;
  server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
    fromRoots = undefined;
  });
  return async () => {
    if (!server.getClientCapabilities()?.roots) return { cwd };
    fromRoots ??= firstRoot(server);
    return { cwd: (await fromRoots) ?? cwd };
  };
}

async function firstRoot(server: Server): Promise<string | undefined> {
  try {
    const { roots } = await server.listRoots();
    const file = roots.find((r) => r.uri.startsWith('file:'));
    return file ? fileURLToPath(file.uri) : undefined;
  } catch {
    // A client that offers roots but cannot list them: the folder it started us in.
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
