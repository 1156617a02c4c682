import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { repositoryChooser } from './repository.js';
import { registerTools } from './tools.js';

/**
 * `specflow mcp`: a Model Context Protocol server on stdin/stdout (DESIGN §11). stdout carries
 * the protocol and nothing else: commands return data, and nothing here prints. Resolves when
 * the client goes away (it closes our stdin, or the connection closes).
 */
const INSTRUCTIONS = [
  'specflow keeps the phase of each spec-driven feature in .maestro/ledger.yaml, and git hooks refuse commits that move a phase past documents that fail its gate.',
  'Ask the gate instead of guessing: `next` or `status` to find the work, `validate` to see what blocks a feature, `advance` to record a phase once its documents pass.',
  'Never edit phases in the ledger by hand. Approving a spec is a person\'s act: ask the user to run `specflow approve <id>`.',
].join(' ');

export interface McpOptions {
  /** The folder the server was started in. */
  cwd: string;
  /** `--repo DIR`: the repository to work in, whatever the client says. */
  repo?: string;
}

export async function serveMcp(options: McpOptions): Promise<void> {
  const server = new McpServer({ name: 'specflow', version: SPECFLOW_VERSION }, { instructions: INSTRUCTIONS });
  registerTools(server, repositoryChooser(server.server, options.cwd, options.repo));
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  // The transport does not watch for the end of its input; a client that closes it is gone.
  process.stdin.once('end', () => void server.close());
  await closed;
}
