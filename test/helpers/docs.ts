/** Small, complete documents for end-to-end tests; each passes its gate under the default config. */
export const GOOD_SPEC = `# Vector Configuration

## Problem

Operators tune vector search by editing three files by hand and restarting the service.

## Requirements

- One file holds every vector setting, validated on load.
- A bad value names the file and the line.
`;

export function goodPlan(opts: { omit?: string } = {}): string {
  const sections: Record<string, string> = {
    'Data models': 'A `VectorConfig` record: dimensions, metric, index type, and the file it came from.',
    'API/Interface design': 'A `loadVectorConfig(path)` function and a `vectors check` command.',
    'Error handling strategy': 'Every error carries the file and line; nothing is applied half-way.',
    'Failure modes': 'A missing file falls back to defaults and says so; a corrupt file stops start-up.',
    Dependencies: 'The yaml package for parsing; nothing else new.',
    'Testing strategy': 'Unit tests on the loader; one end-to-end test that starts the service.',
  };
  const body = Object.entries(sections)
    .filter(([name]) => name !== opts.omit)
    .map(([name, text]) => `## ${name}\n\n${text}\n`)
    .join('\n');
  return `# Vector Configuration — plan\n\n${body}\n## Principles\n\n| Principle | Applied |\n|---|---|\n| Code before prompts | ✅ |\n| Deterministic where possible | ✅ |\n| CLI-first interfaces | ✅ |\n`;
}

export const GOOD_TASKS = `# Vector Configuration — tasks

- [x] Write the loader
- [ ] Add the check command
- [ ] Document the settings
`;

export const DONE_TASKS = `# Vector Configuration — tasks

- [x] Write the loader
- [X] Add the check command
`;
