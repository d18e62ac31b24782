// The hosted page renders every session state, picks the intro string by mode × number count,
// limits the country dropdown to the allowlist, escapes everything and sends the security headers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../../src/core/i18n/strings/en.ts';
import { buildApp, fakeService, makeView, NOW, pagePath, sentView } from './helpers.ts';
import type { SessionView } from '../../src/services/phone-factor-view.ts';

async function render(view: SessionView, headers: Record<string, string> = {}, url = pagePath) {
  const fake = fakeService(view);
  const app = await buildApp(fake);
  const res = await app.inject({ method: 'GET', url, headers });
  await app.close();
  return { res, fake };
}

const numbers = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ index: i, masked: `+1 •••••••012${i}`, region: 'US' }));

describe('hosted page states', () => {
  test('created with registered numbers: masked radios and one button per channel', async () => {
    const { res } = await render(makeView({ registeredNumbers: numbers(2), manualEntryAllowed: false }));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html lang="en">/);
    assert.match(res.body, /type="radio" id="tg-phone-0" name="phoneIndex" value="0" checked/);
    assert.match(res.body, /\+1 •••••••0121/);
    assert.match(res.body, /name="channel" value="sms"[^>]*>Send Code</);
    assert.match(res.body, /name="channel" value="voice"[^>]*>Call Me</);
    assert.doesNotMatch(res.body, /name="phoneNumber"/);
    assert.match(res.body, /<legend>Choose a number<\/legend>/);
  });

  test('manual entry: country select and tel input with bound labels', async () => {
    const { res } = await render(makeView({ channels: ['sms'], authenticationMode: 'sms' }));
    assert.match(res.body, /<label for="tg-country">Country Code<\/label>/);
    assert.match(res.body, /<label for="tg-number">Phone Number<\/label>/);
    assert.match(res.body, /id="tg-number" name="phoneNumber" type="tel"/);
    assert.match(res.body, /aria-describedby="tg-number-hint"/);
    assert.doesNotMatch(res.body, /value="voice"/);
  });

  test('code_sent: one-time-code input sized to the code length, attempts, masked destination', async () => {
    const { res } = await render(sentView({ codeLength: 8 }, { attemptsLeft: 2 }));
    assert.match(res.body, /autocomplete="one-time-code"/);
    assert.match(res.body, /inputmode="numeric"/);
    assert.match(res.body, /pattern="\\d\{8\}"/);
    assert.match(res.body, /maxlength="8"/);
    assert.match(res.body, /Please enter the 8-digit code you received/);
    assert.match(res.body, /We sent a code to \+1 •••••••0123\./);
    assert.match(res.body, /Attempts left: 2/);
    assert.match(res.body, />Verify Code</);
    assert.match(res.body, /data-autosubmit="true"/);
  });

  test('code_sent during the resend cooldown: resend disabled with the seconds left', async () => {
    const { res } = await render(sentView({}, { resendAvailableAt: NOW + 25_000, channel: 'voice' }));
    assert.match(res.body, /We are calling \+1 •••••••0123/);
    assert.match(res.body, /value="voice" class="tg-link" data-resend[^>]* disabled/);
    assert.match(res.body, /data-countdown="25"/);
    assert.match(res.body, /You can ask for a new code in 25 s\./);
  });

  test('code_sent with the resend allowed and no sends left', async () => {
    const open = await render(sentView({}, { resendAvailableAt: NOW - 1 }));
    assert.match(open.res.body, /value="sms" class="tg-link" data-resend data-sending="Sending…">send a new code</);
    const none = await render(sentView({}, { sendsLeft: 0 }));
    assert.doesNotMatch(none.res.body, /send a new code/);
  });

  test('verified: done message and continue link to the return URL', async () => {
    const { res } = await render(makeView({ status: 'verified', returnUrl: 'https://app.example/cb?result=abc&state=1' }));
    assert.match(res.body, /Your phone number is verified\./);
    assert.match(res.body, /href="https:\/\/app\.example\/cb\?result=abc&amp;state=1"[^>]*>Continue</);
    assert.match(res.headers['content-security-policy'] as string, /form-action 'self' https:\/\/app\.example/);
  });

  test('failed and expired: message, retry and cancel', async () => {
    const failed = await render(makeView({ status: 'failed', returnUrl: 'https://app.example/cb' }));
    assert.match(failed.res.body, /We could not verify your phone number\./);
    assert.match(failed.res.body, />Retry</);
    assert.match(failed.res.body, />Cancel</);
    const expired = await render(makeView({ status: 'expired' }));
    assert.match(expired.res.body, /This verification has expired/);
  });

  test('a javascript: return URL is never linked', async () => {
    const { res } = await render(makeView({ status: 'verified', returnUrl: 'javascript:alert(1)' }));
    assert.doesNotMatch(res.body, /javascript:/);
  });
});

