#!/usr/bin/env bash
# OHIF Viewer's prebuilt web app (npm @ohif/app, MIT) for tests/e2e/ohif.spec.ts, which runs OHIF
# against Cohort's DICOMweb with the data source configuration docs/ohif.md gives. Test-only: nothing
# of it is bundled with Cohort. Kept under tests/.artifacts (git-ignored) and reused while the version holds.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=3.13.2
DIR=tests/.artifacts/ohif
if [ -f "$DIR/dist/index.html" ] && [ "$(cat "$DIR/VERSION" 2>/dev/null)" = "$VERSION" ]; then
  echo "ok: OHIF $VERSION"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@ohif/app@$VERSION" >/dev/null)
rm -rf "$DIR" && mkdir -p "$DIR"
tar xzf "$tmp/ohif-app-$VERSION.tgz" -C "$DIR" --strip-components=1 package/dist
echo "$VERSION" > "$DIR/VERSION"
echo "ok: OHIF $VERSION in $DIR"
