import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors/app-error';
import { heliaError, kuboError } from '@/lib/ipfs/ipfs-errors';

const named = (name: string, message = name) => Object.assign(new Error(message), { name });
const kuboSays = (message: string, status = 500) => Object.assign(new Error(message), { name: 'HTTPError', response: { status } });

describe('kuboError', () => {
  it('calls a Kubo that cannot be reached SERVICE_UNAVAILABLE, without its address', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5001'), { code: 'ECONNREFUSED' }) });
    const mapped = kuboError(refused, 'x') as AppError;
    expect(mapped).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/unreachable \(ECONNREFUSED\)/) });
    expect(mapped.message).not.toMatch(/10\.0\.0\.5/);
    expect(kuboError(new TypeError('fetch failed', { cause: new Error('bad port') }), 'x')).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(kuboError(kuboSays('401 - Unauthorized', 401), 'x')).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/credentials/) });
  });

  it('maps the messages Kubo answers with', () => {
    for (const m of ['merkledag: not found', 'no link named "a.txt" under bafy…', 'block was not found locally (offline): ipld: could not find bafk…', 'path does not exist'])
      expect(kuboError(kuboSays(m), 'the file'), m).toMatchObject({ code: 'NOT_FOUND' });
    expect(kuboError(kuboSays('this dag node is a directory'), 'x')).toMatchObject({ code: 'BAD_REQUEST' });
    expect(kuboError(kuboSays('invalid path "/ipfs/nope": selected encoding not supported'), 'x')).toMatchObject({ code: 'BAD_REQUEST' });
    expect(kuboError(kuboSays('404 page not found', 404), 'x')).toMatchObject({ code: 'BAD_GATEWAY', message: expect.stringMatching(/COHORT_KUBO_RPC_URL/) });
    expect(kuboError(kuboSays('pin: repo is full'), 'x')).toMatchObject({ code: 'BAD_GATEWAY', message: 'The IPFS node refused: pin: repo is full' });
  });

  it('leaves our own errors and programming errors alone', () => {
    const own = new AppError('NOT_FOUND', 'mine');
    expect(kuboError(own, 'x')).toBe(own);
    const bug = new RangeError('oops');
    expect(kuboError(bug, 'x')).toBe(bug);
  });
});

describe('heliaError', () => {
  it('maps UnixFS and blockstore failures to what a caller can act on', () => {
    expect(heliaError(named('BlockNotFoundWhileOfflineError'), 'bafy…')).toMatchObject({ code: 'NOT_FOUND', message: 'bafy… is not stored on this node.' });
    expect(heliaError(named('NotFoundError', 'No link "x" found'), 'bafy…/x')).toMatchObject({ code: 'NOT_FOUND' });
    expect(heliaError(named('NotAFileError'), 'd')).toMatchObject({ code: 'BAD_REQUEST', message: 'd is a directory, not a file.' });
    expect(heliaError(named('NotUnixFSError'), 'c')).toMatchObject({ code: 'BAD_REQUEST' });
    const other = named('LoadBlockFailedError');
    expect(heliaError(other, 'c')).toBe(other);
  });
});
