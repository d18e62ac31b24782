// One list of reason codes: every code has a description and an HTTP status, every defense code
// is a reason code, and docs/events.md lists them all.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DefenseReasonCode } from '../../src/core/defense/decision.ts';
import { httpStatusOf } from '../../src/core/errors.ts';
import { ReasonCode, reasonDescriptions } from '../../src/core/events/reason-codes.ts';

test('reason codes are complete and documented', () => {
  const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
  for (const code of Object.values(ReasonCode)) {
    assert.ok(reasonDescriptions[code], `${code} has a description`);
    const status = httpStatusOf(code);
    assert.ok(code === 'ok' || (status >= 400 && status < 600), `${code} has an error status`);
    assert.ok(doc.includes(`| \`${code}\` | `), `docs/events.md lists ${code}`);
  }
  for (const code of Object.values(DefenseReasonCode)) {
    assert.ok((Object.values(ReasonCode) as string[]).includes(code), `${code} is a reason code`);
  }
  assert.equal(reasonDescriptions.bad_reputation, 'Phone number has bad reputation, blocking.', 'the stock workbook filters on this text');
});
