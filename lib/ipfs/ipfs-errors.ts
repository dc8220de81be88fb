import { AppError } from '@/lib/errors/app-error';

/** What a Helia / UnixFS failure means to a caller; anything unrecognized is passed through (logged as a 500). */
export function heliaError(err: unknown, what: string): unknown {
  if (err instanceof AppError || !(err instanceof Error)) return err;
  switch (err.name) {
    case 'BlockNotFoundWhileOfflineError':
      return new AppError('NOT_FOUND', `${what} is not stored on this node.`);
    case 'NotFoundError':
    case 'DoesNotExistError':
      return new AppError('NOT_FOUND', `${what} does not exist.`);
    case 'NotAFileError':
    case 'NoContentError':
      return new AppError('BAD_REQUEST', `${what} is a directory, not a file.`);
    case 'NotADirectoryError':
      return new AppError('BAD_REQUEST', `${what} is a file, not a directory.`);
    case 'NotUnixFSError':
    case 'NoResolverError':
    case 'UnknownCodecError':
      return new AppError('BAD_REQUEST', `${what} is not a UnixFS file or directory; its blocks can still be read raw or as a CAR.`);
    case 'InvalidParametersError':
    case 'BadPathError':
      return new AppError('BAD_REQUEST', `${what}: ${err.message}`);
    default:
      return err;
  }
}

type HttpErrorLike = Error & { response?: { status?: number } };

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * What a Kubo RPC failure means. Kubo answers errors as HTTP 500 with a message; the messages matched here
 * are Kubo's own (go-ipfs / boxo). Messages never name Kubo's host: they may reach clients.
 */
export function kuboError(err: unknown, what: string): unknown {
  if (err instanceof AppError || !(err instanceof Error)) return err;
  const code = networkCode(err);
  if (code) return new AppError('SERVICE_UNAVAILABLE', `The IPFS node (Kubo RPC API) is unreachable (${code}).`);
  // fetch's own failures (a port fetch refuses to use, a TLS failure): the cause says which.
  if (err instanceof TypeError && err.message === 'fetch failed') {
    const cause = err.cause instanceof Error ? err.cause.message.slice(0, 80) : 'connection failed';
    return new AppError('SERVICE_UNAVAILABLE', `The IPFS node (Kubo RPC API) is unreachable (${cause}).`);
  }
  if (err.name === 'TimeoutError') return new AppError('SERVICE_UNAVAILABLE', 'The IPFS node (Kubo RPC API) timed out.');
  if (err.name !== 'HTTPError') return err;
  const status = (err as HttpErrorLike).response?.status;
  const message = err.message.slice(0, 300);
  if (status === 401 || status === 403) return new AppError('SERVICE_UNAVAILABLE', 'The IPFS node (Kubo RPC API) refused Cohort’s credentials.');
  if (status === 404 || status === 405) return new AppError('BAD_GATEWAY', `The IPFS node does not offer this RPC command (${status}); is COHORT_KUBO_RPC_URL a Kubo RPC API or IPFS Cluster proxy?`);
  if (/not found locally|could not find|not found|no link named|no such link|does not exist/i.test(message)) return new AppError('NOT_FOUND', `${what} is not stored on the IPFS node.`);
  if (/is a directory|not a file/i.test(message)) return new AppError('BAD_REQUEST', `${what} is a directory, not a file.`);
  if (/not a directory/i.test(message)) return new AppError('BAD_REQUEST', `${what} is a file, not a directory.`);
  if (/invalid (path|cid)|selected encoding not supported|failed to parse|invalid argument/i.test(message)) return new AppError('BAD_REQUEST', `${what}: ${message}`);
  return new AppError('BAD_GATEWAY', `The IPFS node refused: ${message}`);
}

function networkCode(err: Error): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}
