// The widget fragment for each provider (escaped, with its form field, script and noscript text)
// and the CSP sources each needs, checked against the installed altcha bundle.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.ts';
import { AltchaCaptcha } from '../../../src/adapters/captcha/altcha.ts';
import {
  ALTCHA_SCRIPT_PATH,
  ALTCHA_STYLE_HASH,
  captchaCspSources,
  captchaFormField,
  captchaScriptSources,
  captchaWidget,
  renderCaptchaWidget,
} from '../../../src/pages/captcha-widget.ts';

const root = new URL('../../../', import.meta.url).pathname;
const altchaBundle = `${root}node_modules/altcha/dist/main/altcha.js`;

/** Reads an attribute value back the way a browser would (entities decoded). */
function attr(fragment: string, name: string): string | null {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(fragment);
  if (!m) return null;
  return m[1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

test('altcha: inline JSON challenge, field `altcha`, auto on load, self-hosted script, noscript', async () => {
  const captcha = new AltchaCaptcha({ clock: new ManualClock(), hmacKey: new Uint8Array(32).fill(2), cost: 10, maxNumber: 10 });
  const info = await captcha.challenge({ sessionId: 's1' });
  const out = renderCaptchaWidget(info, { locale: 'fr-FR' });
  assert.match(out, /<altcha-widget /);
  assert.deepEqual(JSON.parse(attr(out, 'challenge')!), JSON.parse(JSON.stringify(info.challenge)));
  assert.equal(attr(out, 'name'), 'altcha');
  assert.equal(attr(out, 'auto'), 'onload');
  assert.equal(attr(out, 'language'), 'fr');
  assert.ok(out.includes(`<script type="module" src="${ALTCHA_SCRIPT_PATH}"></script>`));
  assert.match(out, /<noscript>.*JavaScript.*<\/noscript>/s);
  assert.match(out, /Activez JavaScript/);
  assert.equal(attr(renderCaptchaWidget(info, { locale: 'en', formFieldName: 'pow' }), 'name'), 'pow');
  assert.equal(captchaWidget(info, { locale: 'en' }).value, renderCaptchaWidget(info, { locale: 'en' }));
});

test('everything is escaped: hostile values inside the challenge cannot break out', () => {
  const info = { provider: 'altcha', challenge: { parameters: { x: `"'><script>alert(1)</script>` }, signature: 'ab' } };
  const out = renderCaptchaWidget(info, { locale: '"><img src=x onerror=alert(1)>' });
  assert.ok(!out.includes('<script>alert'));
  assert.ok(!out.includes('<img'));
  assert.equal(JSON.parse(attr(out, 'challenge')!).parameters.x, `"'><script>alert(1)</script>`);
  assert.throws(() => renderCaptchaWidget({ provider: 'turnstile', siteKey: '"><b>' }, { locale: 'en' }), /siteKey/);
  assert.throws(() => renderCaptchaWidget({ provider: 'altcha', challenge: {} }, { locale: 'en', formFieldName: 'a"b' }), /formFieldName/);
  assert.throws(() => renderCaptchaWidget({ provider: 'mystery' }, { locale: 'en' }), /provider/);
});

test('turnstile: cf-turnstile div with site key, language, cdata and renamed field', () => {
  const out = renderCaptchaWidget({ provider: 'turnstile', siteKey: '0x4AAAAAAABkMYinukE8nzY', cdata: 'abc123' }, { locale: 'it-IT', formFieldName: 'captcha' });
  assert.match(out, /<div class="cf-turnstile" /);
  assert.equal(attr(out, 'data-sitekey'), '0x4AAAAAAABkMYinukE8nzY');
  assert.equal(attr(out, 'data-language'), 'it');
  assert.equal(attr(out, 'data-cdata'), 'abc123');
  assert.equal(attr(out, 'data-response-field-name'), 'captcha');
  assert.ok(out.includes('<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script>'));
  assert.match(out, /Attiva JavaScript/);
});

test('hCaptcha and reCAPTCHA: their div class and script, language as hl', () => {
  const h = renderCaptchaWidget({ provider: 'hcaptcha', siteKey: '10000000-ffff-ffff-ffff-000000000001' }, { locale: 'fr' });
  assert.match(h, /<div class="h-captcha" data-sitekey="10000000-ffff-ffff-ffff-000000000001"><\/div>/);
  assert.ok(h.includes('src="https://js.hcaptcha.com/1/api.js?hl=fr"'));
  const g = renderCaptchaWidget({ provider: 'recaptcha', siteKey: '6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI' }, { locale: 'en-GB' });
  assert.match(g, /<div class="g-recaptcha" data-sitekey="6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"><\/div>/);
  assert.ok(g.includes('src="https://www.google.com/recaptcha/api.js?hl=en"'));
});

test('form fields the server reads back', () => {
  assert.equal(captchaFormField('altcha'), 'altcha');
  assert.equal(captchaFormField('turnstile'), 'cf-turnstile-response');
  assert.equal(captchaFormField('hcaptcha'), 'h-captcha-response');
  assert.equal(captchaFormField('recaptcha'), 'g-recaptcha-response');
  assert.equal(captchaFormField('hcaptcha', 'renamed'), 'h-captcha-response', 'hCaptcha cannot rename its field');
});

test('CSP: nothing third-party for altcha; provider origins for the others', () => {
  assert.deepEqual(captchaScriptSources('altcha'), []);
  assert.deepEqual(captchaCspSources('altcha').workerSrc, ['blob:']);
  assert.deepEqual(captchaScriptSources('turnstile'), ['https://challenges.cloudflare.com']);
  assert.deepEqual(captchaCspSources('turnstile').frameSrc, ['https://challenges.cloudflare.com']);
  assert.ok(captchaScriptSources('hcaptcha').includes('https://*.hcaptcha.com'));
  assert.ok(captchaScriptSources('recaptcha').includes('https://www.gstatic.com/recaptcha/'));
  captchaScriptSources('turnstile').push('mutated');
  assert.deepEqual(captchaScriptSources('turnstile'), ['https://challenges.cloudflare.com'], 'callers get copies');
});

test('the altcha bundle exists where the lead serves it from, and its injected style matches the hash', () => {
  assert.ok(existsSync(altchaBundle), altchaBundle);
  const source = readFileSync(altchaBundle, 'utf8');
  const literal = /^const css = ('(?:[^'\\]|\\.)*');$/m.exec(source);
  assert.ok(literal, 'the bundle still declares its CSS as one string');
  const css = new Function(`return ${literal[1]}`)() as string;
  const hash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
  assert.equal(hash, ALTCHA_STYLE_HASH, 'altcha upgrade: update ALTCHA_STYLE_HASH in src/pages/captcha-widget.ts');
  assert.ok(captchaCspSources('altcha').styleSrc.includes(ALTCHA_STYLE_HASH));
});
