import { error, type FindingCode } from './finding.js';
import type { FeatureDocument } from './gates.js';

/**
 * Turning a document's bytes into text, the same way whether the bytes came from the working
 * tree, the index or a commit: too large, binary and non-UTF-8 documents become findings.
 */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeDocument(path: string, bytes: Uint8Array | undefined, size = bytes?.length ?? 0): FeatureDocument {
  if (bytes === undefined) return { path, text: undefined };
  if (size > MAX_DOCUMENT_BYTES)
    return tooLarge(path, size);
  if (bytes.includes(0))
    return { path, text: '', unreadable: error('doc.binary', `${path} is a binary file, not markdown`, { file: path, hint: 'Replace it with a markdown document.' }) };
  try {
    return { path, text: utf8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { path, text: '', unreadable: error('doc.encoding', `${path} is not valid UTF-8`, { file: path, hint: 'Save it as UTF-8.' }) };
  }
}

export function tooLarge(path: string, size: number): FeatureDocument {
  return {
    path,
    text: '',
    unreadable: error('doc.too-large', `${path} is ${(size / 1048576).toFixed(1)} MB; documents over ${MAX_DOCUMENT_BYTES / 1048576} MB are not read`, {
      file: path,
      hint: 'Split it, or move large material out of the feature folder.',
    }),
  };
}

export function unreadable(path: string, code: FindingCode, message: string, hint?: string): FeatureDocument {
  return { path, text: '', unreadable: error(code, message, { file: path, ...(hint ? { hint } : {}) }) };
}
