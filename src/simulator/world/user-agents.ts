// User agents: the legitimate mix (70 % mobile: iOS Safari, Android Chrome, in-app webviews; the
// rest desktop browsers), plus generators of "fresh device fingerprints" for bots that rotate them.
import type { Rng } from '../random.ts';

interface UaFamily {
  weight: number;
  make(rng: Rng): string;
}

const iosVersions = ['17_5', '17_6', '18_0', '18_1', '18_2', '18_3', '18_4', '18_5'];
const androidModels = ['SM-S918B', 'SM-A546B', 'SM-A156B', 'Pixel 8', 'Pixel 7a', '2201117TG', 'CPH2581', 'RMX3761', 'V2254', 'moto g54 5G', 'SM-G991B', 'M2101K6G'];
const androidVersions = ['12', '13', '14', '15'];
const chrome = () => ['126', '127', '128', '129', '130', '131', '132', '133'];

function iosSafari(rng: Rng): string {
  const v = rng.pick(iosVersions);
  return `Mozilla/5.0 (iPhone; CPU iPhone OS ${v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v.split('_')[0]}.${v.split('_')[1]} Mobile/15E148 Safari/604.1`;
}

function androidChrome(rng: Rng): string {
  return `Mozilla/5.0 (Linux; Android ${rng.pick(androidVersions)}; ${rng.pick(androidModels)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${rng.pick(chrome())}.0.0.0 Mobile Safari/537.36`;
}

function instagramIos(rng: Rng): string {
  const v = rng.pick(iosVersions);
  return `Mozilla/5.0 (iPhone; CPU iPhone OS ${v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 3${rng.int(10)}5.0.0.${rng.int(40)}.${rng.int(120)} (iPhone14,5; iOS ${v}; en_US; en; scale=3.00; 1170x2532)`;
}

function facebookAndroid(rng: Rng): string {
  return `Mozilla/5.0 (Linux; Android ${rng.pick(androidVersions)}; ${rng.pick(androidModels)} Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${rng.pick(chrome())}.0.0.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/4${rng.int(9)}0.0.0.${rng.int(60)}.${rng.int(120)};]`;
}

function desktopChrome(rng: Rng): string {
  const os = rng.chance(0.7) ? 'Windows NT 10.0; Win64; x64' : 'Macintosh; Intel Mac OS X 10_15_7';
  return `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${rng.pick(chrome())}.0.0.0 Safari/537.36`;
}

function desktopEdge(rng: Rng): string {
  const v = rng.pick(chrome());
  return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.0.0`;
}

function desktopFirefox(rng: Rng): string {
  const v = 128 + rng.int(8);
  const os = rng.chance(0.8) ? 'Windows NT 10.0; Win64; x64' : 'X11; Linux x86_64';
  return `Mozilla/5.0 (${os}; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`;
}

function macSafari(rng: Rng): string {
  const v = rng.pick(['17.5', '17.6', '18.0', '18.1', '18.2', '18.3']);
  return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Safari/605.1.15`;
}

// 70 % mobile (iOS 30, Android 32, webviews 8), 30 % desktop.
const legitimate: UaFamily[] = [
  { weight: 30, make: iosSafari },
  { weight: 32, make: androidChrome },
  { weight: 4, make: instagramIos },
  { weight: 4, make: facebookAndroid },
  { weight: 17, make: desktopChrome },
  { weight: 4, make: desktopEdge },
  { weight: 3, make: desktopFirefox },
  { weight: 6, make: macSafari },
];
const weights = legitimate.map((f) => f.weight);

/** A user agent from the legitimate distribution. */
export function legitimateUserAgent(rng: Rng): string {
  return legitimate[rng.weighted(weights)]!.make(rng);
}

/** A "fresh device fingerprint": a plausible mobile UA with randomised build details. */
export function freshFingerprint(rng: Rng): string {
  const model = `${rng.pick(['SM-A', 'SM-G', 'CPH', 'RMX', 'V2', 'M2'])}${100 + rng.int(900)}${rng.pick(['B', 'F', 'G', 'U', ''])}`;
  return `Mozilla/5.0 (Linux; Android ${rng.pick(androidVersions)}; ${model}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${120 + rng.int(14)}.0.${rng.int(7000)}.${rng.int(200)} Mobile Safari/537.36`;
}

/** `n` fixed user agents a simple bot cycles through (from the legitimate distribution). */
export function botUserAgents(rng: Rng, n: number): string[] {
  return Array.from({ length: n }, () => legitimateUserAgent(rng));
}
