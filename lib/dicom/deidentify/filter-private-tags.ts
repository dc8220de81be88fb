import type { DcmjsDataset, DcmjsElement } from './dcmjs-dataset';
import type { PrivateTagRef } from './schemas';

/** Whitelist by "GGGG|creator" → element offsets (low byte) kept in that block. */
export type PrivateWhitelist = ReadonlyMap<string, ReadonlySet<number>>;

export function privateWhitelist(refs: readonly PrivateTagRef[]): PrivateWhitelist {
  const map = new Map<string, Set<number>>();
  for (const ref of refs) {
    const key = `${ref.group.toString(16).toUpperCase().padStart(4, '0')}|${ref.creator.trim()}`;
    const set = map.get(key) ?? new Set<number>();
    set.add(ref.element);
    map.set(key, set);
  }
  return map;
}

/**
 * Removes the private attributes of one data set level (not its sequences' items) that the whitelist
 * does not name: the Basic Profile removes all private attributes (the table's "(GGGG,EEEE) X").
 * A data element (gggg,xxyy) is kept when its block's Private Creator (gggg,00xx) and its offset yy
 * are whitelisted for group gggg; the creator stays only if something of its block does. Elements
 * without a creator, and the reserved (gggg,0001–000F) and (gggg,0100–0FFF), always go.
 * Returns the counts; the tags kept are private sequences the caller still de-identifies inside.
 */
export function filterPrivateTags(dataset: DcmjsDataset, whitelist: PrivateWhitelist): { removed: number; kept: string[] } {
  const privateTags = Object.keys(dataset).filter(isPrivate);
  if (!privateTags.length) return { removed: 0, kept: [] };
  const creators = new Map<string, string>(); // "GGGGxx" → creator
  for (const tag of privateTags) {
    const element = parseInt(tag.slice(4), 16);
    if (element >= 0x10 && element <= 0xff) creators.set(tag.slice(0, 4) + tag.slice(6), creatorOf(dataset[tag]!));
  }
  const keptBlocks = new Set<string>();
  const kept: string[] = [];
  let removed = 0;
  for (const tag of privateTags) {
    const element = parseInt(tag.slice(4), 16);
    if (element >= 0x10 && element <= 0xff) continue;
    const block = tag.slice(0, 4) + tag.slice(4, 6);
    const creator = element >= 0x1000 ? creators.get(block) : undefined;
    if (creator !== undefined && whitelist.get(`${tag.slice(0, 4)}|${creator}`)?.has(parseInt(tag.slice(6), 16))) {
      keptBlocks.add(block);
      kept.push(tag);
    } else {
      delete dataset[tag];
      removed++;
    }
  }
  for (const tag of privateTags) {
    const element = parseInt(tag.slice(4), 16);
    if (element < 0x10 || element > 0xff || keptBlocks.has(tag.slice(0, 4) + tag.slice(6))) continue;
    delete dataset[tag];
    removed++;
  }
  return { removed, kept };
}

export function isPrivate(tag: string): boolean {
  // Odd groups; (0001,xxxx), (0003,xxxx), (0005,xxxx), (0007,xxxx) and (FFFF,xxxx) are not private but illegal, and go too.
  return (parseInt(tag.slice(3, 4), 16) & 1) === 1;
}

function creatorOf(element: DcmjsElement): string {
  const value = element.Value?.[0];
  const text = value instanceof ArrayBuffer ? Buffer.from(value).toString('latin1') : String(value ?? '');
  return text.replace(/[\0 ]+$/, '').trim();
}
