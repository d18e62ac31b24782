// The engine: rule order and short-circuit, per-rule modes, per-policy overrides, the CAPTCHA
// downgrade, fail-open / fail-closed on errors, alternatives, and counting only committed sends.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCounters } from '../../../src/adapters/counters/memory.ts';
import { DefenseReasonCode, type SendContext } from '../../../src/core/defense/decision.ts';
import { parseDefenseConfig } from '../../../src/core/defense/defense-config.ts';
import { DefenseEngine, type DefenseRule } from '../../../src/core/defense/engine.ts';
import type { Counters } from '../../../src/ports.ts';
import { sendContext, T0 } from './rules-context.ts';

/** Memory counters that log every key read or written, in order. */
class SpyCounters implements Counters {
  readonly inner = new MemoryCounters();
  readonly log: string[] = [];
  hit(key: string, now: number, windowMs: number, amount?: number) {
    this.log.push(`hit ${key}`);
    return this.inner.hit(key, now, windowMs, amount);
  }
  count(key: string, now: number, windowMs: number) {
    this.log.push(`count ${key}`);
    return this.inner.count(key, now, windowMs);
  }
  reset(key: string) {
    return this.inner.reset(key);
  }
}

const brokenCounters: Counters = {
  hit: async () => {
    throw new Error('counter store down');
  },
  count: async () => {
    throw new Error('counter store down');
  },
  reset: async () => {},
};

function marker(id: string, log: string[], order?: number): DefenseRule {
  return {
    id,
    code: DefenseReasonCode.BAD_REPUTATION,
    order,
    async evaluate() {
      log.push(`rule ${id}`);
      return [];
    },
  };
}

const mobile = (over: Partial<SendContext> = {}) => sendContext('+447400123456', over);

describe('DefenseEngine: order and outcome', () => {
  test('an ordinary send is allowed with no reasons and no alternatives', async () => {
    const d = await new DefenseEngine(parseDefenseConfig(), new MemoryCounters()).decide(mobile());
    assert.deepEqual(d, { action: 'allow', reasons: [], retryAfter: undefined, alternatives: [] });
  });

  test('cheap rules first: spend before velocity, extra rules where their order puts them', async () => {
    const spy = new SpyCounters();
    const engine = new DefenseEngine(parseDefenseConfig(), spy, [marker('pumping', spy.log), marker('reputation', spy.log, 35)]);
    await engine.decide(mobile());
    const first = (prefix: string) => spy.log.findIndex((l) => l.startsWith(prefix));
    assert.ok(first('rule reputation') < first('count spend:'), spy.log.join('\n'));
    assert.ok(first('count spend:') < first('count v:'));
    const lastVelocity = spy.log.findLastIndex((l) => l.startsWith('count v:'));
    assert.ok(lastVelocity >= 0 && lastVelocity < first('rule pumping'), 'extra rules without an order run last');
    assert.equal(spy.log.filter((l) => l.startsWith('hit')).length, 0, 'decide never counts');
  });

  test('an enforced block stops the evaluation: a premium number costs no counter read', async () => {
    const spy = new SpyCounters();
    const d = await new DefenseEngine(parseDefenseConfig(), spy).decide(sendContext('+19005550123'));
    assert.equal(d.action, 'block');
    assert.deepEqual(d.reasons.map((r) => r.rule), ['number-type']);
    assert.deepEqual(spy.log, []);
  });

  test('sends are counted by commitSend only; refused ones never', async () => {
    const counters = new MemoryCounters();
    const engine = new DefenseEngine(parseDefenseConfig({ velocity: { backoff: { enabled: false } } }), counters);
    for (let i = 0; i < 3; i++) {
      assert.equal((await engine.decide(mobile({ now: T0 + i }))).action, 'allow');
      await engine.commitSend(mobile({ now: T0 + i }));
    }
    for (let i = 0; i < 5; i++) {
      const d = await engine.decide(mobile({ now: T0 + 10 }));
      assert.equal(d.action, 'block');
      assert.ok(d.retryAfter! > 500, `retryAfter ${d.retryAfter}`);
    }
    assert.equal(await counters.count('v:n:+447400123456', T0 + 10, 600_000), 3);
    assert.equal(await counters.count('spend:all', T0 + 10, 3_600_000), 0.12);
  });
});

