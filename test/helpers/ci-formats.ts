import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { PROJECT_ROOT, tempDir } from './repo.js';

/**
 * Validators for the CI formats: SARIF against the 2.1.0 JSON schema (a test fixture, read with
 * ajv), JUnit XML against a JUnit XSD (a test fixture, checked with xmllint from Debian's
 * libxml2-utils, which .ci/run installs when it is missing).
 */
const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures');
export const XMLLINT_INSTALL = 'apt-get install -y libxml2-utils';
export const hasXmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;

let sarifSchema: ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null } | undefined;

/** The schema's errors for `log`, empty when it is valid SARIF 2.1.0. */
export function sarifErrors(log: unknown): string[] {
  if (!sarifSchema) {
    const ajv = new Ajv.default({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats.default(ajv);
    sarifSchema = ajv.compile(JSON.parse(readFileSync(join(FIXTURES, 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as object);
  }
  return sarifSchema(log) ? [] : (sarifSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** xmllint's complaint about `xml` against the JUnit XSD; empty when it validates. */
export function junitErrors(xml: string): string {
  const file = join(tempDir('specflow-junit-'), 'report.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', join(FIXTURES, 'junit', 'junit.xsd'), file], { encoding: 'utf8' });
  return r.status === 0 ? '' : `${r.stderr}${r.stdout}`;
}
