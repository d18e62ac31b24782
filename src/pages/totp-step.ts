// The authenticator-app states of the hosted page: the code form (or the recovery-code form), the
// set-up offer for a user without an app, the enrollment screen (QR code, key for manual entry,
// confirm form), and the recovery codes shown once after enrolling.
import { html, type SafeHtml } from './html.ts';
import { alternativesBlock, methodChoice } from './method-choice.ts';
import { actionUrl, appLine, cancelForm, csrfField, describedBy, errorRegion, invalidAttr, methodUrl, type PageContext } from './page-context.ts';
import type { TotpView } from '../services/phone-factor-view.ts';

/** Only our own QR data URL (base64 SVG) goes into the img src: nothing else can arrive there. */
const qrDataUrl = /^data:image\/svg\+xml;base64,[A-Za-z0-9+/]+=*$/;

/** `JBSW Y3DP EHPK 3PXP`: groups of four are easier to type into an app. */
function groupKey(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

function codeForm(ctx: PageContext, totp: TotpView, action: string, labelId: 'totp_code_label', buttonId: 'button_verify_code' | 'button_totp_confirm', hint: string): SafeHtml {
  const { tr } = ctx;
  const length = totp.digits;
  return html`<form class="tg-form tg-code" method="post" action="${actionUrl(ctx, action)}" data-autosubmit="${ctx.view.autosubmit ? 'true' : 'false'}">
  ${csrfField(ctx.csrf)}
  <div class="tg-field">
    <label for="tg-code">${tr.t(labelId)}</label>
    <input id="tg-code" class="tg-code-input" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="${tr.t('code_pattern', { length })}" minlength="${length}" maxlength="${length}" required title="${tr.t('invalid_code', { length })}" aria-describedby="${describedBy(ctx, 'code', 'tg-code-hint')}"${invalidAttr(ctx, 'code')}${ctx.error ? '' : html` autofocus`}>
    <p id="tg-code-hint" class="tg-hint">${hint}</p>
  </div>
  <div class="tg-actions">
    <button type="submit" class="tg-button tg-primary" data-sending="${tr.t('text_sending')}">${tr.t(buttonId)}</button>
  </div>
</form>`;
}

function recoveryForm(ctx: PageContext): SafeHtml {
  const { tr } = ctx;
  return html`<p id="tg-intro" class="tg-intro">${tr.t('intro_recovery')}</p>
${errorRegion(ctx.error)}
<form class="tg-form tg-recovery" method="post" action="${actionUrl(ctx, 'totp')}">
  ${csrfField(ctx.csrf)}
  <div class="tg-field">
    <label for="tg-recovery">${tr.t('recovery_label')}</label>
    <input id="tg-recovery" name="recoveryCode" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="20" required aria-describedby="${describedBy(ctx, 'recoveryCode')}"${invalidAttr(ctx, 'recoveryCode')}${ctx.error ? '' : html` autofocus`}>
  </div>
  <div class="tg-actions">
    <button type="submit" class="tg-button tg-primary" data-sending="${tr.t('text_sending')}">${tr.t('button_verify_code')}</button>
  </div>
</form>
<p><a href="${methodUrl(ctx, 'totp')}">${tr.t('button_use_totp')}</a></p>`;
}

function enrollment(ctx: PageContext, totp: TotpView, pending: NonNullable<TotpView['pending']>): SafeHtml {
  const { tr } = ctx;
  const qr = qrDataUrl.test(pending.qrSvgDataUrl) ? html`<img class="tg-qr" src="${pending.qrSvgDataUrl}" alt="${tr.t('alt_totp_qr')}" width="220" height="220">` : '';
  return html`<p id="tg-intro" class="tg-intro">${tr.t('intro_totp_enroll')}</p>
${errorRegion(ctx.error)}
<div class="tg-enroll">
  ${qr}
  <p>${tr.t('label_totp_secret')}</p>
  <p><code id="tg-totp-secret" class="tg-secret" data-secret="${pending.secret}">${groupKey(pending.secret)}</code></p>
</div>
${codeForm(ctx, totp, 'totp/confirm', 'totp_code_label', 'button_totp_confirm', tr.t('intro_totp_confirm', { length: totp.digits }))}`;
}

function setUpOffer(ctx: PageContext): SafeHtml {
  const { tr } = ctx;
  return html`<p id="tg-intro" class="tg-intro">${tr.t('intro_totp_none')}</p>
${errorRegion(ctx.error)}
<form class="tg-form" method="post" action="${actionUrl(ctx, 'totp/enroll')}">
  ${csrfField(ctx.csrf)}
  <div class="tg-actions">
    <button type="submit" class="tg-button tg-primary" data-sending="${tr.t('text_sending')}">${tr.t('button_totp_setup')}</button>
  </div>
</form>`;
}

export function renderTotpStep(ctx: PageContext): SafeHtml {
  const { tr } = ctx;
  const totp = ctx.view.totp;
  let body: SafeHtml;
  if (!totp) body = errorRegion(ctx.error ?? { message: tr.t('error_method_unavailable'), detail: null, field: null, status: 409 });
  else if (totp.enrolled && ctx.recovery) body = recoveryForm(ctx);
  else if (totp.enrolled) {
    body = html`<p id="tg-intro" class="tg-intro">${tr.t('intro_totp', { length: totp.digits })}</p>
${errorRegion(ctx.error)}
${codeForm(ctx, totp, 'totp', 'totp_code_label', 'button_verify_code', tr.t('text_code_hint', { length: totp.digits }))}
<p><a href="${methodUrl(ctx, 'totp', { recovery: '1' })}">${tr.t('button_use_recovery')}</a></p>`;
  } else if (totp.pending) body = enrollment(ctx, totp, totp.pending);
  else body = setUpOffer(ctx);
  return html`<h1 id="tg-heading">${tr.t('heading_totp')}</h1>
${appLine(ctx)}
${methodChoice(ctx)}
${body}
${alternativesBlock(ctx)}
${cancelForm(ctx, tr.t('button_cancel'))}`;
}

/** After enrolling: the recovery codes, once, and the way on (the app, or the verified page). */
export function renderRecoveryCodes(ctx: PageContext, codes: string[], continueUrl: string): SafeHtml {
  const { tr } = ctx;
  return html`<h1 id="tg-heading">${tr.t('heading_recovery_codes')}</h1>
${appLine(ctx)}
<p class="tg-success" role="status">${tr.t('text_totp_enrolled')}</p>
<p>${tr.t('text_recovery_codes')}</p>
<ol id="tg-recovery-codes" class="tg-recovery-codes">
  ${codes.map((c) => html`<li><code>${c}</code></li>`)}
</ol>
<div class="tg-actions"><a class="tg-button tg-primary" href="${continueUrl}">${tr.t('button_continue')}</a></div>`;
}
