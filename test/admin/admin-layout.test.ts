// The shared admin page shell: navigation with the current section, signed-in user and role,
// the sign-out form with its CSRF field, the csrf meta for scripts, and escaping throughout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderAdminLayout } from '../../src/pages/admin/admin-layout.ts';
import { html } from '../../src/pages/html.ts';

test('renderAdminLayout: nav, user, sign-out, csrf meta, scripts, escaping', () => {
  const page = renderAdminLayout({
    title: 'Fraud <b>',
    user: { username: 'alice"><script>', role: 'viewer' },
    active: 'fraud',
    body: html`<p>${'<img src=x onerror=alert(1)>'}</p>`,
    csrf: 'tok"en',
    scripts: ['/assets/admin.js?v=1', 'https://cdn.example/x.js', '//evil.com/x.js', 'javascript:alert(1)'],
  });
  assert.match(page, /<title>Fraud &lt;b&gt; · Tollgate admin<\/title>/);
  assert.match(page, /<h1 id="tg-heading">Fraud &lt;b&gt;<\/h1>/);
  assert.match(page, /<a href="\/admin\/fraud" aria-current="page">Fraud<\/a>/);
  for (const label of ['Overview', 'Details', 'Alerts', 'Audit']) assert.match(page, new RegExp(`>${label}</a>`));
  assert.equal((page.match(/aria-current/g) ?? []).length, 1);
  assert.match(page, /Signed in as <strong>alice&quot;&gt;&lt;script&gt;<\/strong> \(<span class="tg-admin-role">viewer<\/span>\)/);
  assert.match(page, /<form method="post" action="\/admin\/sign-out"[^>]*>\s*<input type="hidden" name="csrf" value="tok&quot;en">/);
  assert.match(page, /<meta name="csrf" content="tok&quot;en">/);
  assert.match(page, /<script src="\/assets\/admin.js\?v=1" defer><\/script>/);
  assert.equal((page.match(/<script /g) ?? []).length, 1);
  assert.match(page, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(page, /<nav aria-label="Admin sections">/);
  assert.match(page, /<main id="tg-main"/);
});
