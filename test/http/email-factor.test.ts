// Email one-time codes over HTTP through Tollgate's SMTP mailer to a real SMTP server started here:
// the code arrives and verifies (result claims, events of the same schema), the same code rules,
// disposable domains and invalid addresses refused, velocity per domain, a refused recipient.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { mailCode, mailHeader, mailText, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { startTestTollgate, type TestTollgate } from '../helpers/test-tollgate.ts';

const root = new URL('../..', import.meta.url).pathname;
let t: TestTollgate;
let sink: SmtpSink;

before(async () => {
  sink = await startSmtpSink();
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-email-'));
  const file = join(dir, 'tollgate.yaml');
  writeFileSync(file, `
mail:
  adapter: smtp
  host: 127.0.0.1
  port: ${sink.port}
  requireTLS: false
  from: "Tollgate <no-reply@tollgate.test>"
  timeoutSeconds: 5
factors:
  email:
    disposable: { block: [blocked.test] }
    velocity:
      domain: [{ windowSeconds: 3600, max: 3 }]
`);
  t = await startTestTollgate({ TOLLGATE_CONFIG: file, TOLLGATE_POLICIES: `${join(root, 'policies/demo.yaml')},${join(root, 'test/fixtures/policies/factors-policy.yaml')}` });
});
after(async () => {
  await t?.close();
  await sink?.close();
});

