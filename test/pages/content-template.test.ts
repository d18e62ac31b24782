// Operator templates (content definition LoadUri): the form goes into <div id="api"></div>,
// assets and lang are added, a missing file falls back to the built-in layout; operator
// stylesheets are linked after the built-in one when same-origin or https.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, fakeService, makeView, pagePath } from './helpers.ts';
import type { SessionView } from '../../src/services/phone-factor-view.ts';

const dir = mkdtempSync(join(tmpdir(), 'tg-template-'));

async function get(view: SessionView) {
  const app = await buildApp(fakeService(view));
  const res = await app.inject({ url: pagePath, headers: { 'accept-language': 'it' } });
  await app.close();
  return res;
}

describe('content definition templates', () => {
  test('the form is injected into <div id="api"></div> of the operator template', async () => {
    const path = join(dir, 'brand.html');
    writeFileSync(path, '<!DOCTYPE html><html lang="en"><head><title>Brand</title></head><body><header>BRAND</header><div id="api"></div><footer>FOOT</footer></body></html>');
    const res = await get(makeView({ contentDefinition: { id: 'x', loadUri: path, stylesheets: [], defaultLanguage: 'en', supportedLanguages: [] } }));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html lang="it">/);
    assert.match(res.body, /<header>BRAND<\/header><div id="api">\n<h1 id="tg-heading">Verifica il tuo numero di telefono<\/h1>[\s\S]*<\/div><footer>FOOT<\/footer>/);
    assert.match(res.body, /<link rel="stylesheet" href="\/assets\/phone-factor\.css\?v=[0-9a-f]+">[\s\S]*<\/head>/);
    assert.match(res.body, /<script src="\/assets\/phone-factor\.js\?v=[0-9a-f]+" defer><\/script>\n<\/head>/);
    assert.match(res.body, /<meta name="viewport"/);
  });

  test('the cache follows the file modification time', async () => {
    const path = join(dir, 'changing.html');
    writeFileSync(path, '<html><head></head><body>ONE<div id="api"></div></body></html>');
    utimesSync(path, new Date(1000), new Date(1000));
    const view = makeView({ contentDefinition: { id: 'x', loadUri: path, stylesheets: [], defaultLanguage: 'en', supportedLanguages: [] } });
    assert.match((await get(view)).body, /ONE/);
    writeFileSync(path, '<html><head></head><body>TWO<div id="api"></div></body></html>');
    utimesSync(path, new Date(2000), new Date(2000));
    assert.match((await get(view)).body, /TWO/);
  });

  test('a missing file, a template without the placeholder or a remote URL fall back to the built-in page', async () => {
    const noPlaceholder = join(dir, 'nope.html');
    writeFileSync(noPlaceholder, '<html><body>NOPLACE</body></html>');
    for (const loadUri of [join(dir, 'missing.html'), noPlaceholder, 'https://cdn.example/page.html']) {
      const res = await get(makeView({ contentDefinition: { id: 'x', loadUri, stylesheets: [], defaultLanguage: 'en', supportedLanguages: [] } }));
      assert.equal(res.statusCode, 200, loadUri);
      assert.match(res.body, /<main id="tg-main"/);
      assert.doesNotMatch(res.body, /NOPLACE/);
    }
  });

  test('operator stylesheets: same-origin and https only, after the built-in one, allowed by the CSP', async () => {
    const res = await get(
      makeView({
        contentDefinition: {
          id: 'x',
          stylesheets: ['/static/brand.css', 'https://cdn.example/brand.css', 'http://insecure.example/x.css', 'javascript:alert(1)', '//evil.example/x.css'],
          defaultLanguage: 'en',
          supportedLanguages: [],
        },
      }),
    );
    const links = [...res.body.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);
    assert.equal(links.length, 3);
    assert.match(links[0]!, /^\/assets\/phone-factor\.css/);
    assert.deepEqual(links.slice(1), ['/static/brand.css', 'https://cdn.example/brand.css']);
    assert.match(res.headers['content-security-policy'] as string, /style-src 'self' https:\/\/cdn\.example;/);
  });
});
