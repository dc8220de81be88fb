import { NextResponse, type NextRequest } from 'next/server';

export const PATH_HEADER = 'x-cohort-path';

/** Tells pages which URL was asked for, so sign-in can return there. Any client value is overwritten. */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Not /dicomweb: uploads there are streamed, and the proxy would buffer them.
  matcher: ['/((?!api/|dicomweb/|_next/|favicon.ico).*)'],
};
