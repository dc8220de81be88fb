#!/bin/sh
# Runs a command (the server, the CLI, a benchmark) with glibc's malloc tuned for Cohort's work:
# studies pass through in buffers of a few hundred KiB to 64 MiB. By default glibc hands freed memory
# back to the kernel as soon as 1 MiB or so sits free at the top of the heap, or maps such buffers
# afresh each time, so every study faults its memory in again page by page (on a VM, the largest
# cost of publishing). With these settings buffers up to 64 MiB come from the heap, and up to
# 512 MiB of freed memory is kept for reuse. A GLIBC_TUNABLES already set wins; other C libraries
# ignore it.
: "${GLIBC_TUNABLES:=glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=536870912}"
export GLIBC_TUNABLES
exec "$@"