describe('intro string by mode × number count', () => {
  for (const mode of ['sms', 'phone', 'mixed'] as const) {
    for (const [count, suffix] of [
      [0, 'entry'],
      [1, ''],
      [3, '_p'],
    ] as const) {
      const id = suffix === 'entry' ? `intro_entry_${mode}` : `intro_${mode}${suffix}`;
      test(`${mode} with ${count} number(s) → ${id}`, async () => {
        const channels = mode === 'sms' ? ['sms' as const] : mode === 'phone' ? ['voice' as const] : ['sms' as const, 'voice' as const];
        const { res } = await render(makeView({ authenticationMode: mode, channels, registeredNumbers: numbers(count) }));
        const text = en[id as keyof typeof en];
        assert.ok(res.body.includes(`<p id="tg-intro" class="tg-intro">${text.replace(/'/g, '&#39;')}</p>`), id);
      });
    }
  }
});

describe('country dropdown', () => {
  test('limited to the allowlist, "Name (+cc)", sorted by localized name, preselected from Accept-Language', async () => {
    const { res } = await render(makeView({ countryAllowlist: ['US', 'FR', 'CA'] }), { 'accept-language': 'fr-CA,fr;q=0.9' });
    const options = [...res.body.matchAll(/<option value="([A-Z]{2})"[^>]*>([^<]+)</g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(options.map((o) => o[0]), ['CA', 'US', 'FR']);
    assert.deepEqual(options.map((o) => o[1]), ['Canada (+1)', 'États-Unis (+1)', 'France (+33)']);
    assert.match(res.body, /<option value="CA" selected>/);
    assert.match(res.body, /<html lang="fr">/);
  });

  test('null allowlist: every region libphonenumber-js knows; policy names win over Intl', async () => {
    const { res } = await render(makeView({ countryNames: { en: { DEFAULT: 'Pick a place', DE: 'Germany (policy)' } } }));
    const count = [...res.body.matchAll(/<option value="[A-Z]{2}"/g)].length;
    assert.ok(count > 200, `only ${count} countries`);
    assert.match(res.body, />Germany \(policy\) \(\+49\)</);
    assert.match(res.body, /<option value="" selected>Pick a place</);
  });

  test('unknown codes in the allowlist are dropped', async () => {
    const { res } = await render(makeView({ countryAllowlist: ['IT', 'ZZ', 'xx'] }));
    const codes = [...res.body.matchAll(/<option value="([A-Z]{2})"/g)].map((m) => m[1]);
    assert.deepEqual(codes, ['IT']);
    assert.match(res.body, /<option value="IT" selected>/);
  });
});

describe('escaping and headers', () => {
  const evil = '<script>alert("x")</script>&\'';
  test('malicious override strings, app name and country names are escaped', async () => {
    const { res } = await render(
      makeView({
        appName: evil,
        countryAllowlist: ['US'],
        countryNames: { en: { US: evil } },
        stringOverrides: { en: { heading: evil, button_send_code: '<img src=x onerror=alert(1)>' } },
        registeredNumbers: [{ index: 0, masked: '<b>+1</b>', region: 'US' }],
      }),
    );
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.doesNotMatch(res.body, /<img src=x/);
    assert.doesNotMatch(res.body, /<b>\+1/);
    assert.match(res.body, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&amp;&#39;/);
    assert.match(res.body, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  test('security headers, no inline script, external deferred script', async () => {
    const { res } = await render(makeView());
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.headers['content-type'] as string, /^text\/html/);
    assert.match(res.body, /<script src="\/assets\/phone-factor\.js\?v=[0-9a-f]+" defer><\/script>/);
    assert.doesNotMatch(res.body, /<script>|<script(?![^>]*src=)/);
    assert.doesNotMatch(res.body, /\son[a-z]+=/i);
    assert.match(res.body, /<meta name="viewport"/);
  });

  test('CSRF cookie attributes', async () => {
    const fake = fakeService(makeView());
    const app = await buildApp(fake, true);
    const res = await app.inject({ method: 'GET', url: pagePath });
    await app.close();
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /^tg_csrf=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.match(setCookie, /Path=\/pf/);
    assert.match(setCookie, /Secure/);
  });

  test('unknown or malformed session id → 404 page, never 500', async () => {
    const { TollgateError } = await import('../../src/core/errors.ts');
    const fake = fakeService(makeView());
    fake.viewError = new TollgateError('session_not_found');
    const app = await buildApp(fake);
    const a = await app.inject({ method: 'GET', url: pagePath });
    const b = await app.inject({ method: 'GET', url: '/pf/..%2F..%2Fetc' });
    await app.close();
    assert.equal(a.statusCode, 404);
    assert.match(a.body, /not valid, or it has already been used/);
    assert.equal(b.statusCode, 404);
  });
});
