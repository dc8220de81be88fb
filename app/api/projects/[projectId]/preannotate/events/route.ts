import { withAuth } from '@/lib/http/with-auth';
import { findProjectJobs } from '@/lib/inference/start-preannotation';
import { PROJECTS_MANAGE } from '@/lib/projects/project-roles';

export const dynamic = 'force-dynamic';

const POLL_MS = 500;
/** When idle, the client asks again this often (jobs queued elsewhere appear). */
const RETRY_MS = 5_000;
/** Streams end after this long; EventSource reconnects by itself. */
const STREAM_MS = 10 * 60_000;

const active = (jobs: { status: string }[]) => jobs.some((j) => j.status === 'queued' || j.status === 'running');

/**
 * The project's pre-annotation jobs as server-sent events: a `jobs` event with the list each time
 * any job's status or progress changes, read from the job table (the worker writes it). The stream
 * ends once no job is waiting or running; EventSource reconnects after `retry` to look again.
 */
export const GET = withAuth<{ projectId: string }>(async ({ req, user, params }) => {
  // Access is checked once here; the first read also 404s a project the user may not see.
  const first = await findProjectJobs(user, params.projectId);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (jobs: unknown) => controller.enqueue(encoder.encode(`retry: ${RETRY_MS}\nevent: jobs\ndata: ${JSON.stringify(jobs)}\n\n`));
      let last = JSON.stringify(first);
      send(first);
      const until = Date.now() + STREAM_MS;
      try {
        let jobs = first;
        while (active(jobs) && !req.signal.aborted && Date.now() < until) {
          await new Promise((r) => setTimeout(r, POLL_MS));
          jobs = await findProjectJobs(user, params.projectId);
          const now = JSON.stringify(jobs);
          if (now !== last) send(jobs);
          last = now;
        }
      } catch {
        // The client went away or the database did: EventSource retries.
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform' } });
}, PROJECTS_MANAGE);
