#!/usr/bin/env bash
# npm run test:all — installs what the tests need on a fresh Debian machine and runs every tier:
# typecheck, lint, migrations-match-schema, unit, integration on SQLite and on PostgreSQL, the
# production build, and end-to-end tests in Debian's Chromium. CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 ORT_DISABLE_TELEMETRY=1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "System packages (PostgreSQL, Chromium, Orthanc, ffmpeg, ipfs-cid, dcm2niix, nibabel, age, dicom3tools, dcmtk, unzip, OpenJPEG tools)"
missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# A real PACS for the import tests; started by the tests themselves, on loopback only.
[ -x /usr/sbin/Orthanc ] || missing+=(orthanc)
[ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || missing+=(orthanc-dicomweb)
# The server decodes video (MPEG-2, H.264, HEVC) with it; the tests also encode their videos with it.
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
# An independent CID implementation the IPFS import tests cross-check against.
command -v ipfs_cid >/dev/null 2>&1 || missing+=(ipfs-cid)
# Independent NIfTI readers the export tests compare Cohort's files with.
[ -x /usr/bin/dcm2niix ] || missing+=(dcm2niix)
/usr/bin/python3 -c 'import nibabel' 2>/dev/null || missing+=(python3-nibabel)
# The age tool, which the tests check Cohort's age files against (dataset keys wrapped for grantees).
command -v age >/dev/null 2>&1 || missing+=(age)
# Independent DICOM media checkers (DICOMDIR of patient downloads) and unzip for the zip writer's tests.
command -v dciodvfy >/dev/null 2>&1 || missing+=(dicom3tools)
command -v dcmdump >/dev/null 2>&1 || missing+=(dcmtk)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
# OpenJPEG's encoder (tiled JPEG 2000 for the JPIP tests) and its JPT-stream reader, which checks the tests' JPIP server.
command -v opj_compress >/dev/null 2>&1 || missing+=(libopenjp2-tools)
command -v opj_jpip_transcode >/dev/null 2>&1 || missing+=(libopenjpip-dec-server)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "ok: $(psql --version), $(/usr/bin/chromium --version 2>/dev/null), Orthanc $(/usr/sbin/Orthanc --version 2>/dev/null | head -1)"

step "PostgreSQL server and test role"
pg_version=$(ls /etc/postgresql | sort -n | tail -1)
pg_ctlcluster "$pg_version" main status >/dev/null 2>&1 || as_root pg_ctlcluster "$pg_version" main start
as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'cohort'\"" | grep -q 1 ||
  as_postgres "psql -qc \"CREATE ROLE cohort LOGIN PASSWORD 'cohort' CREATEDB\""
export COHORT_TEST_PG_URL=postgres://cohort:cohort@127.0.0.1:5432/postgres
export COHORT_MIGRATIONS_PG_URL=$COHORT_TEST_PG_URL
echo "ok: PostgreSQL $pg_version on 127.0.0.1:5432"

step "npm dependencies"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "ok: node_modules matches package-lock.json"
fi

step "OHIF Viewer (prebuilt, for the test of Cohort as its DICOMweb data source)"
bash scripts/fetch-ohif.sh

step "Typecheck"
npm run typecheck

step "Lint (incl. import boundaries)"
npm run lint

step "Migrations match schema.prisma (SQLite and PostgreSQL)"
npm run db:check

step "Unit and integration tests (SQLite and PostgreSQL)"
npx vitest run

step "Production build"
npm run build

step "End-to-end tests (Chromium)"
npx playwright test
