// The charting libraries of the dashboard, self-hosted from their npm packages (no third-party
// request, allowed by the strict CSP's 'self'): uPlot for time series, Chart.js for bars. Only the
// dist files listed here are served (http/routes/assets.ts); URLs carry the package version.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);

export interface VendorPackage {
  /** URL prefix, under /assets/vendor/. */
  prefix: string;
  /** The package's dist folder on disk. */
  dir: string;
  /** The files that may be served from it. */
  files: readonly string[];
  version: string;
}

function vendorPackage(name: string, prefix: string, files: string[]): VendorPackage {
  // The package's main entry lives in its dist folder; its package.json is one level up.
  const dir = dirname(require.resolve(name));
  let version = '0';
  try {
    version = (JSON.parse(readFileSync(join(dir, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? '0';
  } catch {
    // A missing version only weakens caching.
  }
  return { prefix, dir, files, version };
}

export const uplot = vendorPackage('uplot', '/assets/vendor/uplot/', ['uPlot.iife.min.js', 'uPlot.min.css']);
export const chartjs = vendorPackage('chart.js', '/assets/vendor/chartjs/', ['chart.umd.min.js']);

export const vendorPackages: readonly VendorPackage[] = [uplot, chartjs];

export function vendorUrl(pkg: VendorPackage, file: string): string {
  return `${pkg.prefix}${file}?v=${encodeURIComponent(pkg.version)}`;
}

/** What a dashboard page links: the libraries before the page script (scripts are deferred, in order). */
export const chartScripts = [vendorUrl(uplot, 'uPlot.iife.min.js'), vendorUrl(chartjs, 'chart.umd.min.js')];
export const chartStyles = [vendorUrl(uplot, 'uPlot.min.css')];
