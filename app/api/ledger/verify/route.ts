import os from 'node:os';
import { AREAS } from '@/lib/auth/areas';
import { withAuth } from '@/lib/http/with-auth';
import { verifyLedger, type VerifyProgress } from '@/lib/ledger/verify-ledger';
import { log } from '@/lib/log/logger';

export const dynamic = 'force-dynamic';

/** Runs a full verification, streaming progress as server-sent events, then the report. */
export const GET = withAuth(
  async () => {
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        let last = 0;
        const onProgress = (p: VerifyProgress) => {
          // At most ~10 updates a second: enough for a progress bar, not a flood.
          if (Date.now() - last < 100 && p.done !== p.total) return;
          last = Date.now();
          send('progress', p);
        };
        try {
          // A large ledger is verified on worker threads alone, keeping this one free for requests.
          send('result', await verifyLedger({ onProgress, workers: os.availableParallelism(), mainThread: false }));
        } catch (err) {
          log.error('ledger verification failed to run', { err });
          send('error', { message: 'Verification could not run to the end; the error has been logged.' });
        } finally {
          controller.close();
        }
      },
    });
    return new Response(stream, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform' } });
  },
  { roles: [...AREAS.ledger.roles] },
);
