// The "choose or enter a number" state: the intro (mode family × number count), the registered
// numbers as radio buttons (masked), the optional number-entry form, one button per channel.
import type { Channel } from '../core/events/event.ts';
import type { StringId, Translator } from '../core/i18n/strings/index.ts';
import type { AuthenticationMode } from '../core/policy/profile.ts';
import { captchaSlot } from './captcha-slot.ts';
import { countryOptions, countryPlaceholder, preselectedCountry } from './country-options.ts';
import { html, type SafeHtml } from './html.ts';
import { alternativesBlock, methodChoice } from './method-choice.ts';
import {
  actionUrl,
  appLine,
  beyondPhone,
  cancelForm,
  csrfField,
  describedBy,
  errorRegion,
  invalidAttr,
  type PageContext,
} from './page-context.ts';

/** intro_entry_* with no number on file, intro_* with one, intro_*_p with several. */
export function introStringId(mode: AuthenticationMode, numberCount: number): StringId {
  const family = mode === 'sms' || mode === 'phone' ? mode : 'mixed';
  if (numberCount <= 0) return `intro_entry_${family}`;
  return numberCount === 1 ? `intro_${family}` : `intro_${family}_p`;
}

/** "Send Code" for sms, "Call Me" for voice. */
export function channelButtonLabel(tr: Translator, channel: Channel): string {
  return tr.t(channel === 'sms' ? 'button_send_code' : 'button_verify');
}

export function channelButtons(ctx: PageContext, channels: Channel[], primaryFirst = true): SafeHtml {
  const sending = ctx.tr.t('text_sending');
  return html`${captchaSlot(ctx)}<div class="tg-actions" role="group" aria-label="${ctx.tr.t('label_channel')}">
  ${channels.map(
    (ch, i) =>
      html`<button type="submit" name="channel" value="${ch}" class="tg-button ${primaryFirst && i === 0 ? 'tg-primary' : 'tg-secondary'}" data-sending="${sending}">${channelButtonLabel(ctx.tr, ch)}</button>`,
  )}
</div>`;
}

function registeredNumbersForm(ctx: PageContext): SafeHtml {
  const { view, tr } = ctx;
  const selected = view.registeredNumbers.find((n) => n.masked === view.selectedNumberMasked)?.index;
  const checkedIndex = selected ?? view.registeredNumbers[0]?.index;
  return html`<form class="tg-form" method="post" action="${actionUrl(ctx, 'send')}">
  ${csrfField(ctx.csrf)}
  <fieldset class="tg-numbers">
    <legend>${tr.t('label_choose_number')}</legend>
    ${view.registeredNumbers.map(
      (n) => html`<label class="tg-radio" for="tg-phone-${n.index}">
      <input type="radio" id="tg-phone-${n.index}" name="phoneIndex" value="${n.index}"${n.index === checkedIndex ? html` checked` : ''} required>
      <span class="tg-masked" dir="ltr">${n.masked}</span>
    </label>`,
    )}
  </fieldset>
  ${channelButtons(ctx, view.channels)}
</form>`;
}

function manualEntryForm(ctx: PageContext, autofocus: boolean): SafeHtml {
  const { view, tr } = ctx;
  const options = countryOptions(view.countryAllowlist, tr.locale, view.countryNames);
  const preselected = preselectedCountry(options, ctx.acceptLanguage);
  const placeholder = countryPlaceholder(view.countryNames, tr.locale) ?? tr.t('country_code_input_placeholder_text');
  const heading = view.registeredNumbers.length > 0 ? html`<h2 class="tg-subheading">${tr.t('label_new_number')}</h2>` : '';
  return html`<form class="tg-form tg-entry" method="post" action="${actionUrl(ctx, 'send')}">
  ${heading}
  ${csrfField(ctx.csrf)}
  <div class="tg-field">
    <label for="tg-country">${tr.t('country_code_label')}</label>
    <select id="tg-country" name="country" required aria-describedby="${describedBy(ctx, 'country', 'tg-number-hint')}"${invalidAttr(ctx, 'country')}>
      <option value=""${preselected ? '' : html` selected`}>${placeholder}</option>
      ${options.map((o) => html`<option value="${o.code}"${o.code === preselected ? html` selected` : ''}>${o.label}</option>`)}
    </select>
  </div>
  <div class="tg-field">
    <label for="tg-number">${tr.t('number_label')}</label>
    <input id="tg-number" name="phoneNumber" type="tel" inputmode="tel" autocomplete="tel-national" maxlength="40" required placeholder="${tr.t('local_number_input_placeholder_text')}" aria-describedby="${describedBy(ctx, 'phoneNumber', 'tg-number-hint')}"${invalidAttr(ctx, 'phoneNumber')}${autofocus ? html` autofocus` : ''}>
    <p id="tg-number-hint" class="tg-hint">${tr.t('text_number_hint')}</p>
  </div>
  ${channelButtons(ctx, view.channels)}
</form>`;
}

/** The body of the created / number_selected states. */
export function renderNumberStep(ctx: PageContext): SafeHtml {
  const { view, tr } = ctx;
  const count = view.registeredNumbers.length;
  const showEntry = view.manualEntryAllowed;
  return html`<h1 id="tg-heading">${tr.t(beyondPhone(ctx) ? 'heading_methods' : 'heading')}</h1>
${appLine(ctx)}
${methodChoice(ctx)}
<p id="tg-intro" class="tg-intro">${tr.t(introStringId(view.authenticationMode, count))}</p>
${errorRegion(ctx.error)}
${alternativesBlock(ctx)}
${count > 0 ? registeredNumbersForm(ctx) : ''}
${showEntry ? manualEntryForm(ctx, count === 0 && !ctx.error) : ''}
${cancelForm(ctx, tr.t('button_cancel'))}`;
}
