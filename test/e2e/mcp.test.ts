import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { GOOD_SPEC } from '../helpers/docs.js';
import { commit, F12_DIR, gateRepo, head, withApprovedSpec } from '../helpers/gate.js';
import { cleanupTempDirs, CLI, json, LEDGER, tempDir, type TestRepo } from '../helpers/repo.js';

/**
 * `specflow mcp` as agents meet it: the SDK's own client spawns the built command line over
 * stdio in a real repository and calls each tool; one test speaks the protocol by hand to see
 * that stdout carries nothing else and that the server leaves when its input closes.
 */
afterAll(cleanupTempDirs);
vi.setConfig({ testTimeout: 60_000 });

interface Session {
  client: Client;
  stderr: () => string;
  call: (name: string, args?: Record<string, unknown>) => Promise<{ result: CallToolResult; doc: Record<string, unknown> }>;
}

const open: Client[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) await client.close();
});

async function connect(repo: TestRepo, options: { args?: string[]; cwd?: string; env?: NodeJS.ProcessEnv; roots?: string[] } = {}): Promise<Session> {
  const env = Object.fromEntries(Object.entries({ ...repo.env, ...options.env }).filter((e): e is [string, string] => e[1] !== undefined));
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ...(options.args ?? [])], cwd: options.cwd ?? repo.dir, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'specflow-test', version: '1.0.0' }, options.roots ? { capabilities: { roots: {} } } : {});
  if (options.roots) {
    const roots = options.roots.map((dir) => ({ uri: pathToFileURL(dir).href, name: 'workspace' }));
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots }));
  }
  await client.connect(transport);
  open.push(client);
  return {
    client,
    stderr: () => stderr,
    call: async (name, args = {}) => {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
      const doc = JSON.parse(text) as Record<string, unknown>;
      // The text is the structured content, for clients that show only text.
      if (!result.isError || result.structuredContent) expect(result.structuredContent).toEqual(doc);
      return { result, doc };
    },
  };
}

/** F-12 registered, its spec written and approved, at `specify`, committed; the gate hooks installed. */
function specifiedRepo(): TestRepo {
  const repo = gateRepo();
  withApprovedSpec(repo);
  return repo;
}

const phaseOf = (repo: TestRepo, id: string) => new RegExp(`^  ${id}:\\n(?:    .*\\n)*?    phase: (\\w+)`, 'm').exec(repo.read(LEDGER))?.[1];
const codes = (doc: Record<string, unknown>) => (doc.findings as Finding[]).map((f) => f.code);

