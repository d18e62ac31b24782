// The demo app's pages: what Tollgate is, a form that starts a verification, and the callback
// page that shows the verified result claims. English only (a developer tool).
import { CSRF_FIELD } from './csrf.ts';
import { renderDocument } from './document.ts';
import { html, type SafeHtml } from './html.ts';

export interface DemoFormValues {
  profile: string;
  userId: string;
  phoneNumbers: string[];
  locale: string;
}

export interface DemoHomeInput {
  profiles: { name: string; description: string }[];
  csrf: string;
  values: DemoFormValues;
  error?: string | null;
}

const languages: [string, string][] = [
  ['', 'Browser default'],
  ['en', 'English'],
  ['fr', 'Français'],
  ['it', 'Italiano'],
];

function page(title: string, body: SafeHtml): string {
  return renderDocument({ lang: 'en', title, body, skipLabel: 'Skip to content' });
}

function links(): SafeHtml {
  return html`<ul class="tg-links">
  <li><a href="/dev/outbox">See the messages Tollgate sent</a> (development outbox: codes are shown there)</li>
  <li><a href="/openapi.json">API description (OpenAPI)</a></li>
</ul>`;
}

export function renderDemoHome(input: DemoHomeInput): string {
  const { values } = input;
  const phone = (i: number) => values.phoneNumbers[i] ?? '';
  const body = html`<h1 id="tg-heading">Tollgate demo</h1>
<p class="tg-intro">Tollgate is a self-hosted phone verification service. Your app asks it to verify a
phone number; the user lands on a hosted page, receives a one-time code by SMS or voice call and types
it in; the browser then comes back to your app with a signed result (a JWT) you check against
<code>/.well-known/jwks.json</code>. Policies follow the Azure AD B2C PhoneFactor technical profile, and
sends are guarded against SMS toll fraud (country allowlists, send limits, cost tracking).</p>
<p>This demo plays the app: fill in the form and follow the page. In development no real message leaves
the server; read the code in the outbox.</p>
${input.error ? html`<div id="tg-error" class="tg-alert" role="alert" tabindex="-1" autofocus><p>${input.error}</p></div>` : ''}
<form class="tg-form" method="post" action="/demo/start">
  <input type="hidden" name="${CSRF_FIELD}" value="${input.csrf}">
  <div class="tg-field">
    <label for="demo-profile">Phone-factor profile</label>
    <select id="demo-profile" name="profile" required aria-describedby="demo-profile-hint">
      ${input.profiles.map((p) => html`<option value="${p.name}"${p.name === values.profile ? html` selected` : ''}>${p.name}${p.description ? ` — ${p.description}` : ''}</option>`)}
    </select>
    <p id="demo-profile-hint" class="tg-hint">The policy's PhoneFactor technical profile: channels, manual entry, countries.</p>
  </div>
  <div class="tg-field">
    <label for="demo-user">User id</label>
    <input id="demo-user" name="userId" type="text" required maxlength="128" autocomplete="off" value="${values.userId}" aria-describedby="demo-user-hint">
    <p id="demo-user-hint" class="tg-hint">The app's opaque user id (the UserId claim). Keep it free of personal data.</p>
  </div>
  <fieldset>
    <legend>Phone numbers on file (0 to 2)</legend>
    <p id="demo-phone-hint" class="tg-hint">None: the user enrols a number. One: the user verifies it. Two: the user chooses. Use E.164, e.g. +14155550123.</p>
    <div class="tg-field">
      <label for="demo-phone-1">First number</label>
      <input id="demo-phone-1" name="phone1" type="tel" inputmode="tel" maxlength="40" autocomplete="off" value="${phone(0)}" aria-describedby="demo-phone-hint">
    </div>
    <div class="tg-field">
      <label for="demo-phone-2">Second number</label>
      <input id="demo-phone-2" name="phone2" type="tel" inputmode="tel" maxlength="40" autocomplete="off" value="${phone(1)}" aria-describedby="demo-phone-hint">
    </div>
  </fieldset>
  <div class="tg-field">
    <label for="demo-locale">Language of the page and messages</label>
    <select id="demo-locale" name="locale">
      ${languages.map(([v, label]) => html`<option value="${v}"${v === values.locale ? html` selected` : ''}>${label}</option>`)}
    </select>
  </div>
  <div class="tg-actions"><button type="submit" class="tg-button tg-primary" data-sending="Starting…">Start a verification</button></div>
</form>
${links()}`;
  return page('Tollgate demo', body);
}

function claimValue(name: string, value: unknown): string {
  if ((name === 'iat' || name === 'exp' || name === 'nbf' || name === 'auth_time') && typeof value === 'number') {
    return `${value} (${new Date(value * 1000).toISOString()})`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

export function renderDemoResult(claims: Record<string, unknown>): string {
  const body = html`<h1 id="tg-heading">Verification result</h1>
<p class="tg-success" role="status">The result token's signature and claims checked out. These are its claims:</p>
<div class="tg-table-wrap"><table class="tg-table">
<thead><tr><th scope="col">Claim</th><th scope="col">Value</th></tr></thead>
<tbody>
${Object.entries(claims).map(([k, v]) => html`<tr><th scope="row"><code>${k}</code></th><td class="tg-body">${claimValue(k, v)}</td></tr>`)}
</tbody>
</table></div>
<div class="tg-actions"><a class="tg-button tg-primary" href="/">Start another verification</a></div>
${links()}`;
  return page('Tollgate demo: result', body);
}

export function renderDemoError(message: string): string {
  const body = html`<h1 id="tg-heading">Verification result</h1>
<div id="tg-error" class="tg-alert" role="alert" tabindex="-1" autofocus><p>${message}</p></div>
<div class="tg-actions"><a class="tg-button tg-primary" href="/">Back to the demo</a></div>
${links()}`;
  return page('Tollgate demo: error', body);
}
