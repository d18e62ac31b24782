import { startTestTollgate } from './test/helpers/test-tollgate.ts';
const t = await startTestTollgate();
const N = 2000;
const tm = { create: 0, send: 0, outbox: 0, verify: 0 };
for (let i = 0; i < N; i++) {
  let a = performance.now();
  const s = await t.call('POST', '/v1/phone-factor/sessions', { profile: 'PhoneFactor-InputOrVerify', userId: 'u' + i, client: { ip: '1.2.3.4', userAgent: 'x' } });
  let b = performance.now(); tm.create += b - a; a = b;
  const num = '+1415555' + String(1000 + (i % 9000)).padStart(4, '0');
  const r = await t.call('POST', `/v1/phone-factor/sessions/${s.body.id}/send`, { phoneNumber: '+14155550123', channel: 'sms', client: { ip: '1.2.3.4', userAgent: 'x' } });
  b = performance.now(); tm.send += b - a; a = b;
  const m = await t.tg.store.listOutbox({ to: '+14155550123', limit: 1 });
  b = performance.now(); tm.outbox += b - a; a = b;
  const v = await t.call('POST', `/v1/phone-factor/sessions/${s.body.id}/verify`, { code: m[0]!.code });
  b = performance.now(); tm.verify += b - a; a = b;
  t.advance(1000);
}
console.log(Object.fromEntries(Object.entries(tm).map(([k, v]) => [k, (v / N).toFixed(3)])));
await t.close();
