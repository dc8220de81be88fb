import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeBase64Raw, encodeBase64Raw } from './age-base64';
import { AgeError } from './age-error';
import { hkdf32 } from './age-primitives';

/** A recipient stanza: its arguments (the first names its type) and its body. */
export type Stanza = { args: string[]; body: Buffer };

export const VERSION_LINE = 'age-encryption.org/v1';
const COLUMNS = 64;
const VCHAR = /^[\x21-\x7e]+$/;
const BASE64_LINE = /^[A-Za-z0-9+/]*$/;
const MAC_LINE = /^--- ([A-Za-z0-9+/]{43})$/;

/** The header as read: its stanzas, its MAC, the bytes the MAC covers, and where the payload starts. */
export type ParsedHeader = { stanzas: Stanza[]; mac: Buffer; macInput: Buffer; payloadOffset: number };

/**
 * Parses the textual header strictly (the ABNF of the spec): anything else, including CRLF line ends,
 * non-canonical base64 or a body line over 64 columns, is a header failure.
 */
export function parseHeader(file: Uint8Array): ParsedHeader {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  let offset = 0;
  const nextLine = (): string => {
    const lf = bytes.indexOf(0x0a, offset);
    if (lf < 0) throw new AgeError('header', 'the header ends before its MAC line');
    const line = bytes.toString('latin1', offset, lf);
    offset = lf + 1;
    return line;
  };

  const version = nextLine();
  if (version !== VERSION_LINE) {
    throw new AgeError('header', version.startsWith('age-encryption.org/') ? `unsupported age version "${version.slice(19)}"` : 'not an age file');
  }
  const stanzas: Stanza[] = [];
  for (;;) {
    const lineStart = offset;
    const line = nextLine();
    if (line.startsWith('---')) {
      const match = MAC_LINE.exec(line);
      if (!match) throw new AgeError('header', 'malformed MAC line');
      if (!stanzas.length) throw new AgeError('header', 'the header has no recipient stanza');
      return { stanzas, mac: decodeBase64Raw(match[1]!, 'header MAC'), macInput: bytes.subarray(0, lineStart + 3), payloadOffset: offset };
    }
    if (!line.startsWith('-> ')) throw new AgeError('header', 'a header line is neither a stanza nor the MAC');
    const args = line.slice(3).split(' ');
    if (args.some((a) => !VCHAR.test(a))) throw new AgeError('header', 'a stanza argument is empty or holds a character that is not printable ASCII');
    let body = '';
    for (;;) {
      const bodyLine = nextLine();
      if (bodyLine.length > COLUMNS || !BASE64_LINE.test(bodyLine)) throw new AgeError('header', 'a stanza body line is not base64 of at most 64 columns');
      body += bodyLine;
      if (bodyLine.length < COLUMNS) break;
    }
    stanzas.push({ args, body: decodeBase64Raw(body, 'stanza body') });
  }
}

/** The header's text up to and including `---`: what the MAC covers. */
function headerWithoutMac(stanzas: Stanza[]): string {
  let text = `${VERSION_LINE}\n`;
  for (const { args, body } of stanzas) {
    text += `-> ${args.join(' ')}\n`;
    const encoded = encodeBase64Raw(body);
    // Wrapped at 64 columns, always ending with a shorter (possibly empty) line.
    for (let i = 0; ; i += COLUMNS) {
      const line = encoded.slice(i, i + COLUMNS);
      text += `${line}\n`;
      if (line.length < COLUMNS) break;
    }
  }
  return `${text}---`;
}

export function headerMac(fileKey: Uint8Array, macInput: Uint8Array): Buffer {
  return createHmac('sha256', hkdf32(fileKey, Buffer.alloc(0), 'header')).update(macInput).digest();
}

export function verifyHeaderMac(fileKey: Uint8Array, header: ParsedHeader): boolean {
  return timingSafeEqual(headerMac(fileKey, header.macInput), header.mac);
}

/** The whole header, MAC line included, for `stanzas` wrapping `fileKey`. */
export function formatHeader(fileKey: Uint8Array, stanzas: Stanza[]): Buffer {
  const macInput = Buffer.from(headerWithoutMac(stanzas), 'latin1');
  return Buffer.concat([macInput, Buffer.from(` ${encodeBase64Raw(headerMac(fileKey, macInput))}\n`, 'latin1')]);
}