describe('DefenseEngine: modes and overrides', () => {
  test('shadow: reasons are reported, marked shadow, not enforced, and evaluation goes on', async () => {
    const spy = new SpyCounters();
    const d = await new DefenseEngine(parseDefenseConfig({ numberType: { mode: 'shadow' } }), spy).decide(sendContext('+19005550123'));
    assert.equal(d.action, 'allow');
    assert.equal(d.reasons[0]?.shadow, true);
    assert.equal(d.reasons[0]?.action, 'block');
    assert.ok(spy.log.some((l) => l.startsWith('count v:')), 'later rules still ran');
  });

  test('off: the rule is skipped; ruleModes sets extra rules', async () => {
    const log: string[] = [];
    const config = parseDefenseConfig({ numberType: { mode: 'off' }, ruleModes: { pumping: 'off' } });
    const d = await new DefenseEngine(config, new MemoryCounters(), [marker('pumping', log)]).decide(sendContext('+19005550123'));
    assert.equal(d.action, 'allow');
    assert.deepEqual(log, []);
  });

  test('per-policy overrides merge over the global settings; other policies keep them', async () => {
    const config = parseDefenseConfig({
      fallbackMethods: ['email'],
      policies: { B2C_1A_strict: { numberType: { voip: 'block' }, fallbackMethods: ['email', 'totp'] }, B2C_1A_lab: { velocity: { mode: 'shadow' } } },
    });
    const engine = new DefenseEngine(config, new MemoryCounters());
    const voip = (policyId: string) => sendContext('+445612345678', { policyId });
    const strict = await engine.decide(voip('B2C_1A_strict'));
    assert.equal(strict.action, 'block');
    assert.deepEqual(strict.alternatives, ['email', 'totp']);
    assert.equal((await engine.decide(voip('B2C_1A_signup'))).action, 'challenge');
    assert.equal(engine.effectiveConfig('B2C_1A_strict').numberType.personalNumber, 'challenge', 'untouched keys inherit');
    assert.equal(engine.effectiveConfig('B2C_1A_lab').velocity.mode, 'shadow');
    assert.equal(engine.effectiveConfig('unknown').velocity.mode, 'enforce');
    assert.throws(() => parseDefenseConfig({ policies: { P: { velocity: { ip: [{ windowSeconds: 0, max: 1, action: 'block' }] } } } }), /policies/);
  });
});

describe('DefenseEngine: CAPTCHA, errors, alternatives', () => {
  test('a solved CAPTCHA satisfies challenges of this send but never lifts a block', async () => {
    const engine = new DefenseEngine(parseDefenseConfig(), new MemoryCounters());
    const d = await engine.decide(sendContext('+445612345678', { captchaPassed: true }));
    assert.equal(d.action, 'allow');
    assert.equal(d.reasons[0]?.action, 'allow');
    assert.equal(d.reasons[0]?.details?.satisfiedByCaptcha, true);
    assert.equal(d.reasons[0]?.details?.type, 'VOIP');
    assert.equal((await engine.decide(sendContext('+449090123456', { captchaPassed: true }))).action, 'block');
  });

  test('a rule that throws fails open, recorded with the error', async () => {
    const boom: DefenseRule = { id: 'pumping', code: DefenseReasonCode.PUMPING_SUSPECTED, evaluate: async () => { throw new Error('baseline missing'); } };
    const d = await new DefenseEngine(parseDefenseConfig(), new MemoryCounters(), [boom]).decide(mobile());
    assert.equal(d.action, 'allow');
    assert.deepEqual([d.reasons[0]?.rule, d.reasons[0]?.action, d.reasons[0]?.details?.error], ['pumping', 'allow', 'baseline missing']);
  });

  test('unreadable counters: spend caps fail closed, velocity fails open', async () => {
    const d = await new DefenseEngine(parseDefenseConfig(), brokenCounters).decide(mobile());
    assert.equal(d.action, 'block');
    assert.equal(d.reasons.at(-1)?.code, 'spend_cap_reached');
    assert.equal(d.reasons.at(-1)?.details?.error, 'counter store down');
    const open = await new DefenseEngine(parseDefenseConfig({ spend: { mode: 'off' } }), brokenCounters).decide(mobile());
    assert.equal(open.action, 'allow');
    assert.equal(open.reasons[0]?.rule, 'velocity');
    assert.equal(open.reasons[0]?.details?.failOpen, true);
  });

  test('commitSend tries every rule and reports store failures together', async () => {
    await assert.rejects(new DefenseEngine(parseDefenseConfig(), brokenCounters).commitSend(mobile()), AggregateError);
  });

  test('alternatives: the other channel when the refusal is channel-specific, then fallbackMethods', async () => {
    const engine = new DefenseEngine(parseDefenseConfig({ channels: { sms: { enabled: false } }, fallbackMethods: ['email'] }), new MemoryCounters());
    assert.deepEqual((await engine.decide(mobile())).alternatives, ['voice', 'email']);
    const jmVoice = await new DefenseEngine(parseDefenseConfig(), new MemoryCounters()).decide(sendContext('+18765550123', { channel: 'voice' }));
    assert.deepEqual(jmVoice.alternatives, ['sms'], 'Jamaica: voice is off (high cost), SMS is not');
    const tollFree = await new DefenseEngine(parseDefenseConfig(), new MemoryCounters()).decide(sendContext('+18002530000'));
    assert.deepEqual(tollFree.alternatives, ['voice'], 'a toll-free line can take a call');
    assert.deepEqual((await engine.decide(sendContext('+19005550123', { channel: 'voice' }))).alternatives, ['email'], 'premium: no channel helps');
  });

  test('rejects two rules with one id', () => {
    assert.throws(() => new DefenseEngine(parseDefenseConfig(), new MemoryCounters(), [marker('velocity', [])]), /twice/);
  });
});