describe('specflow mcp', () => {
  it('lists the five tools, each with a description and an input schema, and no approval tool', async () => {
    const { client } = await connect(specifiedRepo());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['advance', 'log', 'next', 'status', 'validate']);
    for (const t of tools) {
      expect(t.description?.length, t.name).toBeGreaterThan(40);
      expect(t.inputSchema.type).toBe('object');
    }
    const advance = tools.find((t) => t.name === 'advance')!;
    expect(advance.inputSchema.required).toEqual(['phase']);
    expect((advance.inputSchema.properties?.phase as { enum: string[] }).enum).toEqual(['specify', 'plan', 'tasks', 'implement', 'complete']);
    expect(advance.annotations?.readOnlyHint).toBe(false);
    expect(tools.filter((t) => t.name !== 'advance').every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(client.getInstructions()).toContain('specflow approve');
  });

  it('writes only protocol messages on stdout, logs nothing, and exits 0 when its input closes', async () => {
    const repo = specifiedRepo();
    const child = spawn(process.execPath, [CLI, 'mcp'], { cwd: repo.dir, env: repo.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    const answered = (id: number) => vi.waitUntil(() => stdout.split('\n').some((l) => l.includes(`"id":${id}`)), { timeout: 30_000, interval: 20 });
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'by-hand', version: '0' } } });
    await answered(1);
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'status', arguments: { feature: 'F-12' } } });
    await answered(2);
    child.stdin.end();
    expect(await exited).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as { jsonrpc: string; id: number }).id)).toEqual([1, 2]);
    expect(JSON.parse(lines[1]!)).toMatchObject({ result: { structuredContent: { ok: true, id: 'F-12', phase: 'specify' } } });
    expect(stderr).toBe('');
  });

  it('status, next and validate answer with the same data as --json', async () => {
    const repo = specifiedRepo();
    repo.cli(['add', 'Search', '--id', 'F-3', '--priority', '1']);
    const { call } = await connect(repo);

    const all = await call('status');
    expect(all.result.isError).toBeFalsy();
    expect(all.doc).toEqual(json(repo.cli(['status', '--json'])));
    expect((all.doc.features as { id: string }[]).map((f) => f.id)).toEqual(['F-3', 'F-12']);

    const one = await call('status', { feature: 'f-12' });
    expect(one.doc).toMatchObject({ ok: true, id: 'F-12', phase: 'specify', tasks: null });
    expect(one.doc).toEqual(json(repo.cli(['status', 'F-12', '--json'])));

    const next = await call('next');
    expect(next.doc).toMatchObject({ ok: true, id: 'F-3', command: 'specflow specify F-3' });

    // F-12 stands at specify; its next gate (plan) is advice. F-3 has no spec yet: its gate does not hold.
    const f12 = await call('validate', { feature: 'F-12' });
    expect(f12.result.isError).toBeFalsy();
    expect(f12.doc).toEqual(json(repo.cli(['validate', 'F-12', '--json'])));
    expect(f12.doc).toMatchObject({ ok: true, summary: { features: 1, errors: 0 } });
    const every = await call('validate');
    expect(every.doc).toEqual(json(repo.cli(['validate', '--json'])));
  });

  it('a refused advance is a normal result with the findings, and records nothing', async () => {
    const repo = specifiedRepo();
    const { call } = await connect(repo);
    const before = repo.read(LEDGER);
    const { result, doc } = await call('advance', { feature: 'F-12', phase: 'plan' });
    expect(result.isError).toBeFalsy();
    expect(doc).toMatchObject({ ok: false, id: 'F-12', from: 'specify', to: 'plan', changed: false, written: `${F12_DIR}/plan.md` });
    expect(codes(doc)).toContain('plan.section.empty');
    expect((doc.findings as Finding[]).every((f) => f.file === `${F12_DIR}/plan.md` && f.feature === 'F-12')).toBe(true);
    expect(repo.read(LEDGER)).toBe(before);
    // The template written is the one the command line writes: the agent fills it in.
    expect(repo.read(`${F12_DIR}/plan.md`)).toContain('F-12');
  });

  it('a passing advance records the phase in the ledger; log then shows it once committed', async () => {
    const repo = gateRepo();
    repo.cli(['add', 'Vector Configuration', '--id', 'F-12']);
    commit(repo, 'F-12: register', { expect: 0 });
    repo.write(`${F12_DIR}/spec.md`, GOOD_SPEC);
    const { call } = await connect(repo);

    const { result, doc } = await call('advance', { feature: 'F-12', phase: 'specify' });
    expect(result.isError).toBeFalsy();
    expect(doc).toEqual({ ok: true, id: 'F-12', from: 'none', to: 'specify', changed: true, written: null, findings: [] });
    expect(phaseOf(repo, 'F-12')).toBe('specify');

    // Asked again: nothing to do, nothing written.
    const again = await call('advance', { feature: 'F-12', phase: 'specify' });
    expect(again.doc).toMatchObject({ ok: true, changed: false });

    commit(repo, 'F-12: specify', { expect: 0 });
    const trail = await call('log', { feature: 'F-12' });
    expect(trail.result.isError).toBeFalsy();
    expect(trail.doc).toMatchObject({ ok: true, feature: 'F-12', changes: [{ commit: head(repo), from: 'none', to: 'specify', gate: 'held', trailer: true }] });
    expect(trail.doc).toEqual(json(repo.cli(['log', 'F-12', '--json'])));
  });

  it('advance only moves forward', async () => {
    const repo = specifiedRepo();
    const { client, call } = await connect(repo);
    const same = await call('advance', { feature: 'F-12', phase: 'specify' });
    expect(same.doc).toMatchObject({ ok: true, from: 'specify', to: 'specify', changed: false });
    // `none` is not a forward phase: the input schema refuses it before any command runs (the SDK's message).
    const back = (await client.callTool({ name: 'advance', arguments: { feature: 'F-12', phase: 'none' } })) as CallToolResult;
    expect(back.isError).toBe(true);
    expect(back.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/"specify"\|"plan".*phase/) as string });
    expect(phaseOf(repo, 'F-12')).toBe('specify');
  });

  it('an unknown feature is a tool error naming it, with the code and exit code of the command line', async () => {
    const repo = specifiedRepo();
    const { call } = await connect(repo);
    for (const [tool, extra] of [
      ['status', {}],
      ['validate', {}],
      ['advance', { phase: 'plan' }],
      ['log', {}],
    ] as const) {
      const { result, doc } = await call(tool, { feature: 'F-99', ...extra });
      expect(result.isError, tool).toBe(true);
      expect(doc, tool).toMatchObject({ ok: false, error: { code: 'feature.unknown', message: 'unknown feature "F-99"', hint: 'Known features: F-12' }, exit_code: 2 });
    }
  });

  it('an unreadable ledger is a tool error with its code and exit code 3', async () => {
    const repo = specifiedRepo();
    const { call } = await connect(repo);
    repo.write(LEDGER, 'version: 1\nfeatures:\n  F-12: [unclosed\n');
    for (const tool of ['status', 'next', 'validate']) {
      const { result, doc } = await call(tool);
      expect(result.isError, tool).toBe(true);
      expect(doc, tool).toMatchObject({ ok: false, exit_code: 3, error: { code: expect.stringMatching(/^ledger\./) as string } });
    }
  });

  it('advance takes the same ledger lock as the command line: busy is a tool error, exit code 4', async () => {
    const repo = gateRepo();
    repo.cli(['add', 'Vector Configuration', '--id', 'F-12']);
    repo.write(`${F12_DIR}/spec.md`, GOOD_SPEC);
    const { call } = await connect(repo, { env: { SPECFLOW_LOCK_TIMEOUT_MS: '300' } });
    // Held by a live process (this one), with no start time recorded: it is trusted to be the holder.
    writeFileSync(join(repo.dir, `${LEDGER}.lock`), `${process.pid}\n2026-01-01T00:00:00Z\n\n`);
    const { result, doc } = await call('advance', { feature: 'F-12', phase: 'specify' });
    expect(result.isError).toBe(true);
    expect(doc).toMatchObject({ ok: false, exit_code: 4, error: { code: 'busy' } });
    expect(phaseOf(repo, 'F-12')).toBe('none');
  });

  it('--repo picks the repository when the client starts the server elsewhere', async () => {
    const repo = specifiedRepo();
    const elsewhere = tempDir();
    const { call } = await connect(repo, { cwd: elsewhere, args: ['--repo', repo.dir] });
    expect((await call('status', { feature: 'F-12' })).doc).toMatchObject({ ok: true, phase: 'specify' });
    // Without it, a folder outside any repository is a tool error, not a crash.
    const lost = await connect(repo, { cwd: elsewhere });
    const { result, doc } = await lost.call('status');
    expect(result.isError).toBe(true);
    expect(doc).toMatchObject({ error: { code: 'repo.none' }, exit_code: 2 });
  });

  it("the client's first root picks the repository when there is no --repo", async () => {
    const repo = specifiedRepo();
    const { call } = await connect(repo, { cwd: tempDir(), roots: [repo.dir] });
    expect((await call('status', { feature: 'F-12' })).doc).toMatchObject({ ok: true, phase: 'specify' });
  });

  it('--repo naming no folder stops at start-up with exit 2 and a message on stderr', () => {
    const repo = specifiedRepo();
    const r = repo.cli(['mcp', '--repo', 'no-such-folder'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`--repo: no such folder: ${join(repo.dir, 'no-such-folder')}`);
  });
});
