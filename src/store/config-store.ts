import { CONFIG_PATH, ConfigSyntaxError, defaultConfig, parseConfig, type ParsedConfig } from '../core/config.js';
import { error } from '../core/finding.js';
import { StateError } from '../core/errors.js';
import { readStateFile } from './state-file.js';

/**
 * The one reader of `.maestro/config.yaml`, for the CLI, doctor and the daemon. Absent is fine
 * (the defaults); present but unreadable (a directory, no permission, a symlink or FIFO: see
 * state-file.ts) or unparsable is a typed
 * failure, never the defaults: the CLI exits 3 with it, the daemon reports it and holds its
 * repairs back.
 */
export type ConfigRead =
  /** `text` undefined: there is no config file, `parsed` holds the defaults. */
  | { text: string | undefined; parsed: ParsedConfig }
  /** `text` undefined: the file could not be read; else it could not be parsed. */
  | { text: string | undefined; failure: StateError };

export function readConfig(root: string): ConfigRead {
  let text: string | undefined;
  try {
    text = readStateFile(root, { rel: CONFIG_PATH, notAFile: 'config.not-a-file', unreadable: 'config.unreadable' });
  } catch (e) {
    if (e instanceof StateError) return { text: undefined, failure: e };
    throw e;
  }
  if (text === undefined) return { text: undefined, parsed: { config: defaultConfig(), findings: [] } };
  try {
    return { text, parsed: parseConfigOrThrow(text) };
  } catch (e) {
    if (e instanceof StateError) return { text, failure: e };
    throw e;
  }
}

/** The config of the working tree; defaults when `.maestro/config.yaml` does not exist; exit 3 when it cannot be used. */
export function loadConfig(root: string): ParsedConfig {
  const read = readConfig(root);
  if ('failure' in read) throw read.failure;
  return read.parsed;
}

export function parseConfigOrThrow(text: string): ParsedConfig {
  try {
    return parseConfig(text);
  } catch (e) {
    if (e instanceof ConfigSyntaxError)
      throw new StateError(`${CONFIG_PATH} cannot be parsed`, 'config.unparsable', `Fix ${CONFIG_PATH} by hand, or restore it from git.`, [
        // The message without its `file:line:col:` prefix: the finding carries the place.
        error('config.unparsable', e.message.replace(/^[^\n]*?:\d+(:\d+)?: /, ''), { file: CONFIG_PATH, ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}) }),
      ]);
    throw e;
  }
}
