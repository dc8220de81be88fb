import { defineConfig } from 'vite';

export default defineConfig({
  base: '/bare/',
  logLevel: 'error',
  // vtk.js (under Cornerstone) has a class extending Node's EventEmitter: give it the browser build
  // of `events`, as Next's webpack does for the app.
  resolve: { alias: { events: 'events/events.js' } },
  build: { target: 'esnext' },
  worker: { format: 'es' },
});
