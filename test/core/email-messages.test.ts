// The code email per language: subject, text and HTML, escaping, and what must stay out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeHtml, renderCodeEmail } from '../../src/services/email-otp-messages.ts';

describe('code email templates', () => {
  test('English, French and Italian, with the code, lifetime and the ignore line', () => {
    const cases = [
      ['en-GB', 'Your Shop verification code', 'expires in 10 minutes', "Didn't ask for this code?"],
      ['fr-CA', 'Votre code de vérification Shop', 'expire dans 10 minutes', "Vous n'avez pas demandé ce code ?"],
      ['it', 'Il tuo codice di verifica Shop', 'Scade tra 10 minuti', 'Non hai richiesto questo codice?'],
    ] as const;
    for (const [locale, subject, expires, ignore] of cases) {
      const mail = renderCodeEmail({ locale, code: '123456', appName: 'Shop', ttlMinutes: 10 });
      assert.equal(mail.subject, subject);
      assert.ok(!mail.subject.includes('123456'), 'the code stays out of the subject (inbox lists, banners)');
      for (const part of [mail.text, mail.html]) {
        assert.ok(part.includes('123456'), locale);
        assert.ok(part.includes(expires), `${locale}: ${expires}`);
      }
      assert.ok(mail.text.includes(ignore));
      assert.ok(mail.html.includes(ignore.replace("'", '&#39;')));
      assert.match(mail.html, new RegExp(`<html lang="${locale.slice(0, 2)}">`));
    }
    assert.equal(renderCodeEmail({ locale: 'de', code: '1', appName: 'A', ttlMinutes: 1 }).language, 'en');
    assert.ok(renderCodeEmail({ locale: 'en', code: '1', appName: 'A', ttlMinutes: 1 }).text.includes('1 minute.'));
  });

  test('HTML is a presentation table with inline styles, no scripts, no external resources', () => {
    const { html } = renderCodeEmail({ locale: 'en', code: '987654', appName: 'Shop', ttlMinutes: 5 });
    assert.match(html, /<table role="presentation"/);
    assert.match(html, /aria-label="9 8 7 6 5 4"/);
    assert.ok(!/<script|<style|<link|<img|https?:\/\//i.test(html));
  });

  test('escapes everything and flattens the app name', () => {
    const mail = renderCodeEmail({ locale: 'en', code: '<b>1', appName: 'Evil <script>"&\'\r\nBcc: x@y', ttlMinutes: 3 });
    assert.ok(!mail.html.includes('<script>'));
    assert.ok(mail.html.includes('Evil &lt;script&gt;&quot;&amp;&#39; Bcc: x@y'));
    assert.ok(mail.html.includes('&lt;b&gt;1'));
    assert.ok(!/[\r\n]/.test(mail.subject), 'no header injection through the subject');
    assert.equal(escapeHtml(`<>&"'`), '&lt;&gt;&amp;&quot;&#39;');
  });
});
