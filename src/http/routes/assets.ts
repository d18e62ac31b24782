// Serves the page assets (src/pages/assets/: CSS and the one page script) at /assets/. URLs carry
// a content hash (see pages/asset-urls.ts), so responses may be cached for a year.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { assetsDir } from '../../pages/asset-urls.ts';
import { vendorPackages } from '../../pages/admin/workbook-vendor.ts';

// The self-hosted ALTCHA widget, served from its npm package (no third-party request).
const altchaDir = dirname(createRequire(import.meta.url).resolve('altcha'));

export async function registerAssets(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: assetsDir,
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    cacheControl: true,
    maxAge: 365 * 24 * 3600 * 1000,
    immutable: true,
    setHeaders(reply) {
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    },
  });
  await app.register(fastifyStatic, {
    root: altchaDir,
    prefix: '/assets/vendor/',
    decorateReply: false,
    index: false,
    list: false,
    allowedPath: (path) => path === '/altcha.js',
    maxAge: 24 * 3600 * 1000,
  });
  // The dashboard's charting libraries (uPlot, Chart.js): just their listed dist files.
  for (const pkg of vendorPackages) {
    await app.register(fastifyStatic, {
      root: pkg.dir,
      prefix: pkg.prefix,
      decorateReply: false,
      index: false,
      list: false,
      allowedPath: (path) => pkg.files.includes(path.replace(/^\//, '')),
      maxAge: 24 * 3600 * 1000,
      setHeaders(reply) {
        reply.header('Cross-Origin-Resource-Policy', 'same-origin');
      },
    });
  }
}
