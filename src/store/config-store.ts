import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_PATH, ConfigSyntaxError, defaultConfig, parseConfig, type ParsedConfig } from '../core/config.js';
import { error } from '../core/finding.js';
import { StateError } from '../core/errors.js';

/** The config of the working tree; defaults when `.maestro/config.yaml` does not exist. */
export function loadConfig(root: string): ParsedConfig {
  let text: string;
  try {
    text = readFileSync(join(root, CONFIG_PATH), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { config: defaultConfig(), findings: [] };
    throw new StateError(`${CONFIG_PATH}: cannot be read (${(e as Error).message})`, 'config.unreadable');
  }
  return parseConfigOrThrow(text);
}

export function parseConfigOrThrow(text: string): ParsedConfig {
  try {
    return parseConfig(text);
  } catch (e) {
    if (e instanceof ConfigSyntaxError)
      throw new StateError(e.message, 'config.unparsable', `Fix ${CONFIG_PATH}; nothing was written.`, [
        error('config.unparsable', e.message, { file: CONFIG_PATH, ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}) }),
      ]);
    throw e;
  }
}
