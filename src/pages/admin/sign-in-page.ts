// The admin sign-in page: username, password, the CSRF field and the `next` page to return to.
// Errors are announced (role="alert") and tied to the fields; nothing typed is echoed back but the username.
import { CSRF_FIELD } from '../csrf.ts';
import { html } from '../html.ts';
import { renderAdminDocument } from './admin-layout.ts';

export interface SignInPageInput {
  csrf: string;
  /** Already checked to be a same-origin /admin path (or null). */
  next: string | null;
  username?: string;
  error?: string | null;
  /** After sign-out or session expiry. */
  notice?: string | null;
}

export function renderSignInPage(input: SignInPageInput): string {
  const error = input.error ?? null;
  const body = html`<h1 id="tg-heading">Sign in to Tollgate admin</h1>
${input.notice && !error ? html`<p class="tg-hint" role="status">${input.notice}</p>\n` : ''}${
    error ? html`<div id="tg-error" class="tg-alert" role="alert" tabindex="-1"><p>${error}</p></div>\n` : ''
  }<form class="tg-form" method="post" action="/admin/sign-in" novalidate>
  <input type="hidden" name="${CSRF_FIELD}" value="${input.csrf}">
  ${input.next ? html`<input type="hidden" name="next" value="${input.next}">` : ''}
  <div class="tg-field">
    <label for="admin-username">Username</label>
    <input type="text" id="admin-username" name="username" value="${input.username ?? ''}" required
      autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64"${error ? html` aria-invalid="true" aria-describedby="tg-error"` : ''}${input.username ? '' : html` autofocus`}>
  </div>
  <div class="tg-field">
    <label for="admin-password">Password</label>
    <input type="password" id="admin-password" name="password" required autocomplete="current-password" maxlength="1024"${
      error ? html` aria-invalid="true" aria-describedby="tg-error"` : ''
    }${input.username ? html` autofocus` : ''}>
  </div>
  <div class="tg-actions">
    <button type="submit" class="tg-button tg-primary">Sign in</button>
  </div>
</form>
<p class="tg-hint">No account yet? An operator creates one with <code>tollgate admin create &lt;username&gt; --role admin</code>.</p>
`;
  return renderAdminDocument({ title: 'Sign in', body });
}
