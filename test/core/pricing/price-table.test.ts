// Cost estimates per country and channel, and the configuration schema of the price table.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPriceTable, estimateCost, priceTableSchema, type PriceTable } from '../../../src/core/pricing/price-table.ts';

const table: PriceTable = {
  currency: 'EUR',
  default: { sms: 0.5, voice: 0.6 },
  countries: { FR: { sms: 0.07, voice: 0.04 }, IT: { sms: 0.08 } },
};

describe('estimateCost', () => {
  test('uses the country price for the channel', () => {
    assert.equal(estimateCost(table, 'FR', 'sms'), 0.07);
    assert.equal(estimateCost(table, 'FR', 'voice'), 0.04);
    assert.equal(estimateCost(table, 'fr', 'sms'), 0.07);
  });

  test('falls back to the default for a missing channel, an unlisted country or no region', () => {
    assert.equal(estimateCost(table, 'IT', 'voice'), 0.6);
    assert.equal(estimateCost(table, 'DE', 'sms'), 0.5);
    assert.equal(estimateCost(table, null, 'voice'), 0.6);
  });

  test('bills a voice call as voiceMinutesPerCall minutes, without float noise', () => {
    assert.equal(estimateCost({ ...table, voiceMinutesPerCall: 3 }, 'FR', 'voice'), 0.12);
    assert.equal(estimateCost({ ...table, voiceMinutesPerCall: 3 }, 'FR', 'sms'), 0.07);
    assert.equal(estimateCost({ ...defaultPriceTable, voiceMinutesPerCall: 3 }, 'US', 'voice'), 0.042);
  });
});

describe('defaultPriceTable', () => {
  test('has realistic tiers and treats the unknown as expensive', () => {
    assert.equal(defaultPriceTable.currency, 'USD');
    assert.equal(estimateCost(defaultPriceTable, 'US', 'sms'), 0.0079);
    assert.equal(estimateCost(defaultPriceTable, 'CA', 'voice'), 0.014);
    for (const eu of ['FR', 'DE', 'IT', 'ES', 'NL']) {
      const sms = estimateCost(defaultPriceTable, eu, 'sms');
      assert.ok(sms >= 0.04 && sms <= 0.1, `${eu} ${sms}`);
    }
    assert.equal(estimateCost(defaultPriceTable, 'AZ', 'sms'), 0.39);
    assert.equal(estimateCost(defaultPriceTable, 'TJ', 'sms'), 0.45);
    assert.equal(estimateCost(defaultPriceTable, 'BD', 'sms'), 0.32);
    assert.equal(estimateCost(defaultPriceTable, 'AF', 'sms'), 0.38);
    const nonGeographic = estimateCost(defaultPriceTable, null, 'sms');
    assert.ok(nonGeographic >= estimateCost(defaultPriceTable, 'TJ', 'sms'));
    assert.ok(estimateCost(defaultPriceTable, 'ZZ', 'voice') >= 0.45);
  });

  test('passes its own schema', () => {
    assert.equal(priceTableSchema.safeParse(defaultPriceTable).success, true);
  });
});

describe('priceTableSchema', () => {
  test('accepts a valid table and refuses bad ones', () => {
    assert.deepEqual(priceTableSchema.parse(table), table);
    const bad: unknown[] = [
      { ...table, currency: 'euro' },
      { ...table, default: { sms: 0.5 } },
      { ...table, default: { sms: -1, voice: 0.6 } },
      { ...table, countries: { fr: { sms: 0.1 } } },
      { ...table, countries: { FR: { sms: 0.1, mms: 0.2 } } },
      { ...table, countries: { FR: { sms: Number.POSITIVE_INFINITY } } },
      { ...table, voiceMinutesPerCall: 0 },
      { ...table, extra: true },
    ];
    for (const value of bad) assert.equal(priceTableSchema.safeParse(value).success, false, JSON.stringify(value));
  });
});
