// Locale negotiation, the string tables (complete, placeholders consistent across languages)
// and the translator's override order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseLocale, matchLocale, parseAcceptLanguage, regionsFromAcceptLanguage } from '../../src/core/i18n/negotiate.ts';
import { builtInStrings, createTranslator, fillPlaceholders, stringIds } from '../../src/core/i18n/strings/index.ts';
import { buildApp, fakeService, makeView, pagePath } from './helpers.ts';

const supported = ['en', 'fr', 'it'];

describe('chooseLocale', () => {
  test('session locale, then ui_locales, then Accept-Language, then the default', () => {
    const all = { sessionLocale: 'it-IT', uiLocales: 'fr', acceptLanguage: 'en-US', supported, defaultLanguage: 'en' };
    assert.equal(chooseLocale(all), 'it');
    assert.equal(chooseLocale({ ...all, sessionLocale: null }), 'fr');
    assert.equal(chooseLocale({ ...all, sessionLocale: null, uiLocales: 'de  fr-CA' }), 'fr');
    assert.equal(chooseLocale({ ...all, sessionLocale: 'de', uiLocales: null, acceptLanguage: 'de-DE, it;q=0.8, fr;q=0.9' }), 'fr');
    assert.equal(chooseLocale({ ...all, sessionLocale: null, uiLocales: null, acceptLanguage: 'de, *;q=0.5' }), 'en');
    assert.equal(chooseLocale({ supported, defaultLanguage: 'it' }), 'it');
    assert.equal(chooseLocale({ supported: ['fr', 'it'], defaultLanguage: 'en' }), 'fr');
  });

  test('prefix and case matching, q=0 excluded', () => {
    assert.equal(matchLocale('FR_ca', supported), 'fr');
    assert.equal(matchLocale('fr-CA', ['fr', 'fr-CA']), 'fr-CA');
    assert.equal(matchLocale('pt-BR', supported), null);
    assert.deepEqual(parseAcceptLanguage('fr;q=0, it;q=0.4, en-GB'), [
      { tag: 'en-GB', q: 1 },
      { tag: 'it', q: 0.4 },
    ]);
    assert.deepEqual(regionsFromAcceptLanguage('fr-CA,fr;q=0.9,en-us;q=0.8,zh-Hant-TW'), ['CA', 'TW', 'US']);
    assert.deepEqual(parseAcceptLanguage('<script>'), []);
  });
});

describe('strings', () => {
  test('every language has every StringId, non-empty, with the same placeholders', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{([a-z]+)\}/g)].map((m) => m[1]).sort();
    for (const [lang, table] of Object.entries(builtInStrings)) {
      for (const id of stringIds) {
        assert.ok(table[id] && table[id].trim().length > 0, `${lang}.${id}`);
        assert.deepEqual(placeholders(table[id]), placeholders(builtInStrings.en![id]), `${lang}.${id} placeholders`);
      }
      assert.doesNotThrow(() => JSON.parse(table.countryList), `${lang}.countryList is JSON`);
    }
  });

  test('code_pattern and invalid_code follow the code length', () => {
    const tr = createTranslator('en');
    assert.equal(tr.t('code_pattern', { length: 8 }), '\\d{8}');
    assert.equal(tr.t('invalid_code', { length: 4 }), 'Please enter the 4-digit code you received');
    assert.equal(fillPlaceholders('\\d{6} {x}', { y: 1 }), '\\d{6} {x}');
  });

  test('policy overrides win for their language only; base-language fallback', () => {
    const overrides = { en: { heading: 'Confirm it' }, 'fr-CA': { heading: 'Confirmez' } };
    assert.equal(createTranslator('en', overrides).t('heading'), 'Confirm it');
    assert.equal(createTranslator('fr-CA', overrides).t('heading'), 'Confirmez');
    assert.equal(createTranslator('fr', overrides).t('heading'), 'Vérifiez votre numéro de téléphone');
    assert.equal(createTranslator('it-CH').t('button_cancel'), 'Annulla');
    assert.equal(createTranslator('de').t('button_cancel'), 'Cancel');
  });
});

describe('page language', () => {
  async function get(view = makeView(), url = pagePath, headers: Record<string, string> = {}) {
    const app = await buildApp(fakeService(view));
    const res = await app.inject({ url, headers });
    await app.close();
    return res.body;
  }

  test('?ui_locales= picks Italian and is kept on form actions', async () => {
    const body = await get(makeView(), `${pagePath}?ui_locales=it-IT%20en`);
    assert.match(body, /<html lang="it">/);
    assert.match(body, />Invia codice</);
    assert.match(body, />Chiamami</);
    assert.match(body, /action="\/pf\/[^"]+\/send\?ui_locales=it-IT%20en"/);
  });

  test('Accept-Language picks French, with French country names', async () => {
    const body = await get(makeView({ countryAllowlist: ['DE'] }), pagePath, { 'accept-language': 'fr-BE,en;q=0.5' });
    assert.match(body, /<html lang="fr">/);
    assert.match(body, />Envoyer le code</);
    assert.match(body, />Allemagne \(\+49\)</);
  });

  test('the session locale wins over the browser', async () => {
    const body = await get(makeView({ locale: 'fr' }), pagePath, { 'accept-language': 'it' });
    assert.match(body, /<html lang="fr">/);
  });

  test('policy overrides in the chosen language', async () => {
    const body = await get(makeView({ stringOverrides: { it: { button_send_code: 'Mandami un SMS' } } }), `${pagePath}?ui_locales=it`);
    assert.match(body, />Mandami un SMS</);
  });

  test('policy supportedLanguages/defaultLanguage, when the view carries them', async () => {
    const view = makeView();
    Object.assign(view.contentDefinition, { supportedLanguages: ['it'], defaultLanguage: 'it' });
    const body = await get(view, pagePath, { 'accept-language': 'fr' });
    assert.match(body, /<html lang="it">/);
  });
});
