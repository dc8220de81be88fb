/**
 * Text in a DICOM data set is encoded per its Specific Character Set (0008,0005), PS3.3 C.12.1.1.2.
 * Maps the defined terms to WHATWG encoding labels, so names in Japanese, Chinese, Korean, Cyrillic
 * ... are indexed as the modality wrote them. Unknown or absent: the default repertoire, read as Latin-1
 * (a superset of ASCII that never fails).
 */
const SINGLE_BYTE: Record<string, string> = {
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

export function encodingOf(specificCharacterSet: string | undefined): string {
  const terms = (specificCharacterSet ?? '').split('\\').map((t) => t.trim()).filter(Boolean);
  // Code extensions (ISO 2022, escape sequences inside values): decoders that follow the escapes.
  if (terms.some((t) => /^ISO 2022 IR (87|159)$/.test(t))) return 'iso-2022-jp';
  if (terms.includes('ISO 2022 IR 149')) return 'euc-kr';
  if (terms.includes('ISO 2022 IR 58')) return 'gbk';
  const first = terms[0]?.replace(/^ISO 2022 IR /, 'ISO_IR ');
  return (first && SINGLE_BYTE[first]) || 'latin1';
}

const decoders = new Map<string, TextDecoder>();

export function decodeText(bytes: Uint8Array, encoding: string): string {
  let decoder = decoders.get(encoding);
  if (!decoder) decoders.set(encoding, (decoder = new TextDecoder(encoding)));
  return decoder.decode(bytes);
}
