import { describe, expect, it } from 'vitest';
import { SizedLru } from '@/lib/cache/sized-lru';

describe('SizedLru', () => {
  it('keeps the most recently used entries within its capacity', () => {
    const cache = new SizedLru<string>(10);
    cache.set('a', 'A', 4);
    cache.set('b', 'B', 4);
    expect(cache.get('a')).toBe('A'); // a is now the most recent
    cache.set('c', 'C', 4); // 12 > 10: the least recent (b) goes
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c')]).toEqual(['A', 'C']);
    expect(cache.stats).toEqual({ entries: 2, size: 8 });
  });

  it('replaces an entry under the same key, and never keeps one larger than the whole cache', () => {
    const cache = new SizedLru<string>(10);
    cache.set('a', 'A', 4);
    cache.set('a', 'A2', 6);
    expect(cache.get('a')).toBe('A2');
    expect(cache.stats).toEqual({ entries: 1, size: 6 });
    cache.set('huge', 'H', 11);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')).toBe('A2');
  });
});
