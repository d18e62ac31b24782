// The "enter your email address" state of the hosted page: one address field and the send button
// (channel `email`), with the CAPTCHA when one is due. The code itself is then entered in the
// shared code step, like a phone code.
import { captchaSlot } from './captcha-slot.ts';
import { html, type SafeHtml } from './html.ts';
import { alternativesBlock, methodChoice } from './method-choice.ts';
import { actionUrl, appLine, cancelForm, csrfField, describedBy, errorRegion, invalidAttr, type PageContext } from './page-context.ts';

export function renderEmailStep(ctx: PageContext): SafeHtml {
  const { tr } = ctx;
  return html`<h1 id="tg-heading">${tr.t('heading_email')}</h1>
${appLine(ctx)}
${methodChoice(ctx)}
<p id="tg-intro" class="tg-intro">${tr.t('intro_email')}</p>
${errorRegion(ctx.error)}
${alternativesBlock(ctx)}
<form class="tg-form tg-email" method="post" action="${actionUrl(ctx, 'send')}">
  ${csrfField(ctx.csrf)}
  <div class="tg-field">
    <label for="tg-email">${tr.t('email_label')}</label>
    <input id="tg-email" name="email" type="email" inputmode="email" autocomplete="email" spellcheck="false" autocapitalize="off" maxlength="254" required aria-describedby="${describedBy(ctx, 'email')}"${invalidAttr(ctx, 'email')}${ctx.error ? '' : html` autofocus`}>
  </div>
  ${captchaSlot(ctx)}
  <div class="tg-actions">
    <button type="submit" name="channel" value="email" class="tg-button tg-primary" data-sending="${tr.t('text_sending')}">${tr.t('button_send_email')}</button>
  </div>
</form>
${cancelForm(ctx, tr.t('button_cancel'))}`;
}
