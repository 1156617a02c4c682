import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The rooms of src/ and what each may import. A room imports only rooms below it; core is pure
// (no file system, no processes, no clock); the hook and the daemon never load a command; only
// ui writes to the terminal; the MCP SDK is loaded by mcp/ alone. See README "Development".
const ROOMS = ['core', 'store', 'tree', 'git', 'reconcile', 'ui', 'board', 'commands', 'hook', 'daemon', 'mcp', 'cli'];
const IO_MODULES = ['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'os', 'worker_threads', 'process', 'v8', 'vm', 'readline', 'tty'];
const mayImport = {
  core: [],
  store: ['core'],
  tree: ['core', 'store'],
  git: ['core', 'store', 'tree'],
  reconcile: ['core', 'store', 'tree', 'git'],
  ui: ['core'],
  // The board's pages: pure rendering of typed data, like ui/present but HTML.
  board: ['core'],
  commands: ['core', 'store', 'tree', 'git', 'reconcile', 'ui', 'board'],
  hook: ['core', 'store', 'tree', 'git', 'ui'],
  daemon: ['core', 'store', 'tree', 'git', 'reconcile', 'ui', 'board'],
  mcp: ['core', 'ui', 'commands'],
  cli: ['core', 'ui', 'commands', 'hook', 'mcp'],
};
const MCP = ['@modelcontextprotocol/sdk/*', 'zod'];
const heavy = { hook: ['chokidar', 'pino', 'commander', 'markdown-it/lib/*'], core: ['chokidar', 'pino', 'commander'] };

function layering(room) {
  const banned = ROOMS.filter((r) => r !== room && !mayImport[room].includes(r));
  const patterns = [
    { group: banned.flatMap((r) => [`../${r}/*`, `../../${r}/*`]), message: `${room}/ may import only ${mayImport[room].join(', ') || 'itself'} (README "Development").` },
  ];
  const unwanted = [...(heavy[room] ?? []), ...(room === 'mcp' ? [] : MCP)];
  const paths = unwanted.filter((p) => !p.includes('*')).map((name) => ({ name, message: `${room}/ must not load ${name}.` }));
  const heavyGroups = unwanted.filter((p) => p.includes('*'));
  if (heavyGroups.length) patterns.push({ group: heavyGroups, message: `${room}/ must not load ${heavyGroups.join(', ')}.` });
  if (room === 'core' || room === 'board')
    paths.push(...IO_MODULES.flatMap((m) => [`node:${m}`, m]).map((name) => ({ name, message: `${room}/ is pure: no I/O; pass data in from store/, tree/ or git/.` })));
  return {
    files: [`src/${room}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // Nothing but ui/ writes to the terminal.
    files: ['src/**/*.ts'],
    ignores: ['src/ui/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'stdout', message: 'Write through src/ui/output.ts.' },
        { object: 'process', property: 'stderr', message: 'Write through src/ui/output.ts.' },
      ],
    },
  },
  ...ROOMS.map(layering),
  {
    // The one command the daemon loads: the board's data, gathered as `status`, `validate`,
    // `next` and `log` gather theirs, so that the served board and the CLI never disagree.
    files: ['src/daemon/board-server.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../commands/*', '!../commands/board-data.js'], message: 'daemon/board-server.ts may load only commands/board-data.js.' },
            { group: ['../cli/*', '../hook/*'], message: 'daemon/ may not import cli/ or hook/.' },
          ],
        },
      ],
    },
  },
  {
    // Scripts (build, bench, demo, corpus, compat) and the bin shims: plain Node ESM, linted
    // without type information.
    files: ['scripts/**/*.mjs', 'action/**/*.mjs', 'bin/**/*.js', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node, sourceType: 'module' },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-console': 'off' },
  },
  {
    files: ['test/**'],
    rules: { 'no-console': 'off' },
  },
);
