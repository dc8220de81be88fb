import { AgeError } from './age-error';

const BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const PADDED_LINE = /^[A-Za-z0-9+/=]+$/;
const OUTSIDE_WHITESPACE = /^[ \t\r\n]*|[ \t\r\n]*$/g;

/** Whether `file` looks armored: its first non-blank bytes are the PEM begin line. */
export function isArmored(file: Uint8Array): boolean {
  const head = Buffer.from(file.buffer, file.byteOffset, Math.min(file.byteLength, 256)).toString('latin1');
  return head.replace(/^[ \t\r\n]+/, '').startsWith(BEGIN);
}

/** The ASCII armor of an age file: strict PEM (RFC 7468), padded base64 in 64-column lines. */
export function armor(file: Uint8Array): string {
  const b64 = Buffer.from(file).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += COLUMNS) lines.push(b64.slice(i, i + COLUMNS));
  return [BEGIN, ...lines, END, ''].join('\n');
}

/**
 * Reads armor strictly, as the spec asks so that armored files are not malleable: whitespace only
 * around the block, LF or CRLF line ends, no headers, every line but the last exactly 64 columns,
 * canonical padded base64.
 */
export function dearmor(text: Uint8Array | string): Buffer {
  const s = (typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1')).replace(OUTSIDE_WHITESPACE, '');
  const lines = s.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[0] !== BEGIN) throw new AgeError('armor', 'the armor does not start with the age begin line');
  if (lines.length < 2 || lines[lines.length - 1] !== END) throw new AgeError('armor', 'the armor does not end with the age end line');
  const body = lines.slice(1, -1);
  for (const [i, line] of body.entries()) {
    if (!PADDED_LINE.test(line)) throw new AgeError('armor', 'an armor line is empty or holds a character that is not base64');
    if (line.length > COLUMNS || (i < body.length - 1 && line.length !== COLUMNS)) throw new AgeError('armor', 'armor lines must be 64 columns, the last one at most');
  }
  const b64 = body.join('');
  if (b64.length % 4 !== 0) throw new AgeError('armor', 'the armored base64 is not padded');
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.toString('base64') !== b64) throw new AgeError('armor', 'the armored base64 is not canonical');
  return bytes;
}