async function session(profile = 'PhoneFactor-Methods', userId = 'email-user'): Promise<string> {
  const r = await t.call('POST', '/v1/phone-factor/sessions', { profile, userId });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

const payload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

describe('email one-time codes (real SMTP server)', () => {
  test('the code is mailed, read back from the server and verified; claims and events', async () => {
    const id = await session();
    const sent = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: ' Jane.Doe@Example.ORG ' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.channel, 'email');
    assert.equal(sent.body.to, 'J•••@example.org');
    assert.equal(sent.body.attemptsLeft, 3);
    assert.equal(sent.body.sendsLeft, 4);

    const mail = await sink.lastTo('Jane.Doe@example.org');
    assert.ok(mail, 'the SMTP server received the mail');
    assert.equal(mailHeader(mail.raw, 'subject'), 'Your Tollgate demo verification code');
    assert.equal(mailHeader(mail.raw, 'auto-submitted'), 'auto-generated');
    const code = mailCode(mail.raw);
    assert.match(code ?? '', /^\d{6}$/, mailText(mail.raw));
    assert.ok(!mailHeader(mail.raw, 'subject')!.includes(code!), 'the code stays out of the subject');

    const wrong = await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code: code === '000000' ? '000001' : '000000' });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.attemptsLeft, 2);
    const ok = await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const claims = payload(ok.body.result);
    assert.deepEqual(claims.amr, ['email']);
    assert.equal(claims.email, 'Jane.Doe@example.org');
    assert.equal(claims.email_verified, true);
    assert.equal(claims['Verified.strongAuthenticationPhoneNumber'], null);
    assert.equal(claims.newPhoneNumberEntered, false);
    assert.deepEqual(claims.tollgate, { profile: 'PhoneFactor-Methods', policy: 'B2C_1A_TollgateDemo', channel: 'email', method: 'email' });
    const status = await t.call('GET', `/v1/phone-factor/sessions/${id}`);
    assert.equal(status.body.claims.email, 'Jane.Doe@example.org');

    const events = await t.tg.store.listEvents({ sessionId: id });
    const byType = (type: string) => events.filter((e) => e.type === type);
    const codeSent = byType('code.sent')[0]!;
    assert.equal(codeSent.channel, 'email');
    assert.equal(codeSent.phoneNumber, null);
    assert.equal(codeSent.cost, 0);
    assert.equal(codeSent.details.emailDomain, 'example.org');
    assert.equal(codeSent.details.emailMasked, 'J•••@example.org');
    assert.equal(codeSent.details.provider, 'smtp');
    assert.equal(byType('code.rejected')[0]!.reason, 'invalid_code');
    assert.equal(byType('code.verified')[0]!.channel, 'email');
    assert.equal(byType('session.verified')[0]!.details.method, 'email');
    const all = JSON.stringify(events);
    assert.ok(!all.includes('Jane.Doe@'), 'events never hold the full address');
    assert.ok(!all.includes(code!), 'events never hold the code');
  });

  test('resend to the same address after the cooldown; the earlier code no longer works', async () => {
    const id = await session('Factor-Email', 'resend-user');
    assert.equal((await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: 'resend@example.net' })).status, 200);
    const first = mailCode((await sink.lastTo('resend@example.net'))!.raw);
    const early = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email' });
    assert.equal(early.status, 429);
    assert.equal(early.body.error.code, 'resend_cooldown');
    t.advance(31_000);
    const count = sink.received.length;
    assert.equal((await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email' })).status, 200);
    for (let i = 0; i < 50 && sink.received.length === count; i++) await new Promise((r) => setTimeout(r, 20));
    const second = mailCode(sink.received.at(-1)!.raw);
    if (first !== second) {
      const old = await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code: first });
      assert.equal(old.body.error.code, 'invalid_code');
    }
    assert.equal((await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code: second })).status, 200);
  });

  test('disposable domains, blocked domains and invalid addresses are refused before any mail', async () => {
    const id = await session('Factor-Email', 'refused-user');
    const before = sink.received.length;
    const disposable = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: 'someone@mailinator.com' });
    assert.equal(disposable.status, 403);
    assert.equal(disposable.body.error.code, 'email_domain_not_allowed');
    assert.equal(disposable.body.error.field, 'email');
    const blocked = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: 'a@mx.blocked.test' });
    assert.equal(blocked.body.error.code, 'email_domain_not_allowed');
    for (const bad of ['not-an-address', 'Jane <jane@example.org>', 'jane@localhost']) {
      const r = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: bad });
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.error.code, 'invalid_email_address');
    }
    const mixed = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: 'a@example.org', phoneNumber: '+14155550123' });
    assert.equal(mixed.body.error.code, 'invalid_request');
    assert.equal(sink.received.length, before, 'nothing was mailed');
    const refused = (await t.tg.store.listEvents({ sessionId: id, type: 'code.send_refused' })).map((e) => e.reason);
    assert.deepEqual(refused.slice(0, 2), ['email_domain_not_allowed', 'email_domain_not_allowed']);
    const domains = (await t.tg.store.listEvents({ sessionId: id, type: 'code.send_refused' })).map((e) => e.details.emailDomain);
    assert.ok(domains.includes('mailinator.com'));
  });

  test('velocity per domain: the fourth address of one domain in an hour is refused', async () => {
    for (let i = 1; i <= 3; i++) {
      const id = await session('Factor-Email', `spray-${i}`);
      const r = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: `user${i}@spray.example` });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const id = await session('Factor-Email', 'spray-4');
    const r = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: 'user4@spray.example' });
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, 'velocity_exceeded');
    assert.equal(r.body.error.rule, 'email.velocity.domain');
    assert.ok(r.body.error.retryAfter > 0 && r.body.error.retryAfter <= 3600);
    // Another domain is not affected.
    const other = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: 'user4@other.example' });
    assert.equal(other.status, 200);
  });

  test('email is refused where the profile does not offer it', async () => {
    const id = await session('PhoneFactor-InputOrVerify', 'phone-only');
    const r = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: 'jane@example.org' });
    assert.equal(r.status, 422);
    assert.equal(r.body.error.code, 'channel_not_allowed');
  });

  test('a recipient the server refuses is delivery_failed, the code is withdrawn, other methods offered', async () => {
    sink.refuse.add('gone@example.org');
    const id = await session('PhoneFactor-Methods', 'gone-user');
    const r = await t.call('POST', `/v1/phone-factor/sessions/${id}/send`, { channel: 'email', email: 'gone@example.org' });
    assert.equal(r.status, 502);
    assert.equal(r.body.error.code, 'delivery_failed');
    assert.deepEqual(r.body.error.alternatives, ['phone', 'totp']);
    assert.equal(r.body.error.sendsLeft, 4, 'the send counts, as a failed phone send does');
    const v = await t.call('POST', `/v1/phone-factor/sessions/${id}/verify`, { code: '123456' });
    assert.equal(v.body.error.code, 'no_code_sent');
  });
});
