// Browser / OS / device family from a User-Agent string (ua-parser-js v1, MIT), for events and the workbook.
import { UAParser } from 'ua-parser-js';

export interface ParsedUserAgent {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  deviceType: string | null;
}

const empty: ParsedUserAgent = { browser: null, browserVersion: null, os: null, osVersion: null, deviceType: null };

export function parseUserAgent(ua: string | null | undefined): ParsedUserAgent {
  if (!ua) return empty;
  const r = new UAParser(ua.slice(0, 512)).getResult();
  return {
    browser: r.browser.name ?? null,
    browserVersion: r.browser.major ?? null,
    os: r.os.name ?? null,
    osVersion: r.os.version ?? null,
    // ua-parser leaves desktop browsers without a device type.
    deviceType: r.device.type ?? (r.browser.name ? 'desktop' : null),
  };
}
