// The "enter the code" state: where the code went (masked), the one-time-code input, attempts
// left, the resend control (disabled with a countdown until allowed) and the way out.
import { captchaSlot } from './captcha-slot.ts';
import { channelButtonLabel } from './number-step.ts';
import { html, type SafeHtml } from './html.ts';
import { methodChoice } from './method-choice.ts';
import {
  actionUrl,
  appLine,
  cancelForm,
  csrfField,
  describedBy,
  errorRegion,
  invalidAttr,
  type PageContext,
} from './page-context.ts';
import type { CodeSentView } from '../services/phone-factor-view.ts';

function resendForm(ctx: PageContext, sent: CodeSentView): SafeHtml {
  const { view, tr } = ctx;
  if (sent.sendsLeft <= 0) return html``;
  const waitSeconds = Math.max(0, Math.ceil((sent.resendAvailableAt - ctx.now) / 1000));
  const disabled = waitSeconds > 0 ? html` disabled` : '';
  // An email code has no other channel to the same address; phone codes offer text ↔ call.
  const others = sent.channel === 'email' ? [] : view.channels.filter((c) => c !== sent.channel);
  const countdown =
    waitSeconds > 0
      ? html`<p class="tg-hint" id="tg-resend-wait" data-countdown="${waitSeconds}" data-template="${tr.t('text_resend_in', { seconds: '{seconds}' })}" aria-live="polite">${tr.t('text_resend_in', { seconds: waitSeconds })}</p>`
      : '';
  const sending = tr.t('text_sending');
  return html`<form class="tg-form tg-resend" method="post" action="${actionUrl(ctx, 'resend')}">
  ${csrfField(ctx.csrf)}
  ${captchaSlot(ctx)}
  <p>${tr.t('enter_code_text_intro')} <button type="submit" name="channel" value="${sent.channel}" class="tg-link" data-resend data-sending="${sending}"${disabled}${waitSeconds > 0 ? html` aria-describedby="tg-resend-wait"` : ''}>${tr.t('text_button_send_second_code')}</button></p>
  ${countdown}
  ${others.length > 0 ? html`<div class="tg-actions">${others.map((ch) => html`<button type="submit" name="channel" value="${ch}" class="tg-button tg-secondary" data-resend data-sending="${sending}"${disabled}>${channelButtonLabel(tr, ch)}</button>`)}</div>` : ''}
</form>`;
}

/** The body of the code_sent state. */
export function renderCodeStep(ctx: PageContext, sent: CodeSentView): SafeHtml {
  const { view, tr } = ctx;
  const length = view.codeLength;
  const email = sent.channel === 'email';
  const sentText = email
    ? tr.t('text_code_sent_email', { email: sent.maskedTo })
    : tr.t(sent.channel === 'voice' ? 'text_code_sent_voice' : 'text_code_sent_sms', { number: sent.maskedTo });
  const autosubmit = view.autosubmit ? 'true' : 'false';
  return html`<h1 id="tg-heading">${tr.t(email ? 'heading_email' : 'heading')}</h1>
${appLine(ctx)}
<p id="tg-sent" class="tg-intro">${sentText}</p>
${errorRegion(ctx.error)}
<form class="tg-form tg-code" method="post" action="${actionUrl(ctx, 'verify')}" data-autosubmit="${autosubmit}">
  ${csrfField(ctx.csrf)}
  <div class="tg-field">
    <label for="tg-code">${tr.t('verification_code_input_placeholder_text')}</label>
    <input id="tg-code" class="tg-code-input" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="${tr.t('code_pattern', { length })}" minlength="${length}" maxlength="${length}" required title="${tr.t('invalid_code', { length })}" aria-describedby="${describedBy(ctx, 'code', 'tg-code-hint', 'tg-attempts')}"${invalidAttr(ctx, 'code')}${ctx.error ? '' : html` autofocus`}>
    <p id="tg-code-hint" class="tg-hint">${tr.t('text_code_hint', { length })}</p>
    <p id="tg-attempts" class="tg-hint">${tr.t('text_attempts_left', { count: sent.attemptsLeft })}</p>
  </div>
  <div class="tg-actions">
    <button type="submit" class="tg-button tg-primary" data-sending="${tr.t('text_sending')}">${tr.t('button_verify_code')}</button>
  </div>
</form>
${resendForm(ctx, sent)}
${methodChoice(ctx, 'label_other_method', email ? 'email' : 'phone')}
${cancelForm(ctx, tr.t(email ? 'button_cancel' : 'alternative_text'), true)}`;
}
