import { AppError } from '@/lib/errors/app-error';
import { log } from '@/lib/log/logger';
import { parseByteRange } from './byte-range';
import { contentTypeFor } from './content-type';
import { getIpfs } from './get-ipfs';
import type { IpfsBackend } from './ipfs-backend';
import { normalizeIpfsPath, parseCid } from './parse-cid';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const RAW = 'application/vnd.ipld.raw';
const CAR = 'application/vnd.ipld.car';

type Format = 'unixfs' | 'raw' | 'car';

export type GatewayRequest = { cid: string; path?: string[] | string };

/**
 * Cohort's read-only path gateway, `GET|HEAD /ipfs/<cid>/<path…>`, answered from the local node only (offline:
 * a request never makes the node fetch from peers). Files with Range support, directories as a JSON listing,
 * and the trustless formats (`?format=raw` one block, `?format=car` a DAG) for clients that verify what they
 * get. Everything is immutable by CID, hence the year-long cache and the CID as ETag.
 *
 * Public on purpose: it can only serve what Cohort added to IPFS, which is published dataset content,
 * either released for public use or encrypted (whoever holds the CID can already fetch it from any peer).
 * Original DICOM lives in the blob store (lib/storage), a separate directory that is never added to IPFS.
 */
export async function serveGateway(req: Request, { cid: cidText, path: segments }: GatewayRequest, ipfs?: IpfsBackend): Promise<Response> {
  const cid = parseCid(cidText).toString();
  const path = normalizeIpfsPath(segments);
  const format = requestedFormat(req);
  const node = ipfs ?? (await getIpfs());
  const read = { offline: true, signal: req.signal };
  const head = req.method === 'HEAD';
  if (!(await node.has(cid, { signal: req.signal }))) throw new AppError('NOT_FOUND', `${cid} is not stored on this node.`);
  const ipfsPath = `/ipfs/${cid}${path ? `/${path.split('/').map(encodeURIComponent).join('/')}` : ''}`;

  if (format !== 'unixfs') {
    const target = path ? (await node.stat(cid, path, read)).cid : cid;
    const headers = baseHeaders(`"${target}.${format}"`, ipfsPath);
    headers.set('X-Ipfs-Roots', target);
    headers.set('Content-Disposition', `attachment; filename="${target}.${format === 'raw' ? 'bin' : 'car'}"`);
    if (notModified(req, headers)) return new Response(null, { status: 304, headers });
    if (format === 'raw') {
      const block = await node.getBlock(target, read);
      headers.set('Content-Type', RAW);
      headers.set('Content-Length', String(block.byteLength));
      return new Response(head ? null : (block as Uint8Array<ArrayBuffer>), { status: 200, headers });
    }
    // Blocks in depth-first order, each once, with `target` as the CAR's one root.
    headers.set('Content-Type', `${CAR}; version=1; order=dfs; dups=n`);
    return new Response(head ? null : toStream(node.exportCar(target, read)), { status: 200, headers });
  }

  const stat = await node.stat(cid, path, read);
  const headers = baseHeaders(`"${stat.cid}"`, ipfsPath);
  if (notModified(req, headers)) return new Response(null, { status: 304, headers });

  if (stat.type === 'directory') {
    const entries = await node.ls(cid, path, read);
    const body = JSON.stringify({ cid: stat.cid, path: ipfsPath, type: 'directory', entries });
    headers.set('Content-Type', 'application/json');
    headers.set('Content-Length', String(Buffer.byteLength(body)));
    return new Response(head ? null : body, { status: 200, headers });
  }

  headers.set('Accept-Ranges', 'bytes');
  headers.set('Content-Type', contentTypeFor(path.split('/').at(-1) ?? ''));
  const ifRange = req.headers.get('if-range');
  const range = parseByteRange(ifRange === null || ifRange === headers.get('ETag') ? req.headers.get('range') : null, stat.size);
  if (range.kind === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${stat.size}`);
    headers.set('Cache-Control', 'no-store');
    headers.set('Content-Type', 'application/json');
    return new Response(JSON.stringify({ error: 'RANGE_NOT_SATISFIABLE', message: `The file has ${stat.size} bytes.` }), { status: 416, headers });
  }
  const [start, end] = range.kind === 'range' ? [range.start, range.end] : [0, stat.size - 1];
  const length = end - start + 1;
  headers.set('Content-Length', String(length));
  if (range.kind === 'range') headers.set('Content-Range', `bytes ${start}-${end}/${stat.size}`);
  const body = head || length === 0 ? null : toStream(node.cat(cid, { ...read, path, offset: start, length }));
  return new Response(body, { status: range.kind === 'range' ? 206 : 200, headers });
}

/** `?format=` wins over `Accept` (the trustless gateway spec's order); unknown formats are refused. */
function requestedFormat(req: Request): Format {
  const format = new URL(req.url).searchParams.get('format');
  if (format !== null) {
    if (format === 'raw' || format === 'car') return format;
    throw new AppError('BAD_REQUEST', `Unknown format "${format.slice(0, 20)}": use raw or car, or leave it out.`);
  }
  const accept = req.headers.get('accept') ?? '';
  if (accept.includes(RAW)) return 'raw';
  if (accept.includes(CAR)) return 'car';
  return 'unixfs';
}

function baseHeaders(etag: string, ipfsPath: string): Headers {
  return new Headers({
    ETag: etag,
    'Cache-Control': IMMUTABLE,
    'X-Ipfs-Path': ipfsPath,
    // Same bytes whoever asks, no cookies needed: any page may fetch it, none may frame or script it.
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'Content-Range, Content-Length, ETag, X-Ipfs-Path, X-Ipfs-Roots',
    // Files run no script and load nothing on Cohort's origin, whatever their bytes or type.
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Accept',
  });
}

function notModified(req: Request, headers: Headers): boolean {
  const tags = req.headers.get('if-none-match');
  if (!tags) return false;
  const etag = headers.get('ETag');
  return tags.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** A pull-based body: a slow client slows the read, and a client that goes away stops it. */
function toStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (err) {
        // Headers are gone: the client sees a cut-off body, the log sees why.
        log.warn('ipfs gateway: stream failed', { err });
        controller.error(err);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
