import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
/**
 * The dcmjs the browser bundle uses: Cornerstone's packages each install their own copy of the same
 * version (Cohort's server pins an older one, see ../shared/ENVIRONMENT.md), and webpack would ship
 * every copy, 650 kB of minified JavaScript each, before the viewer's first image.
 */
const cornerstoneDcmjsEntry = require.resolve('dcmjs', { paths: [path.dirname(require.resolve('@cornerstonejs/metadata/package.json'))] });
const browserDcmjs = cornerstoneDcmjsEntry.slice(0, cornerstoneDcmjsEntry.lastIndexOf(`${path.sep}dcmjs${path.sep}`) + `${path.sep}dcmjs`.length);

/**
 * Production builds use webpack (`next build --webpack`): Turbopack's production build hangs on
 * Cornerstone3D, which the viewer brings in.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native addons, WebAssembly, asm.js (daikon's decoders) and the IPFS stack, loaded from node_modules at run time, never bundled.
  serverExternalPackages: [
    'daikon',
    // The image decoders (lib/dicom/codecs): Emscripten glue that finds its .wasm beside itself.
    '@cornerstonejs/codec-charls',
    '@cornerstonejs/codec-libjpeg-turbo-8bit',
    '@cornerstonejs/codec-openjpeg',
    '@cornerstonejs/codec-openjph',
    '@cornerstonejs/jpeg-lossless-decoder-js',
    '@prisma/schema-engine-wasm',
    '@prisma/adapter-better-sqlite3',
    '@prisma/adapter-pg',
    '@prisma/driver-adapter-utils',
    'better-sqlite3',
    'pg',
    // The IPFS stack (lib/ipfs): bundled, each bundle would carry its own multiformats, and a CID made in one
    // is rejected by another ("Path must be string or CID"); external also keeps libp2p out of webpack.
    'helia',
    '@helia/unixfs',
    '@helia/car',
    'blockstore-fs',
    'datastore-fs',
    'libp2p',
    '@libp2p/tcp',
    '@libp2p/identify',
    '@chainsafe/libp2p-noise',
    '@chainsafe/libp2p-yamux',
    '@multiformats/multiaddr',
    '@ipld/car',
    'ipfs-unixfs-importer',
    'multiformats',
    'kubo-rpc-client',
  ],
  experimental: {
    // forbidden() / unauthorized() render app/forbidden.tsx with a real 403.
    authInterrupts: true,
  },
  webpack(config, { isServer }) {
    if (!isServer) {
      // Codec glue in the imaging libraries imports these; browsers have neither.
      config.resolve.fallback = { ...config.resolve.fallback, fs: false, path: false };
      config.resolve.alias = { ...config.resolve.alias, dcmjs$: browserDcmjs };
    }
    return config;
  },
  async redirects() {
    // The worklist grew into the study list.
    return [{ source: '/worklist', destination: '/studies', permanent: false }];
  },
  async rewrites() {
    // Where verifiers look for the ledger's public key without knowing Cohort's API.
    return [{ source: '/.well-known/cohort-ledger-key', destination: '/api/ledger/key' }];
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
