// SMS and voice wording per language: digit-by-digit speech, repetition, fallbacks.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { messageLanguage, smsText, spellOutCode, voiceLanguageTag, voiceSpeech } from '../../src/core/i18n/messages.ts';

describe('messageLanguage', () => {
  test('accepts bare and regional tags, falls back to English', () => {
    assert.equal(messageLanguage('fr'), 'fr');
    assert.equal(messageLanguage('fr-FR'), 'fr');
    assert.equal(messageLanguage('fr_CA'), 'fr');
    assert.equal(messageLanguage('IT-it'), 'it');
    assert.equal(messageLanguage('it-CH'), 'it');
    assert.equal(messageLanguage('de-DE'), 'en');
    assert.equal(messageLanguage(''), 'en');
    assert.equal(messageLanguage(null), 'en');
  });
});

describe('smsText', () => {
  test('is a plain sentence with the code, app name and lifetime in each language', () => {
    assert.equal(smsText('en', '482913', 'Contoso', 10), '482913 is your Contoso verification code. It expires in 10 minutes. Do not share it.');
    assert.equal(smsText('fr-FR', '482913', 'Contoso', 10), '482913 est votre code de vérification Contoso. Il expire dans 10 minutes. Ne le partagez pas.');
    assert.equal(smsText('it-IT', '482913', 'Contoso', 1), '482913 è il tuo codice di verifica Contoso. Scade tra 1 minuto. Non condividerlo.');
    assert.equal(smsText('en', '1234', 'Contoso', 1), '1234 is your Contoso verification code. It expires in 1 minute. Do not share it.');
  });

  test('unknown locales read English', () => {
    assert.equal(smsText('es-ES', '111222', 'Contoso', 5), smsText('en', '111222', 'Contoso', 5));
  });

  test('keeps configured app names on one line', () => {
    const text = smsText('en', '111222', 'Evil\nClick http://x\u0000', 5);
    assert.ok(!/[\n\u0000]/.test(text));
    assert.match(text, /^111222 is your Evil Click http:\/\/x verification code\./);
  });
});

describe('voiceSpeech', () => {
  test('spells the code digit by digit', () => {
    assert.equal(spellOutCode('123456'), '1, 2, 3, 4, 5, 6');
    assert.equal(spellOutCode('12 34'), '1, 2, 3, 4');
  });

  for (const [locale, first, second] of [
    ['en', 'Your Contoso verification code is: 0, 0, 7, 1, 2, 3.', 'Once again, your code is: 0, 0, 7, 1, 2, 3.'],
    ['fr-FR', 'Votre code de vérification Contoso est : 0, 0, 7, 1, 2, 3.', 'Je répète, votre code est : 0, 0, 7, 1, 2, 3.'],
    ['it-IT', 'Il tuo codice di verifica Contoso è: 0, 0, 7, 1, 2, 3.', 'Ripeto, il tuo codice è: 0, 0, 7, 1, 2, 3.'],
  ] as const) {
    test(`says the code twice, one line each (${locale})`, () => {
      const speech = voiceSpeech(locale, '007123', 'Contoso');
      assert.deepEqual(speech.split('\n'), [first, second]);
      // Leading zeros survive: "007123" is six digits, not the number 7123.
      assert.equal(speech.match(/0, 0, 7, 1, 2, 3/g)?.length, 2);
    });
  }

  test('unknown locales speak English', () => {
    assert.equal(voiceSpeech('pt-BR', '1234', 'Contoso'), voiceSpeech('en-US', '1234', 'Contoso'));
  });
});

describe('voiceLanguageTag', () => {
  test('maps to Twilio <Say> language tags', () => {
    assert.equal(voiceLanguageTag('en'), 'en-US');
    assert.equal(voiceLanguageTag('fr'), 'fr-FR');
    assert.equal(voiceLanguageTag('fr-FR'), 'fr-FR');
    assert.equal(voiceLanguageTag('it'), 'it-IT');
    assert.equal(voiceLanguageTag('it_it'), 'it-IT');
    assert.equal(voiceLanguageTag('en-GB'), 'en-GB');
    assert.equal(voiceLanguageTag('fr-CA'), 'fr-CA');
    assert.equal(voiceLanguageTag('fr-BE'), 'fr-FR');
    assert.equal(voiceLanguageTag('de-DE'), 'en-US');
    assert.equal(voiceLanguageTag('de-GB'), 'en-US');
    assert.equal(voiceLanguageTag(undefined), 'en-US');
  });
});
