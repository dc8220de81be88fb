import { describe, expect, it } from 'vitest';
import { isAppError } from '@/lib/errors/app-error';
import { parseByteRange } from '@/lib/ipfs/byte-range';
import { contentTypeFor } from '@/lib/ipfs/content-type';
import { IdleDeadline, streamWithDeadline, withDeadline } from '@/lib/ipfs/idle-deadline';
import { AppError } from '@/lib/errors/app-error';
import { normalizeEntryPath, normalizeIpfsPath, parseCid } from '@/lib/ipfs/parse-cid';

describe('parseCid', () => {
  it('refuses what is not a CID as BAD_REQUEST', () => {
    for (const bad of ['', 'hello', 'bafy', 'Qm123', '../etc/passwd']) {
      expect(() => parseCid(bad)).toThrow(AppError);
      try {
        parseCid(bad);
      } catch (err) {
        expect(isAppError(err, 'BAD_REQUEST')).toBe(true);
      }
    }
  });

  it('reads CIDv1 and CIDv0', () => {
    expect(parseCid('bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq').version).toBe(1);
    expect(parseCid('QmVyLfLTpXCEL6mHcc6zbGuVAy38Vw4yUqsEboBidbLbki').version).toBe(0);
  });
});

describe('paths', () => {
  it('refuses "..", "." and control characters instead of resolving them', () => {
    for (const bad of ['a/../b', '..', './a', 'a/\u0000b', 'a\\b']) expect(() => normalizeIpfsPath(bad)).toThrow(/not a valid path segment/);
    for (const bad of ['/abs', 'a//b', 'a/', '', '../up', 'x/./y']) expect(() => normalizeEntryPath(bad)).toThrow(AppError);
  });

  it('joins segments and drops empty ones when reading', () => {
    expect(normalizeIpfsPath(undefined)).toBe('');
    expect(normalizeIpfsPath(['a', 'b c.json'])).toBe('a/b c.json');
    expect(normalizeIpfsPath('/a//b/')).toBe('a/b');
    expect(normalizeEntryPath('series-1/0001.dcm')).toBe('series-1/0001.dcm');
  });
});

describe('parseByteRange', () => {
  it('answers 416 for a range past the end, and for any range of an empty file', () => {
    expect(parseByteRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=100-200', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores what a server may ignore: other units, malformed, reversed, several ranges', () => {
    for (const h of [null, '', 'items=0-1', 'bytes=a-b', 'bytes=5-2', 'bytes=0-1,4-5', 'bytes=-']) expect(parseByteRange(h, 100)).toEqual({ kind: 'all' });
  });

  it('reads first-last, open-ended and suffix ranges, clamped to the file', () => {
    expect(parseByteRange('bytes=0-0', 100)).toEqual({ kind: 'range', start: 0, end: 0 });
    expect(parseByteRange('bytes=10-19', 100)).toEqual({ kind: 'range', start: 10, end: 19 });
    expect(parseByteRange('bytes=90-', 100)).toEqual({ kind: 'range', start: 90, end: 99 });
    expect(parseByteRange('bytes=90-1000', 100)).toEqual({ kind: 'range', start: 90, end: 99 });
    expect(parseByteRange('bytes=-10', 100)).toEqual({ kind: 'range', start: 90, end: 99 });
    expect(parseByteRange('bytes=-1000', 100)).toEqual({ kind: 'range', start: 0, end: 99 });
  });
});

describe('contentTypeFor', () => {
  it('never names a type that runs script on Cohort’s origin', () => {
    for (const name of ['index.html', 'x.htm', 'x.svg', 'x.js', 'x.xml', 'x.xhtml', 'noext']) expect(contentTypeFor(name)).toBe('application/octet-stream');
    expect(contentTypeFor('manifest.json')).toBe('application/json');
    expect(contentTypeFor('0001.DCM')).toBe('application/dicom');
  });
});

describe('idle deadline', () => {
  const errors = { expired: () => new AppError('SERVICE_UNAVAILABLE', 'too slow'), map: (err: unknown) => err };

  it('fails an operation that makes no progress, with the error it was given', async () => {
    const started = Date.now();
    const stuck = withDeadline(50, undefined, errors, (d) => new Promise((_, reject) => d.signal.addEventListener('abort', () => reject(d.signal.reason))));
    await expect(stuck).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'too slow' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets an operation that keeps making progress run past the deadline', async () => {
    const result = await withDeadline(60, undefined, errors, async (d) => {
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 30));
        d.touch();
      }
      return 'done';
    });
    expect(result).toBe('done');
  });

  it('does not count time the consumer of a stream spends holding a chunk', async () => {
    async function* slowConsumerSource() {
      yield 1;
      yield 2;
    }
    const seen: number[] = [];
    for await (const n of streamWithDeadline(40, undefined, errors, () => slowConsumerSource())) {
      seen.push(n);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toEqual([1, 2]);
  });

  it('cancels the producer when the consumer stops early (a client that went away)', async () => {
    let seenSignal: AbortSignal | undefined;
    let cleanedUp = false;
    async function* producer(signal: AbortSignal) {
      seenSignal = signal;
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        cleanedUp = true;
      }
    }
    for await (const n of streamWithDeadline(1_000, undefined, errors, producer)) if (n === 2) break;
    expect(seenSignal?.aborted).toBe(true);
    expect(cleanedUp).toBe(true);
  });

  it("passes the caller's own abort through unchanged", async () => {
    const caller = new AbortController();
    const reason = new Error('caller gave up');
    const run = withDeadline(10_000, caller.signal, errors, (d) => new Promise((_, reject) => d.signal.addEventListener('abort', () => reject(d.signal.reason))));
    caller.abort(reason);
    await expect(run).rejects.toBe(reason);
    const d = new IdleDeadline(10_000, caller.signal);
    expect(d.signal.aborted).toBe(true);
    d.dispose();
  });
});
