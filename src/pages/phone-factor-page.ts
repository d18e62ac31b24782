// The hosted phone-factor page body, chosen by session state and, before a code is out, by the
// method the user picked (phone, email, authenticator app). Returns the fragment that goes into
// `<div id="api">` (built-in layout or operator template).
import { renderCodeStep } from './code-step.ts';
import { renderEmailStep } from './email-step.ts';
import type { SafeHtml } from './html.ts';
import { currentMethod } from './method-choice.ts';
import { renderNumberStep } from './number-step.ts';
import { renderFailed, renderVerified } from './outcome-step.ts';
import type { PageContext } from './page-context.ts';
import { renderTotpStep } from './totp-step.ts';

function renderMethod(ctx: PageContext): SafeHtml {
  switch (currentMethod(ctx)) {
    case 'email':
      return renderEmailStep(ctx);
    case 'totp':
      return renderTotpStep(ctx);
    default:
      return renderNumberStep(ctx);
  }
}

export function renderPhoneFactorBody(ctx: PageContext): SafeHtml {
  const { view } = ctx;
  switch (view.status) {
    case 'verified':
      return renderVerified(ctx);
    case 'failed':
    case 'expired':
      return renderFailed(ctx);
    case 'code_sent': {
      // A code is out: its entry form, unless the user asked for another method meanwhile.
      const sentBy = view.codeSent?.channel === 'email' ? 'email' : 'phone';
      if (view.codeSent && (!ctx.method || ctx.method === sentBy)) return renderCodeStep(ctx, view.codeSent);
      return renderMethod(ctx);
    }
    case 'created':
    case 'number_selected':
    default:
      return renderMethod(ctx);
  }
}
